import type { LambdaContext } from '../../core/context.js';
import type { ActionError, ErrorBody } from '../../core/errors.js';
import { tryStringify } from '../../core/safe-json.js';
import { readCapped } from '../../util/body.js';

/**
 * The parts of one HTTP request the door reads. `router.fetch` builds it from a web `Request`; the node
 * adapter and API Gateway build it straight from their own request objects, so a plain GET never pays
 * for a `Request`, a `Headers` or a body stream it does not need.
 */
export interface HttpExchange {
  /** Upper-case method. */
  readonly method: string;
  /** Origin-form target as received, not decoded: `/orders/A-1?full=true`. */
  readonly target: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /**
   * Reads the whole body, stopping as soon as it is larger than `limit` bytes (resolves `undefined`
   * then, having read at most one chunk past the limit). Rejects when the client goes away.
   */
  readBody(limit: number): Promise<Uint8Array | undefined>;
  /** The request as a web `Request`, for `authenticate`; made on demand, its body is the door's to read. */
  request(): Request;
  /** The Lambda context, when the request came through API Gateway or a Function URL. */
  readonly lambdaContext?: LambdaContext;
}

/** A reply body: text (JSON or HTML), bytes, or a stream of bytes written as it comes (server-sent events, files). */
export type HttpBody = string | Uint8Array | ReadableStream<Uint8Array>;

/** What the door answers; adapters write it in their own way. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** The body, or `undefined` for none (204). A stream is cancelled when the client goes away. */
  body?: HttpBody;
  /** Set on the 404 for a path no route knows, so a framework adapter can pass the request on. */
  unrouted?: true;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' } as const;

/** A JSON reply; `extra` headers are added to the JSON ones. */
export function jsonReply(status: number, text: string, extra?: Record<string, string>): HttpReply {
  return { status, headers: extra ? { ...JSON_HEADERS, ...extra } : { ...JSON_HEADERS }, body: text };
}

/** The `{ error: { code, message, details? } }` reply for an ActionError; the error's own headers win over `extra`. */
export function errorReply(error: ActionError, extra?: Record<string, string>): HttpReply {
  const headers = error.headers ? { ...extra, ...error.headers } : extra;
  return jsonReply(error.status, errorText(error.toJSON()), headers);
}

/** The `{"error":{…}}` text of an error; details that cannot be serialised (a cycle, a BigInt) are left out. */
export function errorText(error: ErrorBody): string {
  return tryStringify({ error }) ?? JSON.stringify({ error: { code: String(error.code), message: String(error.message) } });
}


/** The exchange for a web `Request` (used by `router.fetch`). */
export function requestExchange(request: Request): HttpExchange {
  const url = request.url;
  // Request URLs are absolute and normalised: the target starts at the first "/" after the authority.
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const hash = url.indexOf('#');
  const target = start === -1 ? '/' : url.slice(start, hash === -1 ? undefined : hash);
  return {
    method: request.method.toUpperCase(),
    target,
    header: (name) => request.headers.get(name) ?? undefined,
    readBody: (limit) => readCapped(request.body, limit),
    request: () => request,
  };
}

/** A web `Response` for a reply (used by `router.fetch`). */
export function toResponse(reply: HttpReply): Response {
  return new Response((reply.body ?? null) as BodyInit | null, { status: reply.status, headers: reply.headers });
}

/**
 * The reply for a web `Response` (an operation's or a mounted handler's): its status, headers and body
 * stream as they are. Several `Set-Cookie` headers are joined as `Headers.get` joins them.
 */
export function responseReply(response: Response): HttpReply {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const reply: HttpReply = { status: response.status, headers };
  if (response.body !== null) reply.body = response.body;
  return reply;
}

/** The body's bytes (a stream read to its end, at most `limit` bytes: `undefined` past it). */
export async function bodyBytes(body: HttpBody | undefined, limit: number): Promise<Uint8Array | undefined> {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === 'string') body = new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body.byteLength > limit ? undefined : body;
  return readCapped(body, limit);
}
