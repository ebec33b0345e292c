import { NOT_CONFIGURED, type Probe } from '../../core/health.js';
import { probeUpstream } from '../../kit/upstream-probe.js';

/**
 * The `/health` probe of an HTTP metrics service: one `GET {baseUrl}` with the backend's `x-api-key` (a
 * redirect is never followed), healthy on 2xx; any other status rejects naming only it.
 */
export function httpMetricsProbe(baseUrl: string, apiKey: string | undefined, timeoutMs: number): Probe {
  const headers: Record<string, string> = { accept: 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  return (signal) => probeUpstream({ service: 'metrics service', url: baseUrl, headers, timeoutMs, signal });
}

/** The pack's probe `metrics`: the backend's own probe, or `not configured` without a backend. */
export function metricsProbe(backend: { probe?: Probe | undefined } | undefined): Probe {
  return (signal) => (backend?.probe ? backend.probe(signal) : NOT_CONFIGURED);
}
