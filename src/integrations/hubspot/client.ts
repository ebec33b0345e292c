import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@hubspot/api-client';
import { ActionError, isActionError } from '../../core/errors.js';
import { clientGetter } from '../../kit/clients.js';
import { readUpstreamText } from '../../kit/upstream.js';

/** How a pack gets its HubSpot client. Shared by every pack that talks to HubSpot. */
export interface HubSpotClientOptions {
  /**
   * A ready client, or a function returning one (called on every operation call). Build it with
   * `numberOfApiCallRetries` 0 (the SDK default): {@link withHubSpot} retries rate limits itself, within
   * the operation's time budget, while the SDK's own retry sleeps 10 s × attempt.
   */
  client?: Client | (() => Client);
  /** Private app access token, used when `client` is absent. */
  accessToken?: string;
  /** API base URL (the SDK's `basePath`), default `https://api.hubapi.com`. */
  baseUrl?: string;
  /** Environment variable named in the 503 reply when neither `client` nor `accessToken` is set (default `HUBSPOT_TOKEN`). */
  tokenVariable?: string;
}

/**
 * Returns a function that yields the HubSpot client when an operation runs, so creating a pack never
 * fails and never touches the network. Without `client` or `accessToken` it throws ActionError 503
 * naming the missing variable. A client built from `accessToken` is made on first use and then reused:
 * the SDK patches its API objects with process-wide decorators when they are first used, so building a
 * fresh client per call would also reset the decorators of any other client in the process.
 */
export function hubspotClientSource(options: HubSpotClientOptions): () => Client {
  const { accessToken, baseUrl } = options;
  return clientGetter(options.client, () => {
    if (!accessToken) {
      const variable = options.tokenVariable ?? 'HUBSPOT_TOKEN';
      throw new ActionError(503, `HubSpot is not configured: set ${variable} (a private app access token) and try again.`, { code: 'NOT_CONFIGURED' });
    }
    return new Client({ accessToken, numberOfApiCallRetries: 0, ...(baseUrl ? { basePath: baseUrl.replace(/\/+$/, '') } : {}) });
  });
}

/** Options of {@link withHubSpot}. */
export interface HubSpotCallOptions {
  /** What is being read, for messages: "ticket 123" gives "ticket 123 not found". */
  what: string;
  /** The operation's signal (`ctx.signal`): aborting it abandons the call and any wait. */
  signal?: AbortSignal;
  /** Epoch milliseconds by which everything, retries included, must be over (wins over `budgetMs`). */
  deadline?: number;
  /** Time allowed for the call and its retries when `deadline` is absent (default 10 000 ms). */
  budgetMs?: number;
  /** Most attempts on HTTP 429 (default 4). */
  maxAttempts?: number;
  /** First back-off wait when HubSpot sends no `Retry-After`; doubles per attempt (default 500 ms). */
  baseDelayMs?: number;
  /** Told about each retry, e.g. to log it. */
  onRetry?: (info: { attempt: number; waitMs: number; status: number; correlationId?: string }) => void;
}

/** An HTTP failure as the SDK reports it (`ApiException`: `code`, `body`, `headers`), also made by {@link hubspotRequest}. */
export class HubSpotHttpError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HubSpot answered HTTP ${code}`);
    this.name = 'HubSpotHttpError';
  }
}

interface HttpFailure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, body, headers } = error as { code?: unknown; body?: unknown; headers?: unknown };
  if (typeof code !== 'number' || code < 100 || code > 599) return undefined;
  return { status: code, body: parseBody(body), headers: (headers && typeof headers === 'object' ? headers : {}) as Record<string, string> };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const key in headers) if (key.toLowerCase() === name) return String(headers[key]);
  return undefined;
}

/** HubSpot's id for a failed request: `correlationId` in the error body, else the `x-hubspot-correlation-id` header. */
export function correlationIdOf(failure: { body: unknown; headers: Record<string, string> }): string | undefined {
  const fromBody = (failure.body as { correlationId?: unknown } | null)?.correlationId;
  return typeof fromBody === 'string' && fromBody ? fromBody : header(failure.headers, 'x-hubspot-correlation-id');
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), when present and sane. */
function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}

/** HubSpot's own message for a 400, cut short: it says which property or filter it rejected. */
function hubspotMessage(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message !== 'string' || !message.trim()) return undefined;
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/**
 * Turns a HubSpot failure into the ActionError the caller sees. 404 → 404 "`what` not found";
 * 400 → 400 with HubSpot's reason; 401/403 → 502 naming a credentials problem (the token is never
 * echoed); 429 → 503 with advice to retry; anything else → 502 with HubSpot's correlation id; no HTTP
 * answer at all → 502 "could not be reached".
 */
export function hubspotError(error: unknown, what: string): ActionError {
  if (isActionError(error)) return error;
  const failure = httpFailureOf(error);
  if (!failure) return new ActionError(502, `HubSpot could not be reached while reading ${what}; try again in a moment.`, { code: 'UPSTREAM_UNREACHABLE', cause: error });
  const { status } = failure;
  const correlationId = correlationIdOf(failure);
  const details = { upstreamStatus: status, ...(correlationId ? { correlationId } : {}) };
  if (status === 404) return new ActionError(404, `${what} not found`, { code: 'NOT_FOUND', details, cause: error });
  if (status === 400) {
    const reason = hubspotMessage(failure.body);
    return new ActionError(400, `HubSpot rejected the request for ${what}${reason ? `: ${reason}` : ''}`, { code: 'UPSTREAM_REJECTED', details, cause: error });
  }
  if (status === 401 || status === 403) {
    return new ActionError(502, `HubSpot refused our credentials (HTTP ${status}) while reading ${what}: the access token is missing, expired or lacks the needed scopes. This needs an administrator; retrying will not help.`, { code: 'UPSTREAM_AUTH', details, cause: error });
  }
  if (status === 429) {
    return new ActionError(503, `HubSpot is rate-limiting requests, so ${what} could not be read now; wait a few seconds and try again.`, { code: 'UPSTREAM_RATE_LIMITED', details, cause: error });
  }
  const ref = correlationId ? ` (HubSpot correlation id ${correlationId})` : '';
  return new ActionError(502, `HubSpot failed with HTTP ${status} while reading ${what}${ref}; try again later.`, { code: 'UPSTREAM_ERROR', details, cause: error });
}

function aborted(signal: AbortSignal, what: string): ActionError {
  return isActionError(signal.reason) ? signal.reason : new ActionError(504, `HubSpot did not answer in time while reading ${what}; try again, or narrow the request.`, { code: 'UPSTREAM_TIMEOUT' });
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the SDK takes no signal, so the request itself runs on). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(aborted(signal, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs one HubSpot call (`call` gets no arguments; it uses the SDK) and maps its failures with
 * {@link hubspotError}. HTTP 429 is retried with exponential back-off, honouring `Retry-After`, only
 * while the wait and another attempt fit before the deadline; when they do not, or after `maxAttempts`,
 * it fails with a 503 telling the caller to retry. Aborting `signal` ends everything at once.
 *
 * ```ts
 * const ticket = await withHubSpot(() => client.crm.tickets.basicApi.getById(id, props), { what: `ticket ${id}`, signal: ctx.signal });
 * ```
 */
export async function withHubSpot<T>(call: () => Promise<T>, options: HubSpotCallOptions): Promise<T> {
  const { what, signal, maxAttempts = 4, baseDelayMs = 500 } = options;
  const deadline = options.deadline ?? Date.now() + (options.budgetMs ?? 10_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await raceSignal(call(), signal, what);
    } catch (error) {
      const failure = httpFailureOf(error);
      if (failure?.status !== 429 || attempt >= maxAttempts || signal?.aborted) throw hubspotError(error, what);
      const now = Date.now();
      const waitMs = retryAfterMs(failure.headers, now) ?? baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      // Leave time for one more answer after the wait: a retry that cannot finish only delays the 503.
      if (now + waitMs + Math.min(baseDelayMs, 1000) > deadline) throw hubspotError(error, what);
      const correlationId = correlationIdOf(failure);
      options.onRetry?.({ attempt, waitMs, status: 429, ...(correlationId ? { correlationId } : {}) });
      try {
        await sleep(waitMs, undefined, signal ? { signal } : undefined);
      } catch {
        throw aborted(signal as AbortSignal, what);
      }
    }
  }
}

/** One raw HubSpot API call, for endpoints the SDK does not wrap (Conversations, associations labels…). */
export interface HubSpotRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path from the API root, e.g. `/conversations/v3/conversations/threads/123/messages`. */
  path: string;
  /** Query string values. */
  qs?: Record<string, string | number | boolean>;
  /** JSON body. */
  body?: unknown;
  /** Largest reply read, in bytes (default {@link MAX_HUBSPOT_REPLY_BYTES}); a larger one is a 502, the rest unread. */
  maxReplyBytes?: number;
}

/** Default cap of a raw HubSpot reply: a full page of 100 long emails fits, an endless body does not. */
export const MAX_HUBSPOT_REPLY_BYTES = 8 * 1024 * 1024;

/**
 * Calls `client.apiRequest` and returns the parsed JSON reply (undefined for an empty one), read with a
 * size cap (`maxReplyBytes`: past it, ActionError 502 `UPSTREAM_TOO_LARGE` and the rest unread). A non-2xx
 * answer is thrown as a {@link HubSpotHttpError}, which {@link withHubSpot} maps and retries like an SDK
 * error: `await withHubSpot(() => hubspotRequest(client, { path }), { what, signal })`.
 */
export async function hubspotRequest<T = unknown>(client: Client, request: HubSpotRequest): Promise<T> {
  const qs = request.qs ? Object.fromEntries(Object.entries(request.qs).map(([k, v]) => [k, String(v)])) : undefined;
  const response = await client.apiRequest({
    method: request.method ?? 'GET',
    path: request.path,
    ...(qs ? { qs } : {}),
    ...(request.body !== undefined ? { body: request.body as object } : {}),
  });
  const text = await readUpstreamText(response, 'HubSpot API', request.maxReplyBytes ?? MAX_HUBSPOT_REPLY_BYTES);
  if (!response.ok) {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    throw new HubSpotHttpError(response.status, parseBody(text), headers);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
