import { ActionError } from './errors.js';

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

/**
 * Calls an upstream service with a deadline. Resolves with the Response whatever its status (the caller
 * decides what a status means); rejects with ActionError 504 on timeout and 502 when the service cannot
 * be reached. `fetch` is looked up at call time, so interception installed later still sees the call.
 */
export async function callUpstream(request: UpstreamRequest): Promise<Response> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    return await globalThis.fetch(request.url, {
      method: request.method ?? 'GET',
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
    });
  } catch (error) {
    if (signal.aborted) {
      throw new ActionError(504, `The ${request.service} did not answer within ${request.timeoutMs} ms; try again later`, { code: 'UPSTREAM_TIMEOUT', cause: error });
    }
    throw new ActionError(502, `The ${request.service} could not be reached`, { code: 'UPSTREAM_UNREACHABLE', cause: error });
  }
}
