// The store and blob store the environment names, shared by the packs' fromEnv: DATABASE_URL (pg) or
// PGlite under DATA_DIR, S3_BUCKET or the disk. The store opens (and migrates) on first use, so creating a
// group never waits or fails for the database; pg and PGlite load only then.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { diskBlobs } from '../stores/disk-blobs.js';
import { postgresStore } from '../stores/postgres.js';
import { s3Blobs } from '../stores/s3-blobs.js';
import type { BlobStore } from '../stores/blob-types.js';
import type { Store } from '../stores/types.js';
import { envString, type Env } from './env.js';

const STORE_METHODS = ['migrate', 'addFile', 'getFile', 'listFiles', 'deleteFile', 'addConversation', 'listConversations', 'put', 'get', 'list', 'delete', 'probe'] as const;

/** A Store that opens the real one on its first call (and again after a failed opening). */
export function lazyStore(open: () => Promise<Store>): Store {
  let opening: Promise<Store> | undefined;
  const ready = () =>
    (opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    }));
  const store: Record<string, unknown> = {};
  for (const name of STORE_METHODS) store[name] = async (...args: unknown[]) => ((await ready())[name] as (...a: unknown[]) => unknown)(...args);
  return store as unknown as Store;
}

/** The data directory: `DATA_DIR`, default `./.data`. */
export function dataDir(env: Env): string {
  return envString(env, 'DATA_DIR') ?? '.data';
}

/** Postgres through pg with `DATABASE_URL`, else PGlite under `DATA_DIR/pg`; migrated when opened. */
export function storeFromEnv(env: Env): Store {
  return lazyStore(async () => {
    const url = envString(env, 'DATABASE_URL');
    let store: Store;
    if (url) {
      const { default: pg } = await import('pg');
      store = postgresStore({ client: new pg.Pool({ connectionString: url, max: 5 }) });
    } else {
      const { PGlite } = await import('@electric-sql/pglite');
      const dir = dataDir(env);
      // PGlite creates only the last folder of its path.
      await mkdir(dir, { recursive: true });
      store = postgresStore({ client: new PGlite(join(dir, 'pg')) });
    }
    await store.migrate();
    return store;
  });
}

/** S3 with `S3_BUCKET` (`S3_KEY_PREFIX`, default `bedrock-files/`), else the disk under `DATA_DIR/files`. */
export function blobsFromEnv(env: Env): BlobStore {
  const bucket = envString(env, 'S3_BUCKET');
  if (bucket) return s3Blobs({ bucket, keyPrefix: env.S3_KEY_PREFIX?.trim() ?? 'bedrock-files/' });
  return diskBlobs({ dir: join(dataDir(env), 'files') });
}
