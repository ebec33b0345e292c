import { callUpstream, type UpstreamRequest } from './upstream.js';

/**
 * A `/health` probe's one request to an upstream: resolves when it answers 2xx, rejects otherwise with an
 * Error naming only the service and the status (a redirect, timeout or unreachable host rejects as
 * {@link callUpstream} does, never followed). The body is never read: a probe proves the service answers,
 * it does not fetch data.
 */
export async function probeUpstream(request: UpstreamRequest & { signal: AbortSignal }): Promise<void> {
  const response = await callUpstream(request);
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status > 299) throw new Error(`the ${request.service} answered HTTP ${response.status}`);
}
