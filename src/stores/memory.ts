import { ActionError } from '../core/errors.js';
import { Index, insertSorted, removeSorted, slice, type Entry } from './sorted.js';
import type { ConversationRecord, FileRecord, KeyedRecord, ListQuery, Page, Store } from './types.js';
import { checkId, checkMaxLimit, checkNewConversation, checkNewFile, checkPage, valueJson, type PageQuery } from './validate.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Largest page size; a larger `limit` is clamped to it (default 100). */
  maxLimit?: number;
}

interface StoredValue {
  kind: string;
  key: string;
  ownerId: string;
  json: string;
  createdAt: string;
  updatedAt: string;
}

/** One kind of record with its lookups: by id, all in order, by owner and by session. */
class Table<T extends { ownerId: string; sessionId?: string; createdAt: string }> {
  readonly byId = new Map<string, Entry<T>>();
  readonly all: Entry<T>[] = [];
  readonly byOwner = new Index<T>();
  readonly bySession = new Index<T>();

  add(id: string, entry: Entry<T>): void {
    this.byId.set(id, entry);
    insertSorted(this.all, entry);
    this.byOwner.add(entry.record.ownerId, entry);
    if (entry.record.sessionId !== undefined) this.bySession.add(entry.record.sessionId, entry);
  }

  delete(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    removeSorted(this.all, entry);
    this.byOwner.remove(entry.record.ownerId, entry);
    if (entry.record.sessionId !== undefined) this.bySession.remove(entry.record.sessionId, entry);
    return true;
  }

  /** The records matching the query, ascending; the smallest index that covers it, filtered by the rest. */
  matching(q: PageQuery): readonly Entry<T>[] {
    if (q.sessionId !== undefined) {
      const list = this.bySession.get(q.sessionId);
      return q.ownerId === undefined ? list : list.filter((e) => e.record.ownerId === q.ownerId);
    }
    return q.ownerId === undefined ? this.all : this.byOwner.get(q.ownerId);
  }
}

/**
 * A {@link Store} in this process's memory: for tests and single-process tools. It behaves exactly like
 * `postgresStore` (same checks, ordering and errors) but keeps nothing across restarts or Lambda instances.
 * Records are copied in and out, so callers never share objects with the store.
 */
export function memoryStore(options: MemoryStoreOptions = {}): Store {
  const maxLimit = checkMaxLimit('memoryStore', options.maxLimit);
  let seq = 0;
  const files = new Table<FileRecord>();
  const conversations = new Table<ConversationRecord>();
  const records = new Map<string, Entry<StoredValue>>();
  const kinds = new Index<StoredValue>();
  const kindOwners = new Index<StoredValue>();
  const recordId = (kind: string, key: string) => JSON.stringify([kind, key]);
  const copyTurn = (r: ConversationRecord) => ({ ...r, fileIds: [...r.fileIds] });

  return {
    migrate: async () => ({ applied: [] }),
    probe: async () => {},
    async addFile(input) {
      const record = checkNewFile(input);
      if (files.byId.has(record.fileId)) throw new ActionError(409, `A file with fileId ${JSON.stringify(record.fileId)} already exists`, { code: 'CONFLICT' });
      files.add(record.fileId, { seq: ++seq, createdAt: record.createdAt, record });
      return { ...record };
    },
    async getFile(fileId) {
      const found = files.byId.get(checkId('fileId', fileId));
      return found ? { ...found.record } : null;
    },
    async listFiles(query?: ListQuery) {
      const q = checkPage(query, maxLimit);
      return page(files.matching(q), q, true, (r) => ({ ...r }));
    },
    async deleteFile(fileId) {
      return files.delete(checkId('fileId', fileId));
    },
    async addConversation(input) {
      const record = checkNewConversation(input);
      if (conversations.byId.has(record.conversationId)) throw new ActionError(409, `A conversation with conversationId ${JSON.stringify(record.conversationId)} already exists`, { code: 'CONFLICT' });
      conversations.add(record.conversationId, { seq: ++seq, createdAt: record.createdAt, record });
      return copyTurn(record);
    },
    async listConversations(query?: ListQuery) {
      const q = checkPage(query, maxLimit);
      return page(conversations.matching(q), q, false, copyTurn);
    },
    async put(kind, key, value, putOptions) {
      const k = checkId('kind', kind);
      const id = checkId('key', key);
      const ownerId = checkId('ownerId', putOptions?.ownerId);
      const json = valueJson(value);
      const existing = records.get(recordId(k, id));
      if (existing && existing.record.ownerId !== ownerId) throw new ActionError(409, `The ${k} ${JSON.stringify(id)} belongs to another owner`, { code: 'CONFLICT' });
      const now = new Date().toISOString();
      if (existing) {
        existing.record = { ...existing.record, json, updatedAt: now };
        return keyed(existing.record);
      }
      const entry: Entry<StoredValue> = { seq: ++seq, createdAt: now, record: { kind: k, key: id, ownerId, json, createdAt: now, updatedAt: now } };
      records.set(recordId(k, id), entry);
      kinds.add(k, entry);
      kindOwners.add(recordId(k, ownerId), entry);
      return keyed(entry.record);
    },
    async get(kind, key) {
      const found = records.get(recordId(checkId('kind', kind), checkId('key', key)));
      return found ? keyed(found.record) : null;
    },
    async list(kind, query) {
      const k = checkId('kind', kind);
      const q = checkPage(query, maxLimit);
      return page(q.ownerId === undefined ? kinds.get(k) : kindOwners.get(recordId(k, q.ownerId)), q, true, keyed);
    },
    async delete(kind, key) {
      const k = checkId('kind', kind);
      const id = recordId(k, checkId('key', key));
      const entry = records.get(id);
      if (!entry) return false;
      records.delete(id);
      kinds.remove(k, entry);
      kindOwners.remove(recordId(k, entry.record.ownerId), entry);
      return true;
    },
  } as Store;
}

function page<S, T>(matching: readonly Entry<S>[], q: PageQuery, newestFirst: boolean, copy: (record: S) => T): Page<T> {
  return { records: slice(matching, q.offset, q.limit, newestFirst).map((e) => copy(e.record)), total: matching.length };
}

function keyed<T>(r: StoredValue): KeyedRecord<T> {
  return { kind: r.kind, key: r.key, ownerId: r.ownerId, value: JSON.parse(r.json) as T, createdAt: r.createdAt, updatedAt: r.updatedAt };
}
