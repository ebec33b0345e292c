import { ActionError } from '../core/errors.js';
import { migrate, tableNames } from './migrations.js';
import { sqlAdapter, type Query, type QueryableClient } from './sql.js';
import type { ConversationRecord, FileRecord, KeyedRecord, ListQuery, Page, Store } from './types.js';
import { checkId, checkMaxLimit, checkNewConversation, checkNewFile, checkPage, valueJson, type PageQuery } from './validate.js';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /** A `pg.Pool` (recommended on servers and Lambda), a `pg.Client`, or a PGlite instance (embedded Postgres). */
  client: QueryableClient;
  /** Schema holding the tables (default `'public'`); created by `migrate()` when missing. Lower-case identifier. */
  schema?: string;
  /** Prefix of every table and index name (default `'bag_'`), so several stores can share a schema. */
  tablePrefix?: string;
  /** Largest page size; a larger `limit` is clamped to it (default 100). */
  maxLimit?: number;
}

/** A {@link Store} with the backend it was built on, as `postgresStore` returns it. */
export interface PostgresStore extends Store {
  /** Which client was detected: `'pglite'`, `'pg-pool'` or `'pg-client'`. */
  readonly backend: 'pglite' | 'pg-pool' | 'pg-client';
}

const FILE_COLUMNS = 'file_id, owner_id, session_id, original_name, file_name, key, file_type, file_size, sha256, created_at';
const CONVERSATION_COLUMNS = 'conversation_id, owner_id, session_id, prompt, response, agent_id, file_ids, created_at';
const RECORD_COLUMNS = 'kind, key, owner_id, value, created_at, updated_at';
// json columns come back as text so a JSON string value is parsed exactly once, whatever the client's type parsers.
const CONVERSATION_SELECT = CONVERSATION_COLUMNS.replace('file_ids', 'file_ids::text AS file_ids');
const RECORD_SELECT = RECORD_COLUMNS.replace('value', 'value::text AS value');

/**
 * A {@link Store} on Postgres: RDS/Aurora through `pg`, or PGlite in-process. Every value travels as a
 * query parameter; only the validated schema and prefix are written into SQL. Call `await store.migrate()`
 * once at start-up (safe to repeat and to run from several processes at once).
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  if (typeof options !== 'object' || options === null) throw new Error('postgresStore: options { client } are required');
  const sql = sqlAdapter(options.client, 'postgresStore');
  const t = tableNames('postgresStore', options.schema ?? 'public', options.tablePrefix ?? 'bag_');
  const maxLimit = checkMaxLimit('postgresStore', options.maxLimit);
  const query: Query = async (text, params) => {
    try {
      return await sql.query(text, params);
    } catch (error) {
      // 42P01 undefined_table: the one database error a user causes by setup, said plainly.
      if ((error as { code?: unknown }).code === '42P01') throw new Error(`postgresStore: the tables in schema "${t.schema}" with prefix "${t.prefix}" do not exist; call await store.migrate() first`, { cause: error });
      throw error;
    }
  };

  // One statement for a page and its total (the window count runs before LIMIT); a second only for a page past the end.
  async function pageOf<T>(table: string, where: string, params: unknown[], order: string, columns: string, q: PageQuery, row: (r: Row) => T): Promise<Page<T>> {
    const n = params.length;
    const rows = await query<Row>(`SELECT ${columns}, count(*) OVER () AS total FROM ${table} ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, q.limit, q.offset]);
    if (rows[0]) return { records: rows.map(row), total: Number(rows[0].total) };
    if (q.offset === 0) return { records: [], total: 0 };
    const count = await query<{ total: unknown }>(`SELECT count(*) AS total FROM ${table} ${where}`, params);
    return { records: [], total: Number(count[0]?.total ?? 0) };
  }

  return {
    backend: sql.kind,
    async migrate() {
      return { applied: await migrate(sql, t) };
    },
    async probe() {
      await sql.query('SELECT 1');
    },
    async addFile(input) {
      const r = checkNewFile(input);
      const rows = await query<Row>(
        `INSERT INTO ${t.files} (${FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (file_id) DO NOTHING RETURNING ${FILE_COLUMNS}`,
        [r.fileId, r.ownerId, r.sessionId ?? null, r.originalName, r.fileName, r.key, r.fileType, r.fileSize, r.sha256, r.createdAt],
      );
      if (!rows[0]) throw new ActionError(409, `A file with fileId ${JSON.stringify(r.fileId)} already exists`, { code: 'CONFLICT' });
      return fileRow(rows[0]);
    },
    async getFile(fileId) {
      const rows = await query<Row>(`SELECT ${FILE_COLUMNS} FROM ${t.files} WHERE file_id = $1`, [checkId('fileId', fileId)]);
      return rows[0] ? fileRow(rows[0]) : null;
    },
    async listFiles(input?: ListQuery) {
      const q = checkPage(input, maxLimit);
      const [where, params] = filters(q, true);
      return pageOf(t.files, where, params, 'created_at DESC, seq DESC', FILE_COLUMNS, q, fileRow);
    },
    async deleteFile(fileId) {
      return (await query(`DELETE FROM ${t.files} WHERE file_id = $1 RETURNING file_id`, [checkId('fileId', fileId)])).length > 0;
    },
    async addConversation(input) {
      const r = checkNewConversation(input);
      const rows = await query<Row>(
        `INSERT INTO ${t.conversations} (${CONVERSATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8) ON CONFLICT (conversation_id) DO NOTHING RETURNING ${CONVERSATION_SELECT}`,
        [r.conversationId, r.ownerId, r.sessionId, r.prompt, r.response, r.agentId ?? null, JSON.stringify(r.fileIds), r.createdAt],
      );
      if (!rows[0]) throw new ActionError(409, `A conversation with conversationId ${JSON.stringify(r.conversationId)} already exists`, { code: 'CONFLICT' });
      return conversationRow(rows[0]);
    },
    async listConversations(input?: ListQuery) {
      const q = checkPage(input, maxLimit);
      const [where, params] = filters(q, true);
      return pageOf(t.conversations, where, params, 'created_at, seq', CONVERSATION_SELECT, q, conversationRow);
    },
    async put(kind, key, value, putOptions) {
      const k = checkId('kind', kind);
      const id = checkId('key', key);
      const ownerId = checkId('ownerId', putOptions?.ownerId);
      const json = valueJson(value);
      const now = new Date().toISOString();
      // The update applies only to the same owner; no row back means the key is someone else's.
      const rows = await query<Row>(
        `INSERT INTO ${t.records} AS r (${RECORD_COLUMNS}) VALUES ($1, $2, $3, $4::json, $5, $5)
         ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at WHERE r.owner_id = EXCLUDED.owner_id
         RETURNING ${RECORD_SELECT}`,
        [k, id, ownerId, json, now],
      );
      if (!rows[0]) throw new ActionError(409, `The ${k} ${JSON.stringify(id)} belongs to another owner`, { code: 'CONFLICT' });
      return recordRow(rows[0]) as KeyedRecord<never>;
    },
    async get(kind, key) {
      const rows = await query<Row>(`SELECT ${RECORD_SELECT} FROM ${t.records} WHERE kind = $1 AND key = $2`, [checkId('kind', kind), checkId('key', key)]);
      return rows[0] ? (recordRow(rows[0]) as KeyedRecord<never>) : null;
    },
    async list(kind, input) {
      const k = checkId('kind', kind);
      const q = checkPage(input, maxLimit);
      const [where, params] = filters(q, false, k);
      return pageOf(t.records, where, params, 'created_at DESC, seq DESC', RECORD_SELECT, q, recordRow) as Promise<Page<KeyedRecord<never>>>;
    },
    async delete(kind, key) {
      return (await query(`DELETE FROM ${t.records} WHERE kind = $1 AND key = $2 RETURNING key`, [checkId('kind', kind), checkId('key', key)])).length > 0;
    },
  };
}

type Row = Record<string, unknown>;

/** The WHERE clause and its parameters for a list query. */
function filters(q: PageQuery, bySession: boolean, kind?: string): [string, unknown[]] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: string) => {
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  };
  if (kind !== undefined) add('kind', kind);
  if (q.ownerId !== undefined) add('owner_id', q.ownerId);
  if (bySession && q.sessionId !== undefined) add('session_id', q.sessionId);
  return [clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params];
}

function iso(value: unknown): string {
  return (value instanceof Date ? value : new Date(value as string)).toISOString();
}

function fileRow(r: Row): FileRecord {
  const record: FileRecord = {
    fileId: r.file_id as string,
    ownerId: r.owner_id as string,
    originalName: r.original_name as string,
    fileName: r.file_name as string,
    key: r.key as string,
    fileType: r.file_type as string,
    fileSize: Number(r.file_size),
    sha256: r.sha256 as string,
    createdAt: iso(r.created_at),
  };
  if (r.session_id !== null) record.sessionId = r.session_id as string;
  return record;
}

function conversationRow(r: Row): ConversationRecord {
  const record: ConversationRecord = {
    conversationId: r.conversation_id as string,
    ownerId: r.owner_id as string,
    sessionId: r.session_id as string,
    prompt: r.prompt as string,
    response: r.response as string,
    fileIds: jsonValue(r.file_ids) as string[],
    createdAt: iso(r.created_at),
  };
  if (r.agent_id !== null) record.agentId = r.agent_id as string;
  return record;
}

function recordRow(r: Row): KeyedRecord {
  return { kind: r.kind as string, key: r.key as string, ownerId: r.owner_id as string, value: jsonValue(r.value), createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
}

function jsonValue(text: unknown): unknown {
  return JSON.parse(text as string) as unknown;
}
