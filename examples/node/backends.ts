// Where the local server keeps files and conversations: embedded by default, so `npm start` works offline
// right after `npm ci` — PGlite (real Postgres, in-process) under .data/pg and the local disk under
// .data/files. DATABASE_URL switches to Postgres through pg, S3_BUCKET to S3 (S3_PREFIX, default
// bedrock-files/). DATA_DIR moves .data.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { diskBlobs, postgresStore, s3Blobs, type BlobStore, type Store } from 'bedrock-action-groups/stores';

/** The store and blob store in use, how to describe them, and how to let them go. */
export interface Backends {
  store: Store;
  blobs: BlobStore;
  /** The handler of the disk store's signed links (`url()`), to mount at `/blobs/`; none on S3. */
  links?: (request: Request) => Promise<Response | undefined>;
  /** One line per backend, for the start-up message. */
  description: string[];
  close(): Promise<void>;
}

/** Opens and migrates the backends the environment asks for. */
export async function backendsFromEnv(env: Record<string, string | undefined>): Promise<Backends> {
  const dataDir = env.DATA_DIR?.trim() || '.data';
  const description: string[] = [];
  let close: () => Promise<void>;
  let store: Store;
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
    store = postgresStore({ client: pool });
    close = () => pool.end();
    description.push(`Postgres at ${new URL(databaseUrl).host} (DATABASE_URL)`);
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    // PGlite creates only the last folder of its path: on a fresh clone .data/ does not exist yet.
    mkdirSync(dataDir, { recursive: true });
    const db = new PGlite(join(dataDir, 'pg'));
    store = postgresStore({ client: db });
    close = () => db.close();
    description.push(`PGlite (embedded Postgres) in ${join(dataDir, 'pg')}`);
  }
  await store.migrate();
  const bucket = env.S3_BUCKET?.trim();
  const disk = bucket ? undefined : diskBlobs({ dir: join(dataDir, 'files') });
  const blobs = disk ?? s3Blobs({ bucket: bucket as string, keyPrefix: env.S3_PREFIX ?? 'bedrock-files/' });
  description.push(bucket ? `S3 bucket ${bucket} (S3_BUCKET)` : `the local disk in ${join(dataDir, 'files')}`);
  return disk ? { store, blobs, links: disk.serve, description, close } : { store, blobs, description, close };
}
