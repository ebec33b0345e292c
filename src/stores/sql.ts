// One small adapter over the two Postgres clients a store accepts: node-postgres (`pg.Pool` or
// `pg.Client`) and PGlite. Both answer `query(text, params)` with `{ rows }`; they differ in how a
// transaction gets a connection of its own, which is all this hides.

/** Anything with node-postgres/PGlite's `query(text, params)`. */
export interface QueryableClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The shape of a `pg.Pool`: checked-out clients run a transaction alone. */
interface PoolLike extends QueryableClient {
  connect(): Promise<QueryableClient & { release(error?: Error | boolean): void }>;
  totalCount: number;
}

/** The shape of a PGlite instance: `transaction(fn)` runs fn exclusively. */
interface PGliteLike extends QueryableClient {
  transaction<T>(fn: (tx: QueryableClient) => Promise<T>): Promise<T>;
}

/** Runs one parameterised statement and resolves its rows. */
export type Query = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<R[]>;

/** The adapter the Postgres store talks to. */
export interface Sql {
  /** Which client was detected: `'pglite'`, `'pg-pool'` or `'pg-client'`. */
  readonly kind: 'pglite' | 'pg-pool' | 'pg-client';
  readonly query: Query;
  /** Runs `fn` inside BEGIN … COMMIT on one connection (ROLLBACK when it throws). */
  transaction<T>(fn: (query: Query) => Promise<T>): Promise<T>;
}

function queryOf(client: QueryableClient): Query {
  return async <R>(text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rows as R[];
}

async function inTransaction<T>(client: QueryableClient, fn: (query: Query) => Promise<T>): Promise<T> {
  const query = queryOf(client);
  await query('BEGIN');
  try {
    const result = await fn(query);
    await query('COMMIT');
    return result;
  } catch (error) {
    await query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Detects the client by its shape; throws naming what was expected when it is neither. */
export function sqlAdapter(client: unknown, owner: string): Sql {
  const c = client as Partial<PoolLike & PGliteLike> | null;
  if (typeof c !== 'object' || c === null || typeof c.query !== 'function') {
    throw new Error(`${owner}: "client" must be a pg.Pool, a pg.Client or a PGlite instance`);
  }
  if (typeof c.transaction === 'function') {
    const db = c as PGliteLike;
    return { kind: 'pglite', query: queryOf(db), transaction: (fn) => db.transaction((tx) => fn(queryOf(tx))) };
  }
  if (typeof c.connect === 'function' && typeof c.totalCount === 'number') {
    const pool = c as PoolLike;
    return {
      kind: 'pg-pool',
      query: queryOf(pool),
      async transaction(fn) {
        const connection = await pool.connect();
        let failed: unknown;
        try {
          return await inTransaction(connection, fn);
        } catch (error) {
          failed = error;
          throw error;
        } finally {
          // A connection whose ROLLBACK may not have run is discarded rather than reused.
          connection.release(failed instanceof Error && !('code' in failed) ? failed : undefined);
        }
      },
    };
  }
  const single = c as QueryableClient;
  return { kind: 'pg-client', query: queryOf(single), transaction: (fn) => inTransaction(single, fn) };
}
