// Prompts: the question goes to the configured agent with the user's files, and the conversation is kept
// only once the agent has finished. The files are the named fileIds (each the caller's), else the
// session's, else the caller's newest.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AgentFile, AgentResult, AskRequest } from '../../agents/types.js';
import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import type { ActionGroup } from '../../core/operation.js';
import type { FileRecord } from '../../stores/types.js';
import { agentFileOf, shownKey, type DocumentsConfig } from './config.js';
import type { Answer } from './envelope.js';
import { agentSessionId, ownerFor } from './identity.js';
import { sessionIdField, userIdField } from './schemas.js';

/** One file of a prompt's reply. */
export interface PromptFile {
  bedrockFileId: string;
  bedrockFileS3Key: string;
  bedrockFileS3Url: string;
  bedrockFileName: string;
  bedrockFileType: string;
}

/** `records` of a prompt. */
export interface PromptRecord {
  conversationId: string;
  sessionId: string;
  prompt: string;
  response: string;
  files: PromptFile[];
  timestamp: string;
}

/** Most `fileIds` one prompt may name (the agent may take fewer: InvokeAgent takes 5). */
const MAX_FILE_IDS = 20;

/** The input of sendPrompt and streamPrompt. */
export const promptInput = z.object({
  prompt: z.string().min(1).max(25_000).describe('The question'),
  sessionId: sessionIdField.optional(),
  fileIds: z.array(z.string().min(1).max(256)).max(MAX_FILE_IDS).optional().describe(`Files to ask about (at most ${MAX_FILE_IDS}); default: the session's, else your newest`),
  agentId: z.string().max(100).optional().describe('Another allowed agent (with agentAliasId)'),
  agentAliasId: z.string().max(100).optional().describe('Its alias'),
  userId: userIdField.optional(),
});

/** A prompt ready to ask: who, which session, which files. */
export interface PreparedPrompt {
  ownerId: string;
  sessionId: string;
  records: FileRecord[];
  request: AskRequest;
}

async function filesOf(config: DocumentsConfig, ownerId: string, fileIds: readonly string[] | undefined, sessionId: string | undefined): Promise<FileRecord[]> {
  const { store, recentFiles } = config;
  if (fileIds?.length) {
    const ids = [...new Set(fileIds)];
    const records = await Promise.all(ids.map((id) => store.getFile(id)));
    // Someone else's file is as absent as a file that never was: its existence is not revealed.
    const missing = ids.find((_id, i) => records[i]?.ownerId !== ownerId);
    if (missing !== undefined) throw new ActionError(404, `No existe el archivo ${JSON.stringify(missing)}.`, { code: 'FILE_NOT_FOUND', details: { fileId: missing } });
    return records as FileRecord[];
  }
  if (sessionId !== undefined) {
    const session = await store.listFiles({ ownerId, sessionId, limit: recentFiles });
    if (session.records.length) return session.records;
  }
  return (await store.listFiles({ ownerId, limit: recentFiles })).records;
}

/** Checks a prompt and gathers its files; nothing is asked or kept yet. */
export async function preparePrompt(config: DocumentsConfig, input: z.output<typeof promptInput>, ctx: ActionContext, signal: AbortSignal, stream: boolean): Promise<PreparedPrompt> {
  const ownerId = ownerFor(ctx, input.userId, 'write', config.supervisorRole);
  if (config.agent instanceof ActionError) throw config.agent;
  const sessionId = input.sessionId ?? randomUUID();
  const records = await filesOf(config, ownerId, input.fileIds, input.sessionId);
  const files: AgentFile[] = await Promise.all(records.map((r) => agentFileOf(config.blobs, r)));
  const request: AskRequest = { prompt: input.prompt, sessionId: agentSessionId(ownerId, sessionId), files, caller: ctx.caller, signal, stream };
  if (input.agentId !== undefined) request.agentId = input.agentId;
  if (input.agentAliasId !== undefined) request.agentAliasId = input.agentAliasId;
  return { ownerId, sessionId, records, request };
}

/** Keeps the finished conversation and shapes the reply. */
export async function finishPrompt(config: DocumentsConfig, prepared: PreparedPrompt, result: AgentResult): Promise<PromptRecord> {
  const { blobs, store } = config;
  const conversation = await store.addConversation({
    ownerId: prepared.ownerId,
    sessionId: prepared.sessionId,
    prompt: prepared.request.prompt,
    response: result.text,
    ...(result.agentId ? { agentId: result.agentId } : {}),
    fileIds: prepared.records.map((r) => r.fileId),
  });
  const files = prepared.records.map((r, i) => ({
    bedrockFileId: r.fileId,
    bedrockFileS3Key: shownKey(blobs, r.key),
    bedrockFileS3Url: prepared.request.files[i]?.url ?? '',
    bedrockFileName: r.fileName,
    bedrockFileType: r.fileType,
  }));
  return { conversationId: conversation.conversationId, sessionId: prepared.sessionId, prompt: conversation.prompt, response: conversation.response, files, timestamp: conversation.createdAt };
}

/** Runs the question to its end: every chunk to `onChunk`, then the agent's result (a 502 when it gives none). */
export async function askAgent(config: DocumentsConfig, prepared: PreparedPrompt, onChunk: (text: string) => void = () => {}): Promise<AgentResult> {
  const agent = config.agent as Exclude<DocumentsConfig['agent'], ActionError>;
  for await (const event of agent.ask(prepared.request)) {
    if (event.type === 'chunk') onChunk(event.text);
    else if (event.type === 'done') return event.result;
  }
  throw new ActionError(502, `The agent (${agent.name}) ended without a result.`, { code: 'BAD_GATEWAY' });
}

/** Adds sendPrompt to the group. */
export function addPrompts(group: ActionGroup, config: DocumentsConfig): void {
  group.operation({
    name: 'sendPrompt',
    method: 'POST',
    path: '/prompt',
    description: 'Ask the agent about your files; the reply carries the whole answer and the conversation is kept.',
    doors: { agent: false },
    timeoutMs: config.timeoutMs,
    input: promptInput,
    handler: async (input, ctx): Promise<Answer<PromptRecord>> => {
      const prepared = await preparePrompt(config, input, ctx, ctx.signal, false);
      const result = await askAgent(config, prepared);
      return { message: 'Prompt procesado exitosamente.', records: await finishPrompt(config, prepared, result) };
    },
  });
}
