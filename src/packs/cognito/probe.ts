import type { CognitoTrigger } from '../../doors/cognito/types.js';
import type { Probe } from '../../core/health.js';
import { probeUpstream } from '../../kit/upstream-probe.js';

/** A trigger of this pack with the `/health` probe of the service it asks: `router.probe('cognito-roles', trigger.probe)`. */
export interface ProbedCognitoTrigger extends CognitoTrigger {
  /** Checks that the allowlist / role resolver answers; `not configured` when `fromEnv` found no URL or key. */
  readonly probe: Probe;
}

/** The address a probe looks up: reserved (`.invalid` never resolves), so it is on no allowlist and has no role. */
export const PROBE_EMAIL = 'health-probe@example.invalid';

/**
 * The probe of a lookup service: one `GET {url}?email=health-probe@example.invalid` with `x-api-key`, as a
 * trigger would send (a redirect is never followed), healthy on 2xx; any other status rejects naming only it.
 */
export function lookupProbe(service: string, url: URL, apiKey: string, timeoutMs: number): Probe {
  const target = new URL(url);
  target.searchParams.set('email', PROBE_EMAIL);
  return (signal) => probeUpstream({ service, url: target, headers: { 'x-api-key': apiKey, accept: 'application/json' }, timeoutMs, signal });
}

