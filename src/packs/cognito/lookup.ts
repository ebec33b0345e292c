import { readCapped } from '../../util/body.js';
import { callUpstream } from '../../core/upstream.js';

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
 * Never throws: every fault becomes `{ ok: false, reason }`, a reason meant for logs (it holds no key).
 */
export async function lookupByEmail(request: LookupRequest): Promise<Lookup> {
  const url = new URL(request.url);
  url.searchParams.set('email', request.email);
  try {
    const response = await callUpstream({
      service: request.service,
      url,
      headers: { 'x-api-key': request.apiKey, accept: 'application/json' },
      timeoutMs: request.timeoutMs,
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, reason: `the ${request.service} answered HTTP ${response.status}` };
    }
    const bytes = await readCapped(response.body, MAX_REPLY_BYTES);
    const text = bytes && Buffer.from(bytes).toString('utf8');
    if (text === undefined) return { ok: false, reason: `the ${request.service} reply is larger than ${MAX_REPLY_BYTES} bytes` };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, reason: `the ${request.service} reply is not JSON` };
    }
  } catch (error) {
    // callUpstream's own messages (timeout, unreachable) name the service and the deadline, never the URL.
    const reason = error instanceof Error && error.name === 'ActionError' ? error.message : `reading the ${request.service} reply failed (${error instanceof Error ? error.name : 'error'})`;
    return { ok: false, reason };
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
