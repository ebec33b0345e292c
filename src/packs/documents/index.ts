// bedrock-action-groups/documents: the document-chat API a web app calls (upload / prompt / files /
// history), in the contract's envelope, for the authenticated caller only.
import { ActionError } from '../../core/errors.js';
import { actionGroup, type ActionGroup } from '../../core/operation.js';
import type { Caller } from '../../core/context.js';
import { cognitoJwt } from '../../auth/cognito.js';
import { envString, type Env } from '../../kit/env.js';
import { resolveConfig, type DocumentsApiOptions } from './config.js';
import { ENVELOPE } from './envelope.js';
import { blobsFromEnv, storeFromEnv } from '../../kit/stores-from-env.js';
import { agentFromEnv, maxFileBytesFromEnv } from './from-env.js';
import { addLists } from './listing.js';
import { addPrompts } from './prompt.js';
import { addFileContent } from './file-content.js';
import { addStreamPrompt } from './stream-prompt.js';
import { addUploads } from './uploads.js';

export type { DocumentsApiOptions } from './config.js';
export type { Answer, ErrorEnvelope, Pagination, SuccessEnvelope } from './envelope.js';
export { PROMPT_ERROR_PREFIX } from './envelope.js';
export { DEFAULT_ALLOWED_TYPES, safeFileName } from './file-checks.js';
export type { FileEntry, HistoryEntry } from './listing.js';
export type { PromptFile, PromptRecord } from './prompt.js';
export type { UploadRecord } from './uploads.js';
export { bedrockAgent, MAX_AGENT_FILE_BYTES, MAX_AGENT_FILES, type AgentPair, type BedrockAgentOptions } from '../../agents/bedrock-agent.js';
export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from '../../agents/types.js';
export { MissingEnvError } from '../../kit/env.js';

function build(options: DocumentsApiOptions, missingAgent?: ActionError): ActionGroup {
  const config = resolveConfig(options, missingAgent);
  const group = actionGroup({ name: 'Documents', description: 'Upload files, ask an agent about them, list files and conversation history', http: ENVELOPE });
  addUploads(group, config);
  addPrompts(group, config);
  addStreamPrompt(group, config);
  addLists(group, config);
  addFileContent(group, config);
  group.probe('documents', () => Promise.all([config.store.probe(), config.blobs.probe()]));
  return group;
}

/**
 * The action group `Documents`: the document-chat API of a web app, HTTP only (`doors: { agent: false }`),
 * each reply in the contract's envelope `{ statusCode, result, message, records, pagination? }`:
 *
 * - `POST /upload` (uploadFile): a base64 file, checked (strict base64, ≤ `maxFileBytes`, type read from the
 *   bytes, allowed and as declared, name sanitised), stored as a blob and recorded;
 * - `POST /uploads` + `POST /uploads/{fileId}/complete` (prepareUpload, completeUpload): a direct upload to
 *   the blob store for files too large for a request (Lambda takes at most 6 MB), checked on completion;
 * - `POST /prompt` (sendPrompt): a question to the agent about the user's files; the conversation is kept;
 * - `POST /prompt/stream` (streamPrompt): the same, answered as server-sent events (`chunk`, `done`, `error`);
 * - `GET /files` (listFiles), newest first, and `GET /history` (getHistory), oldest first, paged;
 * - `GET /files/{fileId}/content` (fileContent): the bytes, or a 302 to a presigned URL on S3.
 *
 * The user is the authenticated caller (`authenticate`, e.g. `cognitoJwt`): no identity is a 401; a
 * `userId` in a request must be the caller's own, except that `supervisorRole` may read others' files and
 * history (403 otherwise); someone else's `fileId` is a 404; someone else's `sessionId` gets a session of
 * its own. Mount it under the web app's prefix: `router.add(documentsApi({...}), { prefix: '/bocppocia-bedrock' })`.
 */
export function documentsApi(options: DocumentsApiOptions): ActionGroup {
  return build(options);
}

/**
 * {@link documentsApi} configured from the environment: `DATABASE_URL` (Postgres through `pg`; else PGlite
 * under `DATA_DIR`, default `./.data`, opened and migrated on first use), `S3_BUCKET` and `S3_KEY_PREFIX`
 * (default `bedrock-files/`; else the disk under `DATA_DIR/files`), `BEDROCK_AGENT_ID`,
 * `BEDROCK_AGENT_ALIAS_ID`, `AWS_REGION` and `MAX_FILE_BYTES`. Without the agent variables the prompts
 * answer 503 naming them (uploads, files and history still work). `overrides` sets any option (a store,
 * blobs or agent of your own wins over the environment's). Identity is the router's: see
 * {@link documentsApi.authenticateFromEnv}.
 */
documentsApi.fromEnv = function fromEnv(env: Env = process.env, overrides: Partial<DocumentsApiOptions> = {}): ActionGroup {
  const agent = overrides.agent ?? agentFromEnv(env);
  const maxFileBytes = overrides.maxFileBytes ?? maxFileBytesFromEnv(env);
  const options: DocumentsApiOptions = {
    ...overrides,
    store: overrides.store ?? storeFromEnv(env),
    blobs: overrides.blobs ?? blobsFromEnv(env),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
  };
  delete options.agent;
  if (agent instanceof ActionError) return build(options, agent);
  return build({ ...options, agent });
};

/**
 * The router's `authenticate` for the documents API from `COGNITO_USER_POOL_ID` and `COGNITO_CLIENT_ID`
 * (id tokens, roles `Supervisor` then `Agent` from `cognito:groups`), or `undefined` when either is unset.
 */
documentsApi.authenticateFromEnv = function authenticateFromEnv(env: Env = process.env): ((request: Request) => Promise<Caller>) | undefined {
  const userPoolId = envString(env, 'COGNITO_USER_POOL_ID');
  const clientId = envString(env, 'COGNITO_CLIENT_ID');
  return userPoolId && clientId ? cognitoJwt({ userPoolId, clientId }) : undefined;
};
