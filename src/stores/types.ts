/** A stored file's metadata (the bytes live in a blob store under `key`). */
export interface FileRecord {
  fileId: string;
  ownerId: string;
  sessionId?: string;
  /** The name the user uploaded. */
  originalName: string;
  /** The safe name the file is kept under. */
  fileName: string;
  /** The blob store key of the bytes. */
  key: string;
  /** Media type, e.g. `application/pdf`. */
  fileType: string;
  /** Size in bytes. */
  fileSize: number;
  /** Hex SHA-256 of the bytes (64 lower-case hex digits). */
  sha256: string;
  /** ISO 8601 time in UTC, e.g. `2026-01-31T09:30:00.000Z`. */
  createdAt: string;
}

/** What {@link Store.addFile} takes: the store assigns `fileId` and `createdAt` when absent. */
export type NewFileRecord = Omit<FileRecord, 'fileId' | 'createdAt'> & { fileId?: string; createdAt?: string };

/** One prompt and its answer within a session. */
export interface ConversationRecord {
  conversationId: string;
  ownerId: string;
  sessionId: string;
  prompt: string;
  response: string;
  agentId?: string;
  /** Files the answer used (their `fileId`s). */
  fileIds: string[];
  createdAt: string;
}

/** What {@link Store.addConversation} takes: the store assigns `conversationId` and `createdAt` when absent; `fileIds` defaults to `[]`. */
export type NewConversationRecord = Omit<ConversationRecord, 'conversationId' | 'createdAt' | 'fileIds'> & { conversationId?: string; createdAt?: string; fileIds?: string[] };

/** A JSON value kept under a kind and a key (bots, threads…), owned by one user. */
export interface KeyedRecord<T = unknown> {
  kind: string;
  key: string;
  ownerId: string;
  value: T;
  createdAt: string;
  updatedAt: string;
}

/** Paging and filters of the list methods. */
export interface ListQuery {
  ownerId?: string;
  sessionId?: string;
  /** Page size, 1 or more (default 20); larger than the store's `maxLimit` is clamped to it. */
  limit?: number;
  /** Records to skip, 0 or more (default 0). */
  offset?: number;
}

/** One page of a list, with the total number of records matching the filters. */
export interface Page<T> {
  records: T[];
  total: number;
}

/**
 * What the packs keep: file metadata, conversations and keyed records. `memoryStore()` and
 * `postgresStore()` implement it with identical behaviour, checked by one contract suite. Bad input is an
 * `ActionError` 400 naming the field, never a database error.
 */
export interface Store {
  /**
   * Creates or upgrades the store's tables; idempotent and safe from several processes at once. Resolves the
   * schema versions this call applied (`[]` when up to date, and always in memory).
   */
  migrate(): Promise<{ applied: number[] }>;
  /** Stores a file record; returns it with its `fileId` and `createdAt`. A 409 when the `fileId` exists. */
  addFile(record: NewFileRecord): Promise<FileRecord>;
  getFile(fileId: string): Promise<FileRecord | null>;
  /** Files newest first (equal times: last added first). */
  listFiles(query?: ListQuery): Promise<Page<FileRecord>>;
  /** True when a record was deleted. */
  deleteFile(fileId: string): Promise<boolean>;
  /** Stores a conversation turn; returns it with its `conversationId` and `createdAt`. */
  addConversation(record: NewConversationRecord): Promise<ConversationRecord>;
  /** Conversations oldest first (equal times: first added first). */
  listConversations(query?: ListQuery): Promise<Page<ConversationRecord>>;
  /** Creates or replaces the value under `kind` + `key`; a 409 when the key belongs to another owner. */
  put<T>(kind: string, key: string, value: T, options: { ownerId: string }): Promise<KeyedRecord<T>>;
  get<T = unknown>(kind: string, key: string): Promise<KeyedRecord<T> | null>;
  /** Records of a kind, newest first (by `createdAt`; equal times: last created first). */
  list<T = unknown>(kind: string, query?: Omit<ListQuery, 'sessionId'>): Promise<Page<KeyedRecord<T>>>;
  /** True when a record was deleted. */
  delete(kind: string, key: string): Promise<boolean>;
  /** A cheap check that the backend answers (`SELECT 1`); rejects when it does not. For `/health`. */
  probe(): Promise<void>;
}
