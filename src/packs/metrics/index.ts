import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { actionGroup, type ActionGroup } from '../../core/operation.js';
import { httpMetricsBackend, type MetricRequest, type MetricsBackend } from './backend.js';
import { METRICS, type MetricSpec } from './catalog.js';
import { buildChart, type VegaLiteSpec } from './chart.js';
import { DEFAULT_RANGE_LABEL, RANGE_EXAMPLES, requestedRange, type RangeFields } from './range.js';
import { envFlag, envPositiveInt, envString, type Env } from '../../kit/env.js';
import { positiveNumber } from '../../kit/options.js';
import { groupRoles } from '../../kit/roles.js';
import { timezoneOption } from '../../kit/timezone.js';
import { metricsProbe } from './probe.js';

export { httpMetricsBackend } from './backend.js';
export type { HttpMetricsBackendOptions, MetricRequest, MetricResult, MetricsBackend } from './backend.js';
export type { VegaLiteSpec } from './chart.js';

/** Options of {@link metricsOps}. */
export interface MetricsOptions {
  /**
   * Where the numbers come from, e.g. `httpMetricsBackend({ baseUrl, apiKey })`. Without one the group is
   * still created and every call answers 503 (`unconfiguredMessage` says why).
   */
  backend?: MetricsBackend;
  /** The 503 message when there is no backend. Default names `FAST_API_BASE_URL`. */
  unconfiguredMessage?: string;
  /** IANA zone that date phrases are read in (default `America/Costa_Rica`). */
  timezone?: string;
  /** Only `allowedRoles` may call (default true). False opens the group to any caller. */
  enforceSupervisorOnly?: boolean;
  /** The roles allowed when enforced (default `['Supervisor']`). */
  allowedRoles?: readonly string[];
  /** Add `source` (where the data came from) to replies (default false). */
  includeSource?: boolean;
  /** Ceiling of every `top` (default 25); larger requests and defaults are reduced to it. */
  topHardLimit?: number;
  /** Deadline of each operation, in ms (default 25 000; the HTTP backend's own default is 20 000). */
  timeoutMs?: number;
  /** The clock "today" is read from (default: the current time). */
  now?: () => Date;
}

/** The reply of every metric operation. */
export interface MetricReply {
  success: true;
  /** e.g. `metrics.top_categories`. */
  metric_id: string;
  /** The days covered; `from`/`to` null when the service used its default and did not say which. */
  range: { from: string | null; to: string | null; label: string };
  /** The service's data, as it sent it. */
  data: unknown;
  /** A Vega-Lite v5 spec of `data`, or null (`chart_reason` says why). */
  chart: VegaLiteSpec | null;
  chart_reason?: string;
  /** Where the data came from; only with `includeSource`. */
  source?: Record<string, unknown>;
}

/** Group name, as configured on the agent. */
export const METRICS_GROUP = 'Analytics';
const SUPERVISOR_ONLY: readonly string[] = ['Supervisor'];
const MISSING_URL = 'The metrics service is not configured: set FAST_API_BASE_URL to its base URL.';

const ReplySchema = z.object({
  success: z.literal(true),
  metric_id: z.string(),
  range: z.object({ from: z.string().nullable(), to: z.string().nullable(), label: z.string() }),
  data: z.unknown(),
  chart: z.record(z.string(), z.unknown()).nullable(),
  chart_reason: z.string().optional(),
  source: z.record(z.string(), z.unknown()).optional(),
});

const dateField = (what: string) =>
  z.iso.date().optional().describe(`${what}, YYYY-MM-DD, inclusive. from and to win over range.`);
const rangeField = (lead: string) =>
  z.string().max(200).optional().describe(`${lead}Spanish phrase for the period, e.g. ${RANGE_EXAMPLES.slice(0, 9).map((e) => `"${e}"`).join(', ')}. Ignored when from/to are given; without any date the service's default range applies.`);

/** The date inputs every metric takes. */
const DATE_SHAPE = {
  from: dateField('First day'),
  to: dateField('Last day'),
  range: rangeField(''),
  when: rangeField('Same as range (alias). '),
  dateRange: rangeField('Same as range (alias). '),
};

type MetricInput = RangeFields & { top?: number | undefined; order?: 'asc' | 'desc' | undefined };

/**
 * The `Analytics` action group: nine GET operations over a metrics service (top categories, subcategories,
 * agents; tickets by source; closed volume; resolution times by agent, by source, overall, slowest cases).
 * Each takes `from`/`to` (YYYY-MM-DD) or a Spanish `range` ("la semana pasada", alias `when`, `dateRange`);
 * without them a date in the agent's `inputText` is used, else the service's default range. Replies
 * `{ success, metric_id, range, data, chart }` where `chart` is a Vega-Lite v5 spec. Supervisors only by default.
 *
 * `top` is clamped, never refused: below 1 becomes 1, above the metric's ceiling becomes the ceiling.
 * Ceilings are `topHardLimit` (25), and 25 for slowCases; a default above the ceiling (resolutionTimeByAgent's
 * 50) is reduced too, and each parameter's description states the effective default and maximum.
 */
export function metricsOps(options: MetricsOptions = {}): ActionGroup {
  const timezone = timezoneOption(options.timezone, 'metricsOps');
  const hardLimit = positiveNumber(options.topHardLimit, 25, 'metricsOps', 'topHardLimit', { integer: true });
  const timeoutMs = positiveNumber(options.timeoutMs, 25_000, 'metricsOps', 'timeoutMs', { unit: 'milliseconds' });
  const group = actionGroup({
    name: METRICS_GROUP,
    description: 'Customer-service metrics for supervisors: ticket volumes, top categories and agents, resolution times in business hours, each with a chart.',
    ...groupRoles(options.enforceSupervisorOnly, options.allowedRoles, SUPERVISOR_ONLY),
  });
  for (const spec of METRICS) {
    const max = Math.min(spec.top?.max ?? hardLimit, hardLimit);
    const shape: Record<string, z.ZodType> = { ...DATE_SHAPE };
    if (spec.top) {
      const def = Math.min(spec.top.default, max);
      shape.top = z.number().int().optional().describe(`How many ${spec.top.noun} to return: default ${def}, at most ${max} (larger values are reduced to ${max}, smaller than 1 become 1).`);
    }
    if (spec.order) shape.order = z.enum(['asc', 'desc']).default('asc').describe('Sort by average time: asc (fastest first, default) or desc (slowest first).');
    group.operation({
      name: spec.name,
      method: 'GET',
      path: spec.path,
      description: spec.description,
      input: z.object(shape),
      output: ReplySchema,
      timeoutMs,
      handler: (input, ctx) => runMetric(spec, input as MetricInput, ctx, { ...options, timezone, max }),
    });
  }
  // `/health` reports the service as `metrics`: "not configured" without a backend, none for a backend without a probe.
  return !options.backend || options.backend.probe ? group.probe('metrics', metricsProbe(options.backend)) : group;
}

async function runMetric(spec: MetricSpec, input: MetricInput, ctx: ActionContext, o: MetricsOptions & { timezone: string; max: number }): Promise<MetricReply> {
  if (!o.backend) throw new ActionError(503, o.unconfiguredMessage ?? MISSING_URL, { code: 'NOT_CONFIGURED' });
  const range = requestedRange(input, ctx.inputText, { timezone: o.timezone, now: o.now?.() ?? new Date() });
  const query: MetricRequest['query'] = range ? { from: range.from, to: range.to } : {};
  if (spec.top) query.top = Math.max(1, Math.min(input.top ?? spec.top.default, o.max));
  if (spec.order) query.order = input.order ?? 'asc';
  const result = await o.backend.fetch({ path: spec.path, query }, ctx);
  const chart = buildChart(spec.title, spec.chart, result.data);
  if (!chart.chart) ctx.logger.info('metric chart omitted', { metric: spec.metricId, reason: chart.reason });
  return {
    success: true,
    metric_id: spec.metricId,
    range: range ?? { from: result.range?.from ?? null, to: result.range?.to ?? null, label: DEFAULT_RANGE_LABEL },
    data: result.data,
    chart: chart.chart,
    ...(chart.chart ? {} : { chart_reason: chart.reason }),
    ...(o.includeSource ? { source: { path: spec.path, query, ...result.source } } : {}),
  };
}

/**
 * `metricsOps` configured from the environment:
 * - `FAST_API_BASE_URL`: the metrics service (an `httpMetricsBackend`). Missing or not an http(s) URL:
 *   the group is still created and calls answer 503 naming the variable.
 * - `INGEST_API_KEY`: sent as `x-api-key`.
 * - `DEFAULT_TZ`: zone of date phrases (default `America/Costa_Rica`).
 * - `ENFORCE_SUPERVISOR_ONLY`: only `false`/`0`/`no`/`off` opens the group; anything else keeps it closed.
 * - `INCLUDE_SOURCE`: `true`/`1`/`yes` adds `source` to replies.
 * - `TOP_HARD_LIMIT`: ceiling of `top` (default 25).
 * - `STRINGIFY_BODY`: read for compatibility and has no effect: bodies are always JSON strings where
 *   Bedrock needs them.
 */
function fromEnv(env: Env = process.env): ActionGroup {
  const baseUrl = envString(env, 'FAST_API_BASE_URL');
  const apiKey = envString(env, 'INGEST_API_KEY');
  const timezone = envString(env, 'DEFAULT_TZ');
  let backend: MetricsBackend | undefined;
  let unconfiguredMessage: string | undefined;
  if (baseUrl) {
    try {
      backend = httpMetricsBackend({ baseUrl, ...(apiKey ? { apiKey } : {}) });
    } catch {
      unconfiguredMessage = 'The metrics service is misconfigured: FAST_API_BASE_URL is not an http(s) URL.';
    }
  }
  const topHardLimit = envPositiveInt(env, 'TOP_HARD_LIMIT');
  return metricsOps({
    ...(backend ? { backend } : {}),
    ...(unconfiguredMessage ? { unconfiguredMessage } : {}),
    ...(timezone ? { timezone } : {}),
    enforceSupervisorOnly: envFlag(env, 'ENFORCE_SUPERVISOR_ONLY', true),
    includeSource: envFlag(env, 'INCLUDE_SOURCE', false),
    ...(topHardLimit ? { topHardLimit } : {}),
  });
}

metricsOps.fromEnv = fromEnv;
