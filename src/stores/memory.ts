import { ActionError } from '../core/errors.js';
import type { ConversationRecord, FileRecord, KeyedRecord, ListQuery, Page, Store } from './types.js';
import { checkId, checkMaxLimit, checkNewConversation, checkNewFile, checkPage, valueJson, type PageQuery } from './validate.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Largest page size; a larger `limit` is clamped to it (default 100). */
  maxLimit?: number;
}

interface Stored<T> {
  seq: number;
  record: T;
}

/**
 * A {@link Store} in this process's memory: for tests and single-process tools. It behaves exactly like
 * `postgresStore` (same checks, ordering and errors) but keeps nothing across restarts or Lambda instances.
 * Records are copied in and out, so callers never share objects with the store.
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const maxLimit = checkMaxLimit('memoryStore', options.maxLimit);
  let seq = 0;
  const files = new Map<string, Stored<FileRecord>>();
  const conversations = new Map<string, Stored<ConversationRecord>>();
  const records = new Map<string, Stored<{ kind: string; key: string; ownerId: string; json: string; createdAt: string; updatedAt: string }>>();
  const recordId = (kind: string, key: string) => JSON.stringify([kind, key]);

  return {
    migrate: async () => ({ applied: [] }),
    probe: async () => {},
    async addFile(input) {
      const record = checkNewFile(input);
      if (files.has(record.fileId)) throw new ActionError(409, `A file with fileId ${JSON.stringify(record.fileId)} already exists`, { code: 'CONFLICT' });
      files.set(record.fileId, { seq: ++seq, record });
      return { ...record };
    },
    async getFile(fileId) {
      const found = files.get(checkId('fileId', fileId));
      return found ? { ...found.record } : null;
    },
    async listFiles(query?: ListQuery) {
      const q = checkPage(query, maxLimit);
      const matching = [...files.values()].filter((s) => matches(s.record, q));
      matching.sort((a, b) => compare(b.record.createdAt, a.record.createdAt) || b.seq - a.seq);
      return page(matching, q, (r) => ({ ...r }));
    },
    async deleteFile(fileId) {
      return files.delete(checkId('fileId', fileId));
    },
    async addConversation(input) {
      const record = checkNewConversation(input);
      if (conversations.has(record.conversationId)) throw new ActionError(409, `A conversation with conversationId ${JSON.stringify(record.conversationId)} already exists`, { code: 'CONFLICT' });
      conversations.set(record.conversationId, { seq: ++seq, record });
      return { ...record, fileIds: [...record.fileIds] };
    },
    async listConversations(query?: ListQuery) {
      const q = checkPage(query, maxLimit);
      const matching = [...conversations.values()].filter((s) => matches(s.record, q));
      matching.sort((a, b) => compare(a.record.createdAt, b.record.createdAt) || a.seq - b.seq);
      return page(matching, q, (r) => ({ ...r, fileIds: [...r.fileIds] }));
    },
    async put(kind, key, value, options) {
      const k = checkId('kind', kind);
      const id = checkId('key', key);
      const ownerId = checkId('ownerId', options?.ownerId);
      const json = valueJson(value);
      const existing = records.get(recordId(k, id));
      if (existing && existing.record.ownerId !== ownerId) throw new ActionError(409, `The ${k} ${JSON.stringify(id)} belongs to another owner`, { code: 'CONFLICT' });
      const now = new Date().toISOString();
      const stored = existing ?? { seq: ++seq, record: { kind: k, key: id, ownerId, json, createdAt: now, updatedAt: now } };
      stored.record = { ...stored.record, json, updatedAt: now };
      records.set(recordId(k, id), stored);
      return keyed(stored.record);
    },
    async get(kind, key) {
      const found = records.get(recordId(checkId('kind', kind), checkId('key', key)));
      return found ? keyed(found.record) : null;
    },
    async list(kind, query) {
      const k = checkId('kind', kind);
      const q = checkPage(query, maxLimit);
      const matching = [...records.values()].filter((s) => s.record.kind === k && (q.ownerId === undefined || s.record.ownerId === q.ownerId));
      matching.sort((a, b) => compare(b.record.createdAt, a.record.createdAt) || b.seq - a.seq);
      return page(matching, q, keyed);
    },
    async delete(kind, key) {
      return records.delete(recordId(checkId('kind', kind), checkId('key', key)));
    },
  } as Store;
}

function matches(record: { ownerId: string; sessionId?: string }, q: PageQuery): boolean {
  return (q.ownerId === undefined || record.ownerId === q.ownerId) && (q.sessionId === undefined || record.sessionId === q.sessionId);
}

// ISO strings of one format (UTC, milliseconds) sort as their times do.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function page<S, T>(matching: Stored<S>[], q: PageQuery, copy: (record: S) => T): Page<T> {
  return { records: matching.slice(q.offset, q.offset + q.limit).map((s) => copy(s.record)), total: matching.length };
}

function keyed<T>(r: { kind: string; key: string; ownerId: string; json: string; createdAt: string; updatedAt: string }): KeyedRecord<T> {
  return { kind: r.kind, key: r.key, ownerId: r.ownerId, value: JSON.parse(r.json) as T, createdAt: r.createdAt, updatedAt: r.updatedAt };
}
