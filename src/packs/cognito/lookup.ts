import { isActionError } from '../../core/errors.js';
import { callUpstream, readUpstreamJson } from '../../kit/upstream.js';

/** What a lookup by email produced: the parsed JSON reply, or why there is none (for logs only). */
export type Lookup = { ok: true; body: unknown } | { ok: false; reason: string };

/** Largest reply read from a lookup service; a bigger one is treated as a fault. */
export const MAX_REPLY_BYTES = 16 * 1024;

/** Options of {@link lookupByEmail}. */
export interface LookupRequest {
  /** Service name for logs ("allowlist", "role resolver"). */
  service: string;
  url: URL;
  apiKey: string;
  email: string;
  timeoutMs: number;
}

/**
 * `GET {url}?email=…` with `x-api-key`, expecting 200 and a JSON body of at most {@link MAX_REPLY_BYTES}.
 * A redirect is a fault, never followed (it would carry the key to another origin). Never throws: every
 * fault becomes `{ ok: false, reason }`, a reason meant for logs (it holds no key and no URL).
 */
export async function lookupByEmail(request: LookupRequest): Promise<Lookup> {
  const { service } = request;
  const url = new URL(request.url);
  url.searchParams.set('email', request.email);
  try {
    const response = await callUpstream({ service, url, headers: { 'x-api-key': request.apiKey, accept: 'application/json' }, timeoutMs: request.timeoutMs });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, reason: `the ${service} answered HTTP ${response.status}` };
    }
    const body = await readUpstreamJson(response, service, MAX_REPLY_BYTES);
    return body === undefined ? { ok: false, reason: `the ${service} reply is empty` } : { ok: true, body };
  } catch (error) {
    // The kit's messages (redirect, timeout, unreachable, too large, not JSON) name the service, never the URL.
    return { ok: false, reason: isActionError(error) ? error.message : `reading the ${service} reply failed (${error instanceof Error ? error.name : 'error'})` };
  }
}

/** The email attribute of a trigger event, trimmed and lower-cased; `undefined` when absent or blank. */
export function normalisedEmail(attributes: Record<string, string> | undefined): string | undefined {
  const email = attributes?.email?.trim().toLowerCase();
  return email ? email : undefined;
}

/** The domain of an email, for logs that should not hold the whole address. */
export function emailDomain(email: string | undefined): string | undefined {
  return email?.split('@').pop();
}
