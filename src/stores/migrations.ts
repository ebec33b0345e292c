import type { Sql } from './sql.js';

/** Quoted, validated names of a store's tables. */
export interface TableNames {
  schema: string;
  prefix: string;
  migrations: string;
  files: string;
  conversations: string;
  records: string;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const PREFIX = /^[a-z_][a-z0-9_]{0,29}$/;

/** Table names from the `schema` and `tablePrefix` options, refused unless plain lower-case identifiers. */
export function tableNames(owner: string, schema: unknown, prefix: unknown): TableNames {
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) throw new Error(`${owner}: "schema" must be a lower-case identifier (letters, digits, _; not starting with a digit; at most 63)`);
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) throw new Error(`${owner}: "tablePrefix" must be a lower-case identifier prefix (letters, digits, _; not starting with a digit; at most 30)`);
  const t = (name: string) => `"${schema}"."${prefix}${name}"`;
  return { schema, prefix, migrations: t('migrations'), files: t('files'), conversations: t('conversations'), records: t('records') };
}

interface Migration {
  version: number;
  description: string;
  statements: (t: TableNames) => string[];
}

// Append only: a released migration is never edited, a change is a new version.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'files, conversations and keyed records',
    statements: (t) => [
      `CREATE TABLE ${t.files} (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        file_id text PRIMARY KEY,
        owner_id text NOT NULL,
        session_id text,
        original_name text NOT NULL,
        file_name text NOT NULL,
        key text NOT NULL,
        file_type text NOT NULL,
        file_size bigint NOT NULL,
        sha256 text NOT NULL,
        created_at timestamptz NOT NULL)`,
      `CREATE INDEX "${t.prefix}files_owner" ON ${t.files} (owner_id, created_at DESC, seq DESC)`,
      `CREATE INDEX "${t.prefix}files_session" ON ${t.files} (session_id, created_at DESC, seq DESC)`,
      `CREATE TABLE ${t.conversations} (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        conversation_id text PRIMARY KEY,
        owner_id text NOT NULL,
        session_id text NOT NULL,
        prompt text NOT NULL,
        response text NOT NULL,
        agent_id text,
        file_ids json NOT NULL,
        created_at timestamptz NOT NULL)`,
      `CREATE INDEX "${t.prefix}conversations_session" ON ${t.conversations} (session_id, created_at, seq)`,
      `CREATE INDEX "${t.prefix}conversations_owner" ON ${t.conversations} (owner_id, created_at, seq)`,
      `CREATE TABLE ${t.records} (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        kind text NOT NULL,
        key text NOT NULL,
        owner_id text NOT NULL,
        value json NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (kind, key))`,
      `CREATE INDEX "${t.prefix}records_owner" ON ${t.records} (kind, owner_id, created_at DESC, seq DESC)`,
      `CREATE INDEX "${t.prefix}records_kind" ON ${t.records} (kind, created_at DESC, seq DESC)`,
    ],
  },
];

/** The newest schema version this library writes. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Applies the migrations not yet recorded, in one transaction under an advisory lock keyed by schema and
 * prefix, so two processes migrating at once take turns and the second finds nothing to do. Resolves the
 * versions it applied.
 */
export async function migrate(sql: Sql, t: TableNames): Promise<number[]> {
  return sql.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bedrock-action-groups:${t.schema}.${t.prefix}`]);
    // CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS: only when missing.
    const found = await query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.schema]);
    if (found.length === 0) await query(`CREATE SCHEMA "${t.schema}"`);
    await query(`CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await query<{ version: number }>(`SELECT version FROM ${t.migrations}`)).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements(t)) await query(statement);
      await query(`INSERT INTO ${t.migrations} (version, description) VALUES ($1, $2)`, [m.version, m.description]);
      applied.push(m.version);
    }
    return applied;
  });
}
