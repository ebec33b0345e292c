// Input checks shared by every store, so memory and Postgres refuse exactly the same things with the
// same 400s. Postgres text cannot hold NUL (U+0000) or lone surrogates, so neither store accepts them.
import { randomUUID } from 'node:crypto';
import { ActionError } from '../core/errors.js';
import type { ConversationRecord, FileRecord, ListQuery, NewConversationRecord, NewFileRecord } from './types.js';

/** Longest identifier (ids, owner, session, kind, key) in UTF-8 bytes: they are indexed. */
export const MAX_ID_BYTES = 256;
/** Longest name, media type or blob key, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 16_384;
/** Longest prompt or response, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Largest keyed-record value, as JSON text in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 1024 * 1024;
/** Most `fileIds` on one conversation. */
export const MAX_FILE_IDS = 1000;
/** Default and default largest page size. */
export const DEFAULT_LIMIT = 20;
export const DEFAULT_MAX_LIMIT = 100;

// String.prototype.isWellFormed (Node 20+), typed here because the project's lib is ES2023.
const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

function bad(message: string): ActionError {
  return new ActionError(400, message, { code: 'BAD_REQUEST' });
}

function checkString(field: string, value: unknown, maxBytes: number, allowEmpty: boolean): string {
  if (typeof value !== 'string') throw bad(`"${field}" must be a string`);
  if (!allowEmpty && value === '') throw bad(`"${field}" must not be empty`);
  if (value.includes('\u0000')) throw bad(`"${field}" must not contain NUL characters (U+0000)`);
  if (!wellFormed(value)) throw bad(`"${field}" must be well-formed Unicode (no lone surrogates)`);
  if (Buffer.byteLength(value, 'utf8') > maxBytes) throw bad(`"${field}" must be at most ${maxBytes} bytes`);
  return value;
}

/** An identifier: a non-empty string of at most {@link MAX_ID_BYTES} bytes. */
export function checkId(field: string, value: unknown): string {
  return checkString(field, value, MAX_ID_BYTES, false);
}

function optionalId(field: string, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : checkId(field, value);
}

const MIN_TIME = new Date('0001-01-01T00:00:00.000Z').getTime();
const MAX_TIME = new Date('9999-12-31T23:59:59.999Z').getTime();

/** A time given as an ISO 8601 string (normalised to UTC milliseconds), or now. */
function checkTime(field: string, value: unknown): string {
  if (value === undefined) return new Date().toISOString();
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time) || time < MIN_TIME || time > MAX_TIME) throw bad(`"${field}" must be an ISO 8601 date-time such as 2026-01-31T09:30:00.000Z`);
  return new Date(time).toISOString();
}

function checkObject(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** A complete file record from what `addFile` was given. */
export function checkNewFile(input: NewFileRecord): FileRecord {
  const r = checkObject('The file record', input);
  const record: FileRecord = {
    fileId: r.fileId === undefined ? randomUUID() : checkId('fileId', r.fileId),
    ownerId: checkId('ownerId', r.ownerId),
    originalName: checkString('originalName', r.originalName, MAX_TEXT_BYTES, false),
    fileName: checkString('fileName', r.fileName, MAX_TEXT_BYTES, false),
    key: checkString('key', r.key, MAX_TEXT_BYTES, false),
    fileType: checkString('fileType', r.fileType, MAX_TEXT_BYTES, false),
    fileSize: 0,
    sha256: '',
    createdAt: checkTime('createdAt', r.createdAt),
  };
  const sessionId = optionalId('sessionId', r.sessionId);
  if (sessionId !== undefined) record.sessionId = sessionId;
  if (!Number.isSafeInteger(r.fileSize) || (r.fileSize as number) < 0) throw bad('"fileSize" must be a whole number of bytes, 0 or more');
  record.fileSize = r.fileSize as number;
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256)) throw bad('"sha256" must be 64 lower-case hex digits');
  record.sha256 = r.sha256;
  return record;
}

/** A complete conversation record from what `addConversation` was given. */
export function checkNewConversation(input: NewConversationRecord): ConversationRecord {
  const r = checkObject('The conversation record', input);
  const fileIds = r.fileIds ?? [];
  if (!Array.isArray(fileIds) || fileIds.length > MAX_FILE_IDS) throw bad(`"fileIds" must be a list of at most ${MAX_FILE_IDS} file ids`);
  const record: ConversationRecord = {
    conversationId: r.conversationId === undefined ? randomUUID() : checkId('conversationId', r.conversationId),
    ownerId: checkId('ownerId', r.ownerId),
    sessionId: checkId('sessionId', r.sessionId),
    prompt: checkString('prompt', r.prompt, MAX_BODY_BYTES, true),
    response: checkString('response', r.response, MAX_BODY_BYTES, true),
    fileIds: fileIds.map((id: unknown, i: number) => checkId(`fileIds[${i}]`, id)),
    createdAt: checkTime('createdAt', r.createdAt),
  };
  const agentId = r.agentId === undefined || r.agentId === null ? undefined : checkString('agentId', r.agentId, MAX_TEXT_BYTES, false);
  if (agentId !== undefined) record.agentId = agentId;
  return record;
}

/** A keyed-record value as JSON text: JSON-serialisable, no NUL or lone surrogate in any string or name, bounded. */
export function valueJson(value: unknown): string {
  let problem: string | undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, function (this: unknown, name: string, v: unknown) {
      if (problem === undefined && (name.includes('\u0000') || (typeof v === 'string' && v.includes('\u0000')))) problem = 'must not contain NUL characters (U+0000) in any string';
      if (problem === undefined && (!wellFormed(name) || (typeof v === 'string' && !wellFormed(v)))) problem = 'must be well-formed Unicode (no lone surrogates)';
      return v;
    });
  } catch {
    throw bad('"value" must be JSON-serialisable (no cycles, no BigInt)');
  }
  if (problem) throw bad(`"value" ${problem}`);
  if (text === undefined) throw bad('"value" must be a JSON value (not undefined or a function)');
  if (Buffer.byteLength(text, 'utf8') > MAX_VALUE_BYTES) throw bad(`"value" must be at most ${MAX_VALUE_BYTES} bytes as JSON`);
  return text;
}

/** A checked list query: `limit` clamped to `maxLimit`, bad numbers refused. */
export interface PageQuery {
  ownerId?: string;
  sessionId?: string;
  limit: number;
  offset: number;
}

/** Checks a list query; `limit` above `maxLimit` is clamped, a negative, fractional or NaN one refused. */
export function checkPage(query: ListQuery | undefined, maxLimit: number): PageQuery {
  const q = query === undefined ? {} : checkObject('The list query', query);
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = q.offset ?? 0;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw bad('"limit" must be a whole number, 1 or more');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw bad('"offset" must be a whole number, 0 or more');
  const page: PageQuery = { limit: Math.min(limit, maxLimit), offset };
  const ownerId = optionalId('ownerId', q.ownerId);
  if (ownerId !== undefined) page.ownerId = ownerId;
  const sessionId = optionalId('sessionId', q.sessionId);
  if (sessionId !== undefined) page.sessionId = sessionId;
  return page;
}

/** Checks the `maxLimit` option of a store. */
export function checkMaxLimit(owner: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_LIMIT;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10_000) throw new Error(`${owner}: "maxLimit" must be an integer from 1 to 10000`);
  return value as number;
}
