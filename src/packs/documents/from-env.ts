// documentsApi.fromEnv: the store, the blobs and the agent the environment names. The store opens (and
// migrates) on first use, so creating the group never waits or fails for the database.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bedrockAgent } from '../../agents/bedrock-agent.js';
import type { Agent } from '../../agents/types.js';
import { envPositiveInt, envString, MissingEnvError, type Env } from '../../kit/env.js';
import { diskBlobs } from '../../stores/disk-blobs.js';
import { postgresStore } from '../../stores/postgres.js';
import { s3Blobs } from '../../stores/s3-blobs.js';
import type { BlobStore } from '../../stores/blob-types.js';
import type { Store } from '../../stores/types.js';

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
function dataDir(env: Env): string {
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

/** A Bedrock agent from `BEDROCK_AGENT_ID` + `BEDROCK_AGENT_ALIAS_ID` (`AWS_REGION`), or the error naming what is missing. */
export function agentFromEnv(env: Env): Agent | MissingEnvError {
  const agentId = envString(env, 'BEDROCK_AGENT_ID');
  const agentAliasId = envString(env, 'BEDROCK_AGENT_ALIAS_ID');
  if (!agentId || !agentAliasId) return new MissingEnvError('documentsApi.fromEnv', [...(agentId ? [] : ['BEDROCK_AGENT_ID']), ...(agentAliasId ? [] : ['BEDROCK_AGENT_ALIAS_ID'])]);
  const region = envString(env, 'AWS_REGION');
  return bedrockAgent({ agentId, agentAliasId, ...(region ? { region } : {}) });
}

/** `MAX_FILE_BYTES`, when set. */
export function maxFileBytesFromEnv(env: Env): number | undefined {
  return envPositiveInt(env, 'MAX_FILE_BYTES');
}
