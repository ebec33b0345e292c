// What a mounted web handler (router.mount) is handed: the request with its whole body, read before the
// handler runs and only up to the mount's limit, so a handler never sees a body cut short or unbounded.
import { readBodyBytes } from './body.js';
import type { HttpExchange } from './exchange.js';

/** The request for a mounted handler, and the exchange a route answers from when the handler passes. */
export interface MountedRequest {
  readonly request: Request;
  readonly exchange: HttpExchange;
}

/**
 * Reads the body (413 over `limit` bytes — from Content-Length before reading, else while reading — and
 * 400 when the client stops sending it; the handler is then never called) and makes the web `Request`
 * with it. GET and HEAD carry no body. `what` names the limit in the 413.
 */
export async function mountedRequest(ex: HttpExchange, limit: number, what: string): Promise<MountedRequest> {
  const bare = ex.request();
  if (ex.method === 'GET' || ex.method === 'HEAD') return { request: bare, exchange: ex };
  const bytes = await readBodyBytes(ex, limit, what);
  // The headers describe the body handed over (a body parser's re-serialised JSON may differ in length).
  const headers = new Headers(bare.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(bytes.byteLength));
  const request = new Request(bare.url, { method: ex.method, headers, body: bytes.byteLength === 0 ? null : (bytes as BodyInit), signal: bare.signal });
  // The body has been read: a route answering after the handler passes reads these same bytes.
  const exchange: HttpExchange = {
    method: ex.method,
    target: ex.target,
    header: (name) => ex.header(name),
    readBody: (max) => Promise.resolve(bytes.byteLength > max ? undefined : bytes),
    request: () => bare,
    ...(ex.lambdaContext ? { lambdaContext: ex.lambdaContext } : {}),
  };
  return { request, exchange };
}
