import type { Client } from '@hubspot/api-client';
import { DateTime } from 'luxon';
import { ActionError } from '../../core/errors.js';
import { redactPii } from '../../text/pii.js';
import { hubspotRequest, withHubSpot, type HubSpotCallOptions } from '../../integrations/hubspot/client.js';
import { emailText } from './email-text.js';

/** Ticket property naming the inbox thread the ticket was created from. */
export const THREAD_ID_PROPERTY = 'hs_conversations_originating_thread_id';
/** Object type of inbox threads in a ticket's CRM associations (association type 32, "ticket to thread"). */
export const THREAD_ASSOCIATION = 'conversations';
/** Conversations API page size (its maximum). */
const MESSAGES_PER_REQUEST = 100;

/** One message as the Conversations API lists it (the fields read here). */
export interface ThreadMessage {
  id: string;
  type: string;
  createdAt?: string;
  direction?: string;
  subject?: string | null;
  text?: string | null;
  richText?: string | null;
  /** `NOT_TRUNCATED`, `TRUNCATED_TO_MOST_RECENT_REPLY` (the quoted history was cut: we drop it anyway) or `TRUNCATED`. */
  truncationStatus?: string;
}

interface MessagesPage {
  results?: ThreadMessage[];
  paging?: { next?: { after?: string } };
}

/** One email as the agent reads it. */
export interface Email {
  /** HubSpot message id. */
  id: string;
  /** When it was sent or received, ISO 8601 with the offset of the configured zone. */
  timestamp: string;
  /** `INCOMING` (from the customer) or `OUTGOING` (from the team), as HubSpot says. */
  direction: string;
  /** The subject, PII-redacted; null when the message has none. */
  subject: string | null;
  /** The message's own words: HTML turned into text, quoted replies and signature removed, PII redacted. */
  text: string;
}

/** The inbox threads of a ticket: the one it was created from, and every one associated with it. */
interface TicketThreads {
  originating?: string;
  associated: string[];
}

async function ticketThreads(client: Client, ticketId: string, call: Omit<HubSpotCallOptions, 'what'>): Promise<TicketThreads> {
  const ticket = await withHubSpot(() => client.crm.tickets.basicApi.getById(ticketId, [THREAD_ID_PROPERTY], undefined, [THREAD_ASSOCIATION]), { ...call, what: `ticket ${ticketId}` });
  const originating = ticket.properties?.[THREAD_ID_PROPERTY]?.trim();
  const associated = (ticket.associations?.[THREAD_ASSOCIATION]?.results ?? []).map((r) => r.id).filter((id) => /^\d+$/.test(id));
  return { ...(originating ? { originating } : {}), associated };
}

/**
 * The inbox thread of a ticket: its `hs_conversations_originating_thread_id`, else the newest (highest
 * id) thread associated with it. None: 404.
 */
export async function resolveThreadId(client: Client, ticketId: string, call: Omit<HubSpotCallOptions, 'what'>): Promise<string> {
  const { originating, associated } = await ticketThreads(client, ticketId, call);
  if (originating) return originating;
  if (associated.length > 0) return associated.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
  throw new ActionError(404, `ticket ${ticketId} has no email thread: ${THREAD_ID_PROPERTY} is empty and no conversation is associated with it. Pass threadId if you know it.`, { code: 'NO_THREAD' });
}

/**
 * Returns `threadId` when it is one of the ticket's threads (its originating thread or an associated
 * one); otherwise a 404 that says no more than that, so a caller allowed to read one ticket cannot read
 * another's conversation by naming its thread, nor learn whether that thread exists.
 */
export async function checkThreadOfTicket(client: Client, ticketId: string, threadId: string, call: Omit<HubSpotCallOptions, 'what'>): Promise<string> {
  const { originating, associated } = await ticketThreads(client, ticketId, call);
  if (originating === threadId || associated.includes(threadId)) return threadId;
  throw new ActionError(404, `ticket ${ticketId} has no email thread ${threadId}; omit threadId to read the ticket's own thread.`, { code: 'THREAD_NOT_OF_TICKET' });
}

/** The first `max` messages of a thread as the Conversations API lists them, following its paging. */
export async function readThreadMessages(client: Client, threadId: string, max: number, call: Omit<HubSpotCallOptions, 'what'>): Promise<ThreadMessage[]> {
  const path = `/conversations/v3/conversations/threads/${encodeURIComponent(threadId)}/messages`;
  const messages: ThreadMessage[] = [];
  let after: string | undefined;
  do {
    const qs = { limit: Math.min(MESSAGES_PER_REQUEST, max - messages.length), ...(after ? { after } : {}) };
    const page = await withHubSpot(() => hubspotRequest<MessagesPage>(client, { path, qs }), { ...call, what: `email thread ${threadId}` });
    messages.push(...(page?.results ?? []).slice(0, max - messages.length));
    after = page?.paging?.next?.after;
  } while (after && messages.length < max);
  return messages;
}

/** What the agent reads in place of a message that could not be turned into text; the rest of the thread still answers. */
export const UNREADABLE_EMAIL = '[message could not be read]';

/** Added after a message HubSpot listed cut short whose whole text could not be read. */
export const INCOMPLETE_EMAIL = '[message truncated: the rest could not be read]';

/** The cleaned, redacted text of one message; a failure (hostile HTML, say) stays with that message. */
function readText(m: ThreadMessage): string {
  const html = present(m.richText);
  try {
    return redactPii(emailText(html ? (m.richText as string) : (m.text ?? ''), html));
  } catch {
    return UNREADABLE_EMAIL;
  }
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

function epochOf(m: ThreadMessage): number {
  const t = m.createdAt ? Date.parse(m.createdAt) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * The emails an agent may read, oldest first: only `MESSAGE`s (internal `COMMENT`s and system events
 * never reach the agent), each cleaned ({@link emailText}) and redacted, empty ones dropped; one that
 * cannot be read reads {@link UNREADABLE_EMAIL}.
 */
export function toEmails(messages: readonly ThreadMessage[], timezone: string): Email[] {
  return messages
    .filter((m) => m.type === 'MESSAGE')
    .sort((a, b) => epochOf(a) - epochOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => {
      const text = readText(m);
      const at = m.createdAt ? DateTime.fromISO(m.createdAt, { zone: 'utc' }).setZone(timezone) : undefined;
      return {
        id: m.id,
        timestamp: at?.isValid ? (at.toISO({ suppressMilliseconds: true }) as string) : (m.createdAt ?? ''),
        direction: m.direction ?? 'UNKNOWN',
        subject: present(m.subject) ? redactPii(m.subject.trim()) : null,
        text,
      };
    })
    .filter((e) => e.text !== '');
}

/**
 * The emails about to be shown, with any message HubSpot listed cut short (`truncationStatus: TRUNCATED`)
 * read whole from its original content, so the agent never reasons over half an email. Only the page's
 * messages are fetched, in parallel.
 */
export async function completeTruncated(
  client: Client,
  threadId: string,
  emails: readonly Email[],
  messages: readonly ThreadMessage[],
  timezone: string,
  call: Omit<HubSpotCallOptions, 'what'>,
): Promise<Email[]> {
  const byId = new Map(messages.map((m) => [m.id, m]));
  return Promise.all(
    emails.map(async (email) => {
      const message = byId.get(email.id);
      if (message?.truncationStatus !== 'TRUNCATED') return email;
      const path = `/conversations/v3/conversations/threads/${encodeURIComponent(threadId)}/messages/${encodeURIComponent(message.id)}/original-content`;
      let original: { text?: string | null; richText?: string | null } | undefined;
      try {
        original = await withHubSpot(() => hubspotRequest<{ text?: string | null; richText?: string | null }>(client, { path }), { ...call, what: `message ${message.id}` });
      } catch (error) {
        // One message's full text failing to load must not cost the agent the whole page: it reads what
        // HubSpot listed, marked as cut. An abandoned call (timeout, abort) still ends the page.
        if (call.signal?.aborted) throw error;
        return { ...email, text: `${email.text}\n${INCOMPLETE_EMAIL}` };
      }
      const [whole] = toEmails([{ ...message, text: original?.text ?? message.text, richText: original?.richText ?? message.richText }], timezone);
      return whole ?? email;
    }),
  );
}

