import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { httpUrl, positiveNumber } from '../../kit/options.js';
import { callUpstream, readUpstreamText } from '../../kit/upstream.js';
import type { Probe } from '../../core/health.js';
import { httpMetricsProbe } from './probe.js';

/** What the pack asks a backend for: one metric, at the operation's path. */
export interface MetricRequest {
  /** The metric's path, e.g. `/analytics/categories` (the same as the operation's OpenAPI path). */
  path: string;
  query: {
    /** First day, `YYYY-MM-DD`, inclusive; absent: the service's default range. */
    from?: string;
    /** Last day, `YYYY-MM-DD`, inclusive. */
    to?: string;
    /** How many rows, already clamped to the pack's limits. */
    top?: number;
    /** `asc` or `desc`, for the metrics that sort. */
    order?: 'asc' | 'desc';
  };
}

/**
 * What a backend answers. `data` should have the shape of its metric, which the reply's chart is drawn from
 * (other shapes still reach the caller; the chart then falls back or is null):
 * - `/analytics/categories`: `[{ category, count }]`
 * - `/analytics/subcategories`: `[{ subcategory, category?, count }]`
 * - `/analytics/sources`: `[{ source, count }]`
 * - `/analytics/agents`: `[{ agent, count }]`
 * - `/analytics/closed_volume`: `[{ date: 'YYYY-MM-DD', count }]`
 * - `/analytics/resolution_time/by_agent_business`: `[{ agent, avg_hours, tickets? }]`
 * - `/analytics/resolution_time/avg_business`: `{ avg_hours, tickets? }`
 * - `/analytics/resolution_time/by_source_business`: `[{ source, avg_hours, tickets? }]`
 * - `/analytics/resolution_time/slow_cases_business`: `[{ ticket_id, hours, subject?, agent? }]`
 *
 * Hours are business hours. Numbers may arrive as numeric strings (Python `Decimal`).
 */
export interface MetricResult {
  data: unknown;
  /** The range the service used, when it chose one (no `from`/`to` sent). */
  range?: { from: string; to: string };
  /** Where the data came from, shown in replies when `includeSource` is on. Never put secrets here. */
  source?: Record<string, unknown>;
}

/**
 * Where metrics come from. Throw an {@link ActionError} to answer the caller with a status (4xx: the
 * request was wrong; 502/504: the service failed); anything else thrown becomes a generic 500.
 */
export interface MetricsBackend {
  fetch(metric: MetricRequest, ctx: ActionContext): Promise<MetricResult>;
  /** A cheap check that the service answers, run by `GET /health` as `metrics`; without it the group registers no probe. */
  probe?: Probe;
}

/** Options of {@link httpMetricsBackend}. */
export interface HttpMetricsBackendOptions {
  /** Base URL of the metrics service (`https://metrics.internal`); the metric path is appended to it. */
  baseUrl: string;
  /** Sent as `x-api-key` when set. */
  apiKey?: string;
  /** Deadline of each call; past it the caller gets a 504. Default 20 000 ms. */
  timeoutMs?: number;
  /** Largest reply read, in bytes (default 1 MiB); a larger one is a 502. */
  maxReplyBytes?: number;
}

const SERVICE = 'metrics service';
const OWNER = 'httpMetricsBackend';
const MAX_MESSAGE = 300;

/**
 * A {@link MetricsBackend} that GETs `{baseUrl}{path}?from=…&to=…&top=…&order=…` (only the parameters
 * given) with the headers `x-api-key`, `X-Acting-Role` (the caller's role) and `X-Acting-User` (the
 * caller's email, else their user id); header values outside printable ASCII are percent-encoded.
 *
 * The service answers JSON: either the data itself, or `{ data, range?: { from, to } }` (also `{ data,
 * from, to }`) to say which default range it used. An upstream 4xx becomes the same status with the
 * service's message (`detail`, `message` or `error`; FastAPI validation lists are joined), at most 300
 * characters; a 5xx, a redirect (never followed: it would carry `x-api-key` elsewhere) or a reply that is
 * not JSON becomes a 502, a timeout a 504. Its `probe` (`/health`'s `metrics`) GETs `{baseUrl}` with the
 * same `x-api-key` and is healthy on 2xx.
 */
export function httpMetricsBackend(options: HttpMetricsBackendOptions): MetricsBackend {
  const base = parseBaseUrl(options?.baseUrl);
  const timeoutMs = positiveNumber(options.timeoutMs, 20_000, OWNER, 'timeoutMs', { unit: 'milliseconds' });
  const maxReplyBytes = positiveNumber(options.maxReplyBytes, 1024 * 1024, OWNER, 'maxReplyBytes', { integer: true });
  return {
    probe: httpMetricsProbe(base, options.apiKey, timeoutMs),
    async fetch({ path, query }, ctx) {
      const url = new URL(base + path);
      for (const key of ['from', 'to', 'top', 'order'] as const) {
        if (query[key] !== undefined) url.searchParams.set(key, String(query[key]));
      }
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.apiKey) headers['x-api-key'] = options.apiKey;
      const user = ctx.caller.email ?? ctx.caller.userId;
      if (ctx.caller.role) headers['X-Acting-Role'] = headerValue(ctx.caller.role);
      if (user) headers['X-Acting-User'] = headerValue(user);
      const response = await callUpstream({ service: SERVICE, url, headers, timeoutMs, signal: ctx.signal });
      const text = await readUpstreamText(response, SERVICE, maxReplyBytes, 'ask for a shorter range or a smaller top');
      if (response.status >= 500) {
        throw new ActionError(502, `The ${SERVICE} failed (HTTP ${response.status}); try again later.`, { code: 'UPSTREAM_ERROR', details: { upstreamStatus: response.status } });
      }
      if (!response.ok) {
        throw new ActionError(response.status, `The ${SERVICE} refused the request (HTTP ${response.status}): ${upstreamMessage(text)}`, { code: 'UPSTREAM_REJECTED', details: { upstreamStatus: response.status } });
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new ActionError(502, `The ${SERVICE} sent a reply that is not JSON.`, { code: 'UPSTREAM_ERROR', cause: error });
      }
      return { ...unwrap(body), source: { url: url.toString() } };
    },
  };
}

function parseBaseUrl(value: string | undefined): string {
  const url = httpUrl(value, OWNER, 'baseUrl');
  if (url.search || url.hash) throw new Error(`${OWNER}: "baseUrl" must not carry a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** The service's own words for a refusal: `detail` / `message` / `error`, else the text, bounded. */
function upstreamMessage(text: string): string {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const said = body?.detail ?? body?.message ?? body?.error;
    if (typeof said === 'string') message = said;
    else if (Array.isArray(said)) message = said.map(describeProblem).join('; ');
    else if (said && typeof said === 'object') message = describeProblem(said);
  } catch {
    // not JSON: the text itself
  }
  message = message.replace(/\s+/g, ' ');
  if (message === '') return 'no reason given';
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

// FastAPI: { loc: ['query', 'from'], msg: 'Input should be a valid date' }
function describeProblem(p: unknown): string {
  if (typeof p === 'string') return p;
  if (!p || typeof p !== 'object') return String(p);
  const { loc, msg, message } = p as { loc?: unknown; msg?: unknown; message?: unknown };
  const text = typeof msg === 'string' ? msg : typeof message === 'string' ? message : JSON.stringify(p);
  return Array.isArray(loc) ? `${loc.join('.')}: ${text}` : text;
}

function unwrap(body: unknown): MetricResult {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('data' in body)) return { data: body };
  const b = body as { data: unknown; range?: unknown; from?: unknown; to?: unknown };
  const r = (b.range && typeof b.range === 'object' ? b.range : b) as { from?: unknown; to?: unknown };
  return typeof r.from === 'string' && typeof r.to === 'string' ? { data: b.data, range: { from: r.from, to: r.to } } : { data: b.data };
}
