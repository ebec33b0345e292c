import { ActionError, clip, isActionError } from '../core/errors.js';

/** Used when OpenAI throttles without saying for how long. */
const DEFAULT_RETRY_SECONDS = 30;

// The parts of the openai package's APIError read here. Read by shape, not `instanceof`, so this module loads
// nothing from the package (./agents works with whatever client is passed) and any copy of it is understood.
interface OpenAiErrorShape {
  status?: unknown;
  headers?: unknown;
  requestID?: unknown;
  error?: unknown;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return undefined;
}

/** Seconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date), else the default. */
function retrySeconds(headers: unknown, now: number): number {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const value = header(headers, 'retry-after');
  if (value !== undefined) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(1, Math.ceil((date - now) / 1000));
  }
  return DEFAULT_RETRY_SECONDS;
}

/** OpenAI's own error message (never for 401/403, whose messages can quote the key). */
function upstreamMessage(error: OpenAiErrorShape): string {
  const body = error.error as { message?: unknown } | undefined;
  const text = typeof body?.message === 'string' ? body.message : '';
  return text ? `: ${clip(text, 300)}` : '';
}

function requestIdOf(error: OpenAiErrorShape): string | undefined {
  const id = typeof error.requestID === 'string' ? error.requestID : header(error.headers, 'x-request-id');
  return id && /^[\w.:-]{1,128}$/.test(id) ? id : undefined;
}

/** The client's own timeout (`APIConnectionTimeoutError`, whose `name` is plain `Error`). */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.constructor?.name === 'APIConnectionTimeoutError' || error.message === 'Request timed out.');
}

/**
 * The ActionError for a failed OpenAI call (`what` names it: "creating the fine-tuning job"): 401/403 → 502
 * naming authentication (OpenAI's text, which can quote part of the key, is never passed on); 429 → 503 with
 * `Retry-After`; 5xx → 502 with OpenAI's request id; a timeout (the client's, or `signal` aborting) → 504;
 * an unreachable API → 502; OpenAI refusing the request itself (400, 404, 409, 422) → the same status with
 * OpenAI's message. An ActionError passes through.
 */
export function openAiError(error: unknown, what: string, signal?: AbortSignal, now = Date.now()): ActionError {
  if (isActionError(error)) return error;
  const e = (error ?? {}) as OpenAiErrorShape;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const cause = { cause: error };
  if (isTimeout(error) || (signal?.aborted && status === undefined)) {
    return new ActionError(504, `OpenAI did not answer in time while ${what}; try again later.`, { code: 'UPSTREAM_TIMEOUT', ...cause });
  }
  if (status === 401 || status === 403) {
    const problem = status === 401 ? 'authentication failed: the API key was refused' : 'the API key is not allowed to do this (permission denied)';
    return new ActionError(502, `OpenAI refused the request while ${what} (HTTP ${status}, ${problem}); check OPENAI_API_KEY and the key's project and permissions.`, { code: 'OPENAI_AUTH', details: { upstreamStatus: status }, ...cause });
  }
  if (status === 429) {
    const seconds = retrySeconds(e.headers, now);
    return new ActionError(503, `OpenAI is throttling requests (HTTP 429) while ${what}; retry after ${seconds} seconds.`, {
      code: 'UPSTREAM_THROTTLED',
      details: { upstreamStatus: 429, retryAfterSeconds: seconds },
      headers: { 'Retry-After': String(seconds) },
      ...cause,
    });
  }
  if (status !== undefined && status >= 500) {
    const id = requestIdOf(e);
    return new ActionError(502, `OpenAI failed while ${what} (HTTP ${status}${id ? `, request id ${id}` : ''}); try again later.`, { code: 'UPSTREAM_ERROR', details: { upstreamStatus: status, ...(id ? { requestId: id } : {}) }, ...cause });
  }
  if (status === 400 || status === 404 || status === 409 || status === 422) {
    return new ActionError(status, `OpenAI refused the request while ${what} (HTTP ${status})${upstreamMessage(e)}`, { code: 'OPENAI_REFUSED', details: { upstreamStatus: status }, ...cause });
  }
  if (status !== undefined) {
    return new ActionError(502, `OpenAI answered HTTP ${status} while ${what}.`, { code: 'UPSTREAM_ERROR', details: { upstreamStatus: status }, ...cause });
  }
  return new ActionError(502, `OpenAI could not be reached while ${what}; try again later.`, { code: 'UPSTREAM_UNREACHABLE', ...cause });
}
