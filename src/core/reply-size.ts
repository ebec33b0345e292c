import { ActionError, type ErrorBody } from './errors.js';
import { tryStringify } from './safe-json.js';

/** UTF-8 size of a string in bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The text an agent door sends: strings as they are (never double-quoted), anything else as JSON. */
export function bodyText(output: unknown): string {
  return typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
}

function tooLarge(operation: string, size: number, max: number): ActionError {
  return new ActionError(
    413,
    `The reply of ${operation} is ${size} bytes, over the ${max}-byte limit an agent accepts. Narrow the request: ask for fewer items (a smaller page_size), a shorter date range or more specific filters, then call again.`,
    { code: 'RESPONSE_TOO_LARGE', details: { bytes: size, maxBytes: max } },
  );
}

/** Every array inside a value with its parent, longest first: the ones truncation shortens. */
function arraysOf(value: unknown, found: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    found.push(value);
    for (const v of value) arraysOf(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) arraysOf(v, found);
  }
  return found;
}

/** True when a body text is within `maxBytes` of UTF-8 (cheap bound first: at most 3 bytes per UTF-16 unit). */
export function fits(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || byteLength(text) <= maxBytes;
}

/**
 * Makes an oversize output fit `maxBytes` once serialised (call it when `fits` said no). Without
 * `truncate`, that is a 413 telling the model to narrow its request. With it, the longest arrays are
 * shortened (halving, then one by one) until the text fits, and `truncated: true` is added to an object
 * output. Returns the body text and the value it serialises.
 */
export function shrinkReply(operation: string, output: unknown, text: string, maxBytes: number, truncate: boolean): { text: string; value: unknown } {
  if (!truncate) throw tooLarge(operation, byteLength(text), maxBytes);
  const copy: unknown = structuredClone(output);
  const root = copy !== null && typeof copy === 'object' && !Array.isArray(copy) ? { ...(copy as object), truncated: true } : { items: copy, truncated: true };
  const arrays = arraysOf(root).sort((a, b) => b.length - a.length);
  for (const arr of arrays) {
    // Halve while far over, then drop one at a time so as much as possible is kept.
    while (arr.length > 0) {
      const size = byteLength(JSON.stringify(root));
      if (size <= maxBytes) return { text: JSON.stringify(root), value: root };
      arr.length = size > maxBytes * 2 ? Math.floor(arr.length / 2) : arr.length - 1;
    }
  }
  const final = JSON.stringify(root);
  if (byteLength(final) <= maxBytes) return { text: final, value: root };
  throw tooLarge(operation, byteLength(text), maxBytes);
}

/** An error reply's `{ error }` object and its text. */
export interface ErrorReplyBody {
  text: string;
  value: { error: ErrorBody };
}

const utf8 = new TextEncoder();

/** `text` cut so its UTF-8 takes at most `maxBytes` (never inside a character), ending in "…" when cut. */
function clipBytes(text: string, maxBytes: number): string {
  if (fits(text, maxBytes)) return text;
  const room = Math.max(0, maxBytes - 3); // "…" is 3 bytes
  const { read } = utf8.encodeInto(text.slice(0, room), new Uint8Array(room));
  return `${text.slice(0, read)}…`;
}

/** One attempt at an error body within `budget` bytes: the message in part of it, then as many `details` entries as fit. */
function errorWithin(error: ErrorBody, code: string, list: readonly unknown[] | undefined, budget: number): { error: ErrorBody } {
  const message = clipBytes(String(error.message), list ? Math.floor(budget / 2) : budget - code.length - 40);
  if (!list) return { error: { code, message } };
  const note = (kept: number) => ` (details cut to the first ${kept} of ${list.length} entries to fit the reply)`;
  let used = byteLength(JSON.stringify({ error: { code, message: message + note(list.length), details: [] } }));
  const kept: unknown[] = [];
  for (const item of list) {
    const text = tryStringify(item);
    if (text === undefined) break;
    used += byteLength(text) + 1;
    if (used > budget) break;
    kept.push(item);
  }
  return { error: { code, message: message + note(kept.length), details: kept } };
}

/**
 * The `{"error":{…}}` body of an agent door's error reply, within `maxBytes`: as it is when it fits.
 * Else the message is cut, a `details` list keeps its first entries (the message says how many of how
 * many) and other details are dropped. Details that cannot be serialised are dropped too.
 */
export function fitErrorBody(error: ErrorBody, maxBytes: number): ErrorReplyBody {
  const whole = tryStringify({ error });
  if (whole !== undefined && fits(whole, maxBytes)) return { text: whole, value: { error } };
  const code = String(error.code).slice(0, 100);
  const list = Array.isArray(error.details) ? error.details : undefined;
  if (whole === undefined && !list) {
    const value = { error: { code, message: String(error.message) } };
    const text = JSON.stringify(value);
    if (fits(text, maxBytes)) return { text, value };
  }
  // JSON escapes can make the text longer than the parts measured: halve the budget until it fits.
  for (let budget = maxBytes; budget >= 64; budget = Math.floor(budget / 2)) {
    const value = errorWithin(error, code, list, budget);
    const text = JSON.stringify(value);
    if (fits(text, maxBytes)) return { text, value };
  }
  const value = { error: { code, message: '…' } };
  return { text: JSON.stringify(value), value };
}
