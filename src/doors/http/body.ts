import { ActionError } from '../../core/errors.js';
import { isReservedKey } from '../../core/input.js';
import type { HttpExchange } from './exchange.js';

/** Default largest request body: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

// application/json and structured-syntax suffixes such as application/problem+json.
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * A 415 unless the content type is JSON in UTF-8. No content type is a 415 too: a cross-site "simple"
 * request (a form, or a no-cors fetch, which may send none) then never reaches an operation.
 */
function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === '') {
    throw new ActionError(415, 'The request has no Content-Type: send the body as JSON in UTF-8 with Content-Type: application/json (an empty body needs it too).', {
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
  const semicolon = contentType.indexOf(';');
  const media = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (JSON_MEDIA_TYPE.test(media) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return;
  throw new ActionError(415, `Unsupported content type ${JSON.stringify(contentType.slice(0, 100))}: send the body as JSON in UTF-8 (Content-Type: application/json).`, {
    code: 'UNSUPPORTED_MEDIA_TYPE',
  });
}

function tooLarge(limit: number, what: string): ActionError {
  return new ActionError(413, `The request body is larger than ${limit} bytes, the limit of ${what}. Send less data.`, {
    code: 'PAYLOAD_TOO_LARGE',
    details: { limitBytes: limit },
  });
}

/**
 * Reads the whole body: 413 above `limit` (from Content-Length before reading, else while reading), 400
 * when the client stops sending it. `what` names the limit in the 413.
 */
export async function readBodyBytes(ex: HttpExchange, limit: number, what: string): Promise<Uint8Array> {
  const declared = ex.header('content-length');
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit, what);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await ex.readBody(limit);
  } catch {
    throw new ActionError(400, 'The request body could not be read: the client stopped sending it.', { code: 'BAD_REQUEST' });
  }
  if (bytes === undefined) throw tooLarge(limit, what);
  return bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON object body: 415 for another content type or none, 413 above `limit` (from Content-Length before
 * reading, else while reading), 400 for text that is not UTF-8, not JSON, or not an object. An empty
 * body is an empty object, so missing fields are reported by validation.
 */
export async function readJsonObject(ex: HttpExchange, limit: number, what: string): Promise<Record<string, unknown>> {
  checkContentType(ex.header('content-type'));
  const bytes = await readBodyBytes(ex, limit, what);
  if (bytes.byteLength === 0) return {};
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ActionError(400, 'The request body is not valid UTF-8 text.', { code: 'INVALID_JSON' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ActionError(400, `The request body is not valid JSON (${(error as Error).message}). Send one JSON object of named fields.`, { code: 'INVALID_JSON' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    throw new ActionError(400, `The JSON body must be an object of named fields, got ${got}.`, { code: 'INVALID_JSON' });
  }
  return value as Record<string, unknown>;
}

/** Adds query parameters to `into`; a repeated key becomes a list. Reserved names (`__proto__`…) are ignored. */
export function addQuery(search: string, into: Record<string, unknown>): void {
  for (const [key, value] of new URLSearchParams(search)) {
    if (isReservedKey(key)) continue;
    const prev = into[key];
    if (prev === undefined) into[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else into[key] = [prev, value];
  }
}
