import type { Probe } from '../../core/health.js';
import type { ScheduledJob } from '../../doors/schedule/types.js';
import { probeUpstream } from '../../kit/upstream-probe.js';

/** The kb-ingest job with the `/health` probe of its ticket source: `router.probe('kb-ingest-source', job.probe)`. */
export interface ProbedScheduledJob<R> extends ScheduledJob<R> {
  /** Checks that the ticket source answers; `not configured` when `fromEnv` found no `API_URL` (or another required variable). */
  readonly probe: Probe;
}

/**
 * The probe of the ticket source: `GET {sourceUrl}?since=<now>&limit=1` with `x-api-key` when set (at most
 * one record, and none closed yet; the body is never read), redirects never followed, healthy on 2xx;
 * any other status rejects naming only it.
 */
export function sourceProbe(sourceUrl: URL, apiKey: string | undefined, timeoutMs: number, now: () => Date): Probe {
  const headers: Record<string, string> = { accept: 'application/x-ndjson', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  return (signal) => {
    const url = new URL(sourceUrl);
    url.searchParams.set('since', now().toISOString());
    url.searchParams.set('limit', '1');
    return probeUpstream({ service: 'ticket source', url, headers, timeoutMs, signal });
  };
}

