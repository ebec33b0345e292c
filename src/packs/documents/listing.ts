// The lists: a user's files (newest first) and conversation history (oldest first), one page at a time.
// A session filter never widens a list: it is always within the owner's own records.
import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import type { ActionGroup } from '../../core/operation.js';
import type { ListQuery, Page } from '../../stores/types.js';
import { shownKey, type DocumentsConfig } from './config.js';
import type { Answer, Pagination } from './envelope.js';
import { ownerFor } from './identity.js';
import { MAX_PAGE, pageFields, sessionIdField, userIdField } from './schemas.js';

/** One entry of the files list. */
export interface FileEntry {
  fileId: string;
  sessionId: string | null;
  fileName: string;
  originalName: string;
  s3Key: string;
  /** A short-lived URL that serves the file. */
  s3Url: string;
  fileSize: number;
  fileType: string;
  createdAt: string;
}

/** One entry of the history. */
export interface HistoryEntry {
  conversationId: string;
  sessionId: string;
  userId: string;
  prompt: string;
  response: string;
  agentId: string | null;
  fileIds: string[];
  createdAt: string;
}

const listInput = (defaultLimit: number) => z.object({ userId: userIdField.optional(), sessionId: sessionIdField.optional(), ...pageFields(defaultLimit) });

/** A page of one list: whose records (the caller's, or a supervisor's chosen user's), the session, the page capped at MAX_PAGE. */
type PageQuery = ListQuery & { ownerId: string; limit: number; offset: number };

function pageQuery(ctx: ActionContext, input: z.infer<ReturnType<typeof listInput>>, supervisorRole: string): PageQuery {
  const ownerId = ownerFor(ctx, input.userId, 'read', supervisorRole);
  return { ownerId, ...(input.sessionId ? { sessionId: input.sessionId } : {}), limit: Math.min(input.limit, MAX_PAGE), offset: input.offset };
}

function pagination(page: Page<unknown>, { limit, offset }: PageQuery): Pagination {
  return { total: page.total, limit, offset, hasMore: offset + page.records.length < page.total };
}

/** Adds listFiles and getHistory to the group. */
export function addLists(group: ActionGroup, config: DocumentsConfig): void {
  const { store, blobs, supervisorRole } = config;

  group.operation({
    name: 'listFiles',
    method: 'GET',
    path: '/files',
    description: 'The files of the caller (a supervisor: of userId), newest first; sessionId narrows to one session.',
    doors: { agent: false },
    input: listInput(20),
    handler: async (input, ctx): Promise<Answer<FileEntry[]>> => {
      const query = pageQuery(ctx, input, supervisorRole);
      const page = await store.listFiles(query);
      const records = await Promise.all(
        page.records.map(async (f) => ({
          fileId: f.fileId,
          sessionId: f.sessionId ?? null,
          fileName: f.fileName,
          originalName: f.originalName,
          s3Key: shownKey(blobs, f.key),
          s3Url: await blobs.url(f.key),
          fileSize: f.fileSize,
          fileType: f.fileType,
          createdAt: f.createdAt,
        })),
      );
      return { message: 'Archivos obtenidos exitosamente.', records, pagination: pagination(page, query) };
    },
  });

  group.operation({
    name: 'getHistory',
    method: 'GET',
    path: '/history',
    description: 'The conversation history of the caller (a supervisor: of userId), oldest first; sessionId narrows to one session.',
    doors: { agent: false },
    input: listInput(50),
    handler: async (input, ctx): Promise<Answer<HistoryEntry[]>> => {
      const query = pageQuery(ctx, input, supervisorRole);
      const page = await store.listConversations(query);
      const records = page.records.map((c) => ({
        conversationId: c.conversationId,
        sessionId: c.sessionId,
        userId: c.ownerId,
        prompt: c.prompt,
        response: c.response,
        agentId: c.agentId ?? null,
        fileIds: c.fileIds,
        createdAt: c.createdAt,
      }));
      return { message: 'Historial obtenido exitosamente.', records, pagination: pagination(page, query) };
    },
  });
}
