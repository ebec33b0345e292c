import type { Client } from '@hubspot/api-client';
import { convert } from 'html-to-text';
import { ActionError } from '../../core/errors.js';
import { withHubSpot, type HubSpotCallOptions } from '../../integrations/hubspot/client.js';

/** Ticket property holding the call transcript. */
export const TRANSCRIPT_PROPERTY = 'hs_call_transcript';
/** Older ticket property some portals still fill: the call analysis, holding the transcript. */
export const LEGACY_TRANSCRIPT_PROPERTY = 'analisis_de_llamada';
/** Call (engagement) properties read when the ticket holds no transcript. */
export const CALL_PROPERTIES = ['hs_call_transcript', 'hs_call_body', 'hs_timestamp'] as const;
const TICKET_PROPERTIES = ['source_type', TRANSCRIPT_PROPERTY, LEGACY_TRANSCRIPT_PROPERTY];
/** Keys under which a JSON call analysis keeps the transcript. */
const LEGACY_KEYS = ['transcript', 'transcription', 'transcripcion', 'transcripción'];
/** Most associated calls read (HubSpot's batch read limit). */
const MAX_CALLS = 100;

/** Where the transcript came from, for the log. */
export type TranscriptSource = 'ticket' | 'legacy' | 'call-transcript' | 'call-body';

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * The legacy analysis is either plain text (the transcript itself) or JSON holding the transcript under
 * one of {@link LEGACY_KEYS}; JSON without such a key is not a transcript.
 */
function legacyTranscript(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    const key = Object.keys(parsed).find((k) => LEGACY_KEYS.includes(k.toLowerCase()));
    const found = key === undefined ? undefined : parsed[key];
    return typeof found === 'string' && found.trim() ? found.trim() : undefined;
  } catch {
    return trimmed;
  }
}

/** A call body is HTML (HubSpot's rich-text notes): read as text. */
const bodyText = (html: string) => convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] }).trim();

/**
 * Reads the transcript of a phone ticket, before any redaction. The ticket's `source_type` must be
 * PHONE (any case), else 422. Then, first found wins: the ticket's `hs_call_transcript`; its legacy
 * `analisis_de_llamada`; the transcript of the most recent associated call; the body (notes) of the
 * most recent associated call that has one. None: 404.
 */
export async function readTranscript(
  client: Client,
  ticketId: string,
  call: Omit<HubSpotCallOptions, 'what'>,
): Promise<{ text: string; source: TranscriptSource }> {
  const what = `ticket ${ticketId}`;
  const ticket = await withHubSpot(() => client.crm.tickets.basicApi.getById(ticketId, TICKET_PROPERTIES, undefined, ['calls']), { ...call, what });
  const props = ticket.properties ?? {};
  const sourceType = props.source_type;
  if (sourceType?.trim().toUpperCase() !== 'PHONE') {
    const got = present(sourceType) ? `its source_type is "${sourceType}"` : 'it has no source_type';
    throw new ActionError(422, `${what} is not a phone call (${got}); transcriptions exist only for PHONE tickets. For an email ticket use getEmailThread.`, { code: 'NOT_A_CALL' });
  }
  if (present(props[TRANSCRIPT_PROPERTY])) return { text: props[TRANSCRIPT_PROPERTY], source: 'ticket' };
  const legacy = present(props[LEGACY_TRANSCRIPT_PROPERTY]) ? legacyTranscript(props[LEGACY_TRANSCRIPT_PROPERTY]) : undefined;
  if (legacy) return { text: legacy, source: 'legacy' };

  const callIds = (ticket.associations?.calls?.results ?? []).map((r) => r.id).slice(0, MAX_CALLS);
  if (callIds.length > 0) {
    const batch = await withHubSpot(
      () => client.crm.objects.calls.batchApi.read({ inputs: callIds.map((id) => ({ id })), properties: [...CALL_PROPERTIES], propertiesWithHistory: [] }),
      { ...call, what: `the calls of ${what}` },
    );
    const newestFirst = [...batch.results].sort((a, b) => timeOf(b.properties.hs_timestamp) - timeOf(a.properties.hs_timestamp));
    const withTranscript = newestFirst.find((c) => present(c.properties.hs_call_transcript));
    if (withTranscript) return { text: withTranscript.properties.hs_call_transcript as string, source: 'call-transcript' };
    for (const c of newestFirst) {
      const text = present(c.properties.hs_call_body) ? bodyText(c.properties.hs_call_body) : '';
      if (text) return { text, source: 'call-body' };
    }
  }
  throw new ActionError(404, `${what} has no call transcription: neither ${TRANSCRIPT_PROPERTY} nor ${LEGACY_TRANSCRIPT_PROPERTY} is set, and no associated call has a transcript or notes.`, { code: 'NO_TRANSCRIPTION' });
}

/** A HubSpot datetime property: ISO text, or epoch milliseconds as digits. */
function timeOf(value: string | null | undefined): number {
  const t = !value ? NaN : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}
