import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore, postgresStore } from 'bedrock-action-groups/stores';
import { storeContract, turn } from './store-contract.ts';

storeContract('memoryStore', async () => memoryStore());

// One PGlite (real Postgres, in-process) for the file; every test gets tables of its own prefix.
const lite = new PGlite();
let prefixes = 0;
beforeAll(() => lite.waitReady);
afterAll(() => lite.close());
storeContract('postgresStore on PGlite', async () => {
  const store = postgresStore({ client: lite, tablePrefix: `t${++prefixes}_` });
  await store.migrate();
  return store;
});

const databaseUrl = process.env.DATABASE_URL;
describe.runIf(databaseUrl)('with DATABASE_URL', () => {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const run = `r${Date.now().toString(36)}`;
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
    await pool.end();
  });
  storeContract('postgresStore on pg', async () => {
    const store = postgresStore({ client: pool, schema: run, tablePrefix: `t${++prefixes}_` });
    await store.migrate();
    return store;
  });
  it('migrates from several connections at once: one applies, the others find nothing to do', async () => {
    const stores = [1, 2, 3, 4].map(() => postgresStore({ client: pool, schema: `${run}_c`, tablePrefix: 'bag_' }));
    const results = await Promise.all(stores.map((s) => s.migrate()));
    expect(results.map((r) => r.applied).sort()).toEqual([[], [], [], [1]]);
    await pool.query(`DROP SCHEMA ${run}_c CASCADE`);
  });
  it('works through a pg.Client too', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const store = postgresStore({ client, schema: run, tablePrefix: 'client_' });
    expect(store.backend).toBe('pg-client');
    await store.migrate();
    expect((await store.addConversation(turn())).prompt).toBe(turn().prompt);
    await client.end();
  });
});

describe('postgresStore: migrations and set-up', () => {
  it('applies version 1 once: a second run, and concurrent runs, apply nothing', async () => {
    const a = postgresStore({ client: lite, schema: 'mig', tablePrefix: 'm_' });
    const b = postgresStore({ client: lite, schema: 'mig', tablePrefix: 'm_' });
    expect(a.backend).toBe('pglite');
    const results = await Promise.all([a.migrate(), b.migrate()]);
    expect(results.map((r) => r.applied).sort()).toEqual([[], [1]]);
    expect(await a.migrate()).toEqual({ applied: [] });
    const rows = (await lite.query<{ version: number; description: string }>('SELECT version, description FROM mig.m_migrations')).rows;
    expect(rows).toEqual([{ version: 1, description: 'files, conversations and keyed records' }]);
    const tables = (await lite.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'mig' ORDER BY tablename")).rows.map((r) => r.tablename);
    expect(tables).toEqual(['m_conversations', 'm_files', 'm_migrations', 'm_records']);
  });

  it('says to call migrate() when the tables are missing', async () => {
    const store = postgresStore({ client: lite, tablePrefix: 'never_' });
    await expect(store.listFiles()).rejects.toThrow('postgresStore: the tables in schema "public" with prefix "never_" do not exist; call await store.migrate() first');
  });

  it('refuses a schema or prefix that is not a plain identifier, and a client of another shape', () => {
    expect(() => postgresStore({ client: lite, schema: 'public"; drop table x; --' })).toThrow('postgresStore: "schema" must be a lower-case identifier');
    expect(() => postgresStore({ client: lite, tablePrefix: 'Bad-Prefix' })).toThrow('postgresStore: "tablePrefix" must be a lower-case identifier prefix');
    expect(() => postgresStore({ client: {} as never })).toThrow('postgresStore: "client" must be a pg.Pool, a pg.Client or a PGlite instance');
  });

  it('detects a pg.Pool by its shape', () => {
    const pool = new pg.Pool({ connectionString: 'postgres://127.0.0.1:1/none' });
    expect(postgresStore({ client: pool }).backend).toBe('pg-pool');
    void pool.end();
  });
});
