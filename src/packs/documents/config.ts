import type { Agent, AgentFile } from '../../agents/types.js';
import { ActionError } from '../../core/errors.js';
import type { BlobStore } from '../../stores/blob-types.js';
import type { S3BlobStore } from '../../stores/s3-blobs.js';
import type { FileRecord, Store } from '../../stores/types.js';
import { positiveNumber } from '../../kit/options.js';
import { DEFAULT_ALLOWED_TYPES, mediaType } from './file-checks.js';

/** Options of {@link documentsApi}. */
export interface DocumentsApiOptions {
  /** Where file records and conversations are kept (`postgresStore`, `memoryStore`); migrated by you. */
  store: Store;
  /** Where the bytes are kept: `s3Blobs` (needed to send files to a Bedrock agent) or `diskBlobs`. */
  blobs: BlobStore;
  /** Who answers prompts (`bedrockAgent`, `converseAgent`, `openAiAgent`); without one, prompts answer 503. */
  agent?: Agent;
  /** Largest file accepted, in bytes (default 10 MiB). */
  maxFileBytes?: number;
  /** Media types accepted, read from the bytes (default PDF, PNG, JPEG, plain text, CSV, Markdown, DOCX, XLSX). */
  allowedTypes?: readonly string[];
  /** How many of the caller's newest files a prompt gets when it names none and its session has none (default 5). */
  recentFiles?: number;
  /** Deadline of a prompt, in milliseconds; then a 504 and the agent call is aborted (default 120 000). */
  timeoutMs?: number;
  /** The role that may read other users' files and history (default `'Supervisor'`). */
  supervisorRole?: string;
}

/** The options, checked, with their defaults. */
export interface DocumentsConfig {
  store: Store;
  blobs: BlobStore;
  /** The agent, or the 503 every prompt answers without one. */
  agent: Agent | ActionError;
  maxFileBytes: number;
  allowedTypes: readonly string[];
  recentFiles: number;
  timeoutMs: number;
  supervisorRole: string;
}

const OWNER = 'documentsApi';

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((n) => typeof (value as Record<string, unknown>)[n] === 'function');
}

/** Checks the options; `missingAgent` is the error prompts answer when no agent is given. */
export function resolveConfig(options: DocumentsApiOptions, missingAgent?: ActionError): DocumentsConfig {
  if (typeof options !== 'object' || options === null) throw new Error(`${OWNER}: options { store, blobs, agent? } are required`);
  if (!hasMethods(options.store, ['addFile', 'getFile', 'listFiles', 'addConversation', 'listConversations', 'put', 'get', 'delete'])) throw new Error(`${OWNER}: "store" must be a Store (memoryStore() or postgresStore())`);
  if (!hasMethods(options.blobs, ['put', 'get', 'delete', 'url', 'presignUpload'])) throw new Error(`${OWNER}: "blobs" must be a BlobStore (s3Blobs() or diskBlobs())`);
  if (options.agent !== undefined && !hasMethods(options.agent, ['ask'])) throw new Error(`${OWNER}: "agent" must be an Agent (bedrockAgent(), converseAgent() or openAiAgent())`);
  const allowed = options.allowedTypes ?? DEFAULT_ALLOWED_TYPES;
  if (!Array.isArray(allowed) || allowed.length === 0 || !allowed.every((t) => typeof t === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(t))) throw new Error(`${OWNER}: "allowedTypes" must be a non-empty list of media types such as application/pdf`);
  const supervisorRole = options.supervisorRole ?? 'Supervisor';
  if (typeof supervisorRole !== 'string' || supervisorRole === '') throw new Error(`${OWNER}: "supervisorRole" must be a role name`);
  return {
    store: options.store,
    blobs: options.blobs,
    agent: options.agent ?? missingAgent ?? new ActionError(503, `${OWNER}: no agent is configured, so prompts cannot be answered; pass "agent" (for example bedrockAgent({ agentId, agentAliasId })).`, { code: 'NOT_CONFIGURED' }),
    maxFileBytes: positiveNumber(options.maxFileBytes, 10 * 1024 * 1024, OWNER, 'maxFileBytes', { integer: true, unit: 'bytes' }),
    allowedTypes: allowed.map(mediaType),
    recentFiles: positiveNumber(options.recentFiles, 5, OWNER, 'recentFiles', { integer: true }),
    timeoutMs: positiveNumber(options.timeoutMs, 120_000, OWNER, 'timeoutMs', { integer: true, unit: 'milliseconds' }),
    supervisorRole,
  };
}

function isS3(blobs: BlobStore): blobs is S3BlobStore {
  return blobs.kind === 's3' && typeof (blobs as Partial<S3BlobStore>).objectKey === 'function' && typeof (blobs as Partial<S3BlobStore>).bucket === 'string';
}

/** The key a client is shown: the S3 object key on S3 (the blob store's prefix included), else the blob key. */
export function shownKey(blobs: BlobStore, key: string): string {
  return isS3(blobs) ? blobs.objectKey(key) : key;
}

/** A stored file as an agent gets it: with its `s3://` URI on S3 and a short-lived URL. */
export async function agentFileOf(blobs: BlobStore, file: FileRecord): Promise<AgentFile> {
  const agentFile: AgentFile = { fileId: file.fileId, key: file.key, fileName: file.fileName, fileType: file.fileType, fileSize: file.fileSize, url: await blobs.url(file.key) };
  if (isS3(blobs)) agentFile.s3Uri = `s3://${blobs.bucket}/${blobs.objectKey(file.key)}`;
  return agentFile;
}
