import { ActionError } from '../core/errors.js';
import { readCapped } from '../util/body.js';

/** One HTTP call to a service this library depends on. */
export interface UpstreamRequest {
  /** Human name of the service, used in error messages ("metrics service", "allowlist"). */
  service: string;
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  /** Abort and fail with a 504 after this many milliseconds. */
  timeoutMs: number;
  /** The caller's signal (usually `ctx.signal`); aborting it aborts the call. */
  signal?: AbortSignal;
}

/** True for a redirect status (3xx), which no upstream call of this library follows. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/**
 * Calls an upstream service with a deadline. Resolves with the Response whatever its status (the caller
 * decides what a status means), except a redirect: redirects are never followed (`redirect: 'manual'`),
 * because fetch would carry headers such as `x-api-key` to whatever origin the `Location` names, and a
 * 3xx rejects with ActionError 502 (`UPSTREAM_REDIRECT`, body discarded). Rejects with 504 on timeout and
 * 502 when the service cannot be reached. `fetch` is looked up at call time, so interception installed
 * later still sees the call.
 */
export async function callUpstream(request: UpstreamRequest): Promise<Response> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let response: Response;
  try {
    response = await globalThis.fetch(request.url, {
      method: request.method ?? 'GET',
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    if (signal.aborted) {
      throw new ActionError(504, `The ${request.service} did not answer within ${request.timeoutMs} ms; try again later`, { code: 'UPSTREAM_TIMEOUT', cause: error });
    }
    throw new ActionError(502, `The ${request.service} could not be reached`, { code: 'UPSTREAM_UNREACHABLE', cause: error });
  }
  // Node's fetch gives the real 3xx with `redirect: 'manual'`; an opaque redirect (status 0) is one too.
  if (isRedirect(response.status) || response.type === 'opaqueredirect') {
    await response.body?.cancel().catch(() => undefined);
    throw new ActionError(502, `The ${request.service} answered with a redirect (HTTP ${response.status}), which is not followed; check its URL`, {
      code: 'UPSTREAM_REDIRECT',
      details: { upstreamStatus: response.status },
    });
  }
  return response;
}

/**
 * A reply body as UTF-8 text, reading at most `maxBytes`: past it the rest is not read (the producer is
 * cancelled) and it rejects with ActionError 502 (`UPSTREAM_TOO_LARGE`) naming the service and the cap,
 * followed by `hint` when given (what the caller can do about it).
 */
export async function readUpstreamText(response: Response, service: string, maxBytes: number, hint?: string): Promise<string> {
  const bytes = await readCapped(response.body, maxBytes);
  if (!bytes) throw new ActionError(502, `The ${service} sent a reply larger than ${maxBytes} bytes${hint ? `; ${hint}` : ''}.`, { code: 'UPSTREAM_TOO_LARGE' });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * A reply body parsed as JSON, bounded like {@link readUpstreamText} (`hint` likewise); an empty body is `undefined` and a
 * body that is not JSON rejects with ActionError 502 (`UPSTREAM_ERROR`).
 */
export async function readUpstreamJson<T = unknown>(response: Response, service: string, maxBytes: number, hint?: string): Promise<T | undefined> {
  const text = await readUpstreamText(response, service, maxBytes, hint);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ActionError(502, `The ${service} sent a reply that is not JSON.`, { code: 'UPSTREAM_ERROR', cause: error });
  }
}
