import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ActionError } from '../core/errors.js';

/** The state a cursor carries: any JSON object (offsets, ids, a direction…). */
export type CursorState = Record<string, unknown>;

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions {
  /**
   * Key that signs cursors (HMAC-SHA256), at least 16 bytes. Set it when cursors must survive a restart
   * or be shared by several instances; when absent, one random key per process is used (cursors then die
   * with the process, which is fine for a warm Lambda serving one agent session).
   */
  secret?: string | Uint8Array;
  /** How long a cursor stays valid, in milliseconds (default one hour; `Infinity` for never). */
  ttlMs?: number;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/** Encodes and checks opaque, signed cursors. Made by {@link createCursorCodec}. */
export interface CursorCodec {
  /**
   * Signs `state` into an opaque URL-safe token bound to `scope` (see {@link cursorScope}). Throws a
   * TypeError when the state is not a JSON object.
   */
  encode(state: CursorState, scope: string): string;
  /**
   * Returns the state a token was made from. Throws ActionError 400 (`code: 'INVALID_CURSOR'`) when the
   * token is garbage, truncated, altered, signed with another key, made for another scope (another
   * operation or query), or expired — the message tells the model to start again without a cursor.
   */
  decode(token: string, scope: string): CursorState;
}

/** Longest token accepted: cursors are small, so anything longer is not one of ours. */
export const MAX_CURSOR_LENGTH = 4096;
const DEFAULT_TTL_MS = 60 * 60 * 1000;
const VERSION = 1;

let processSecret: Buffer | undefined;

function keyOf(secret: string | Uint8Array | undefined): Buffer {
  if (secret === undefined) return (processSecret ??= randomBytes(32));
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < 16) throw new Error('createCursorCodec: "secret" must be at least 16 bytes long');
  return key;
}

/** Short digest of a scope, stored in the payload so a foreign cursor can be told apart from a forged one. */
function scopeTag(scope: string): string {
  return createHash('sha256').update(scope, 'utf8').digest('base64url').slice(0, 12);
}

/** base64url decoding that refuses non-canonical text (stray characters, altered padding bits). */
function strictBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * The 400 every refused cursor gets (`code: 'INVALID_CURSOR'`): `cursor <reason> — start again without a
 * cursor`, so the model knows what to do. Packs use it for cursors whose fields they check themselves.
 */
export function invalidCursor(reason: string): ActionError {
  return new ActionError(400, `cursor ${reason} — start again without a cursor`, { code: 'INVALID_CURSOR' });
}

const DERIVE_SALT = 'bedrock-action-groups/cursor-key/v1';

/**
 * A cursor signing key derived (HKDF-SHA256, 32 bytes) from a secret the deployment already holds, such
 * as the HubSpot access token, for when no dedicated `CURSOR_SECRET` is set: every instance holding the
 * same secret derives the same key, so a cursor made by one Lambda instance is accepted by the next,
 * while the key reveals nothing about the secret. `purpose` (the group name) keeps keys of different
 * packs apart. Rotating the secret invalidates outstanding cursors, as rotating `CURSOR_SECRET` would.
 */
export function deriveCursorSecret(material: string, purpose: string): Buffer {
  if (material.length === 0) throw new Error('deriveCursorSecret: the secret to derive from is empty');
  return Buffer.from(hkdfSync('sha256', material, DERIVE_SALT, purpose, 32));
}

function isPlainObject(value: unknown): value is CursorState {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes a codec for opaque, bidirectional, HMAC-signed cursors. A token is
 * `base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload))`; the payload holds the state, a
 * digest of the scope and an expiry. Nothing in a token can be changed without the signature failing,
 * and a token made for one scope is refused for any other, so a cursor never returns a wrong page.
 *
 * ```ts
 * const cursors = createCursorCodec({ secret: process.env.CURSOR_SECRET });
 * const scope = cursorScope('HubSpotOps.searchTickets', { q, filters, sort });
 * const next = cursors.encode({ offset: 10 }, scope);
 * const { offset } = cursors.decode(next, scope);
 * ```
 */
export function createCursorCodec(options: CursorCodecOptions = {}): CursorCodec {
  const key = keyOf(options.secret);
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!(ttlMs > 0)) throw new Error('createCursorCodec: "ttlMs" must be a positive number of milliseconds');
  const now = options.now ?? Date.now;
  const sign = (payload: string) => createHmac('sha256', key).update(payload, 'utf8').digest();

  return {
    encode(state, scope) {
      if (!isPlainObject(state)) throw new TypeError('cursor state must be a JSON object');
      const body: Record<string, unknown> = { v: VERSION, q: scopeTag(scope), s: state };
      if (Number.isFinite(ttlMs)) body.e = now() + ttlMs;
      const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },

    decode(token, scope) {
      if (typeof token !== 'string' || token.length === 0) throw invalidCursor('is empty');
      if (token.length > MAX_CURSOR_LENGTH) throw invalidCursor('is too long to be one of ours');
      const dot = token.indexOf('.');
      const payload = token.slice(0, dot);
      const signature = dot > 0 ? strictBase64url(token.slice(dot + 1)) : undefined;
      const json = strictBase64url(payload);
      if (!signature || !json) throw invalidCursor('is not valid (damaged or truncated)');
      const expected = sign(payload);
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        throw invalidCursor('is not valid (altered, truncated or signed by another deployment)');
      }
      // The signature matched, so the payload is ours: parsing it cannot meet hostile input.
      const body = JSON.parse(json.toString('utf8')) as { v?: unknown; q?: unknown; s?: unknown; e?: unknown };
      if (body.v !== VERSION || !isPlainObject(body.s)) throw invalidCursor('comes from an incompatible version');
      if (body.q !== scopeTag(scope)) throw invalidCursor('belongs to another operation or query (the search changed)');
      if (typeof body.e === 'number' && now() > body.e) throw invalidCursor('has expired');
      return body.s;
    },
  };
}

/** JSON with object keys sorted, so equal queries give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The scope of a cursor: the operation plus every input that decides which items a page holds (query,
 * filters, sort, parent id…) — not the page size or the cursor itself. A cursor decoded with another
 * scope is refused as foreign. Key order and `undefined` values do not matter.
 */
export function cursorScope(operation: string, query: Record<string, unknown> = {}): string {
  return `${operation}\n${canonicalJson(query)}`;
}
