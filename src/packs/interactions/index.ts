import { createHash } from 'node:crypto';
import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { createCursorCodec, cursorScope, deriveCursorSecret, invalidCursor, type CursorCodec, type CursorState } from '../../kit/cursor.js';
import { deadlineOf } from '../../kit/deadline.js';
import { positiveNumber } from '../../kit/options.js';
import { groupRoles } from '../../kit/roles.js';
import { ActionError } from '../../core/errors.js';
import { actionGroup, type ActionGroup } from '../../core/operation.js';
import { redactPii } from '../../text/pii.js';
import { hubspotClientSource, type HubSpotCallOptions } from '../../integrations/hubspot/client.js';
import { checkThreadOfTicket, completeTruncated, readThreadMessages, resolveThreadId, toEmails, type Email } from './email-thread.js';
import { listPage, type ListPosition } from './list-pages.js';
import { textPage } from './text-pages.js';
import { readTranscript } from './transcription.js';
import { envFlag, envList, envPositiveInt, envString, type Env } from '../../kit/env.js';
import { timezoneOption } from '../../kit/timezone.js';

export type { Email } from './email-thread.js';

/** Options of {@link interactionOps}. */
export interface InteractionOpsOptions {
  /**
   * A ready `@hubspot/api-client` Client, or a function returning one per call. Build it with
   * `numberOfApiCallRetries` 0: rate limits are retried here, within each operation's time budget.
   */
  client?: Client | (() => Client);
  /** Private app access token, used when `client` is absent. Without either, calls answer 503 naming HUBSPOT_TOKEN. */
  accessToken?: string;
  /** HubSpot API base URL (default `https://api.hubapi.com`). */
  baseUrl?: string;
  /** IANA zone email timestamps are rendered in (default `America/Costa_Rica`). */
  timezone?: string;
  /** Only `allowedRoles` may call (default true). False opens the group to any caller. */
  enforceAllowedRoles?: boolean;
  /** Roles allowed when enforced (default `['Agent', 'Supervisor']`). */
  allowedRoles?: readonly string[];
  /** Most messages read from one thread (default 200). */
  maxConvoMsgs?: number;
  /**
   * Key signing the paging cursors (≥ 16 bytes). When absent it is derived from `accessToken` (HKDF, see
   * `deriveCursorSecret`), so every instance of the deployment accepts the others' cursors; with neither
   * (a `client` given) it is random per process.
   */
  cursorSecret?: string | Uint8Array;
  /** Deadline of each operation in ms, HubSpot retries included (default 25 000). */
  timeoutMs?: number;
  /** Added to each audit line as `build` (the router's logger already adds `BUILD_TAG` from the environment). */
  buildTag?: string;
}

/** Group name, as configured on the agent. */
export const INTERACTIONS_GROUP = 'InteractionOps';
const TRANSCRIPT_PAGE = { default: 2000, max: 5000 };
const EMAIL_PAGE = { default: 5, max: 5 };

const TranscriptionReply = z.object({
  ticketId: z.string(),
  transcription: z.string(),
  has_more: z.boolean(),
  cursor_next: z.string().nullable(),
  cursor_prev: z.string().nullable(),
});
/** Reply of `getCallTranscription`. */
export type TranscriptionReply = z.infer<typeof TranscriptionReply>;

const EmailThreadReply = z.object({
  ticketId: z.string(),
  emails: z.array(z.object({ id: z.string(), timestamp: z.string(), direction: z.string(), subject: z.string().nullable(), text: z.string() })),
  thread_order: z.literal('chronological_asc'),
  has_more: z.boolean(),
  cursor_next: z.string().nullable(),
  cursor_prev: z.string().nullable(),
});
/** Reply of `getEmailThread`. */
export type EmailThreadReply = z.infer<typeof EmailThreadReply>;

const TICKET_ID = /^\d{1,20}$/;
const cursorField = z.string().min(1).max(4096).optional().describe('cursor_next or cursor_prev of the previous reply, to read the next or the previous page. Omit it for the first read. A cursor keeps its own page size and direction.');
const directionField = z.enum(['next', 'prev']).default('next').describe('Only without a cursor: next (default) starts at the beginning, prev at the end. has_more tells whether pages remain in this direction.');

/**
 * The `InteractionOps` action group: a phone ticket's call transcription, paged by characters, and a
 * ticket's email thread, paged by messages, both PII-redacted (payment cards keep their last 4 digits,
 * DNI numbers are masked) before the agent sees them. Agents and Supervisors only by default. Each call
 * logs an audit line (`audit`: role, email, userId, operation, ticketId) and never the content.
 */
export function interactionOps(options: InteractionOpsOptions = {}): ActionGroup {
  const timezone = timezoneOption(options.timezone, 'interactionOps');
  const maxConvoMsgs = positiveNumber(options.maxConvoMsgs, 200, 'interactionOps', 'maxConvoMsgs', { integer: true });
  const timeoutMs = positiveNumber(options.timeoutMs, 25_000, 'interactionOps', 'timeoutMs', { unit: 'milliseconds' });
  const clientOf = hubspotClientSource({ ...options, tokenVariable: 'HUBSPOT_TOKEN' });
  const secret = options.cursorSecret ?? (options.accessToken ? deriveCursorSecret(options.accessToken, INTERACTIONS_GROUP) : undefined);
  const cursors = createCursorCodec(secret === undefined ? {} : { secret });
  // Capped by the Lambda's remaining time, less a margin so a rate-limit 503 still beats the 504.
  const deadline = deadlineOf(timeoutMs, { replyMarginMs: 250 });
  const deps: Deps = { clientOf, cursors, timezone, maxConvoMsgs, deadline, ...(options.buildTag ? { buildTag: options.buildTag } : {}) };

  return actionGroup({
    name: INTERACTIONS_GROUP,
    description: 'Read what was said with a customer: the transcription of a phone ticket and the email thread of a ticket, with payment cards and ID numbers masked.',
    ...groupRoles(options.enforceAllowedRoles, options.allowedRoles),
  })
    .operation({
      name: 'getCallTranscription',
      method: 'GET',
      path: '/call-transcription/{ticketId}',
      description:
        'Read the transcription of the phone call behind a HubSpot ticket, one page of characters at a time. Use it when the user asks what was said on a call ticket. Only PHONE tickets have one (another source answers 422; use getEmailThread for email tickets); 404 when the ticket has none. Payment card numbers are masked down to their last 4 digits and DNI numbers are masked before you see the text. Pages break at whitespace where they can; follow cursor_next (or cursor_prev) to keep reading while has_more is true.',
      input: z.object({
        ticketId: z.string().regex(TICKET_ID, 'must be a numeric HubSpot ticket id such as 12345').describe('HubSpot id of the phone ticket, digits only.'),
        page_size: z.number().int().min(1).default(TRANSCRIPT_PAGE.default).describe(`Characters per page: default ${TRANSCRIPT_PAGE.default}, at most ${TRANSCRIPT_PAGE.max} (larger values are reduced to ${TRANSCRIPT_PAGE.max}).`),
        cursor: cursorField,
        direction: directionField,
      }),
      output: TranscriptionReply,
      timeoutMs,
      handler: (input, ctx) => getCallTranscription(input, ctx, deps),
    })
    .operation({
      name: 'getEmailThread',
      method: 'GET',
      path: '/email-thread/{ticketId}',
      description:
        'Read the email thread of a HubSpot ticket, oldest message first, a few messages per page. Use it when the user asks what the customer wrote or what was answered by email. Each email is { id, timestamp, direction (INCOMING from the customer, OUTGOING from the team), subject, text }; text is the message itself, with quoted replies and signatures removed, and payment cards and DNI numbers masked. Internal comments are never included. The thread is the ticket\'s originating conversation; pass threadId to read another thread of the same ticket. Follow cursor_next (or cursor_prev) while has_more is true.',
      input: z.object({
        ticketId: z.string().regex(TICKET_ID, 'must be a numeric HubSpot ticket id such as 12345').describe('HubSpot id of the ticket, digits only.'),
        threadId: z.string().regex(TICKET_ID, 'must be a numeric HubSpot thread id').optional().describe('HubSpot conversation thread id of this ticket, digits only. Optional: by default the ticket\'s originating thread is read; a thread that is not the ticket\'s answers 404.'),
        page_size: z.number().int().min(1).default(EMAIL_PAGE.default).describe(`Emails per page: default ${EMAIL_PAGE.default}, at most ${EMAIL_PAGE.max} (larger values are reduced to ${EMAIL_PAGE.max}).`),
        cursor: cursorField,
        direction: directionField,
      }),
      output: EmailThreadReply,
      timeoutMs,
      handler: (input, ctx) => getEmailThread(input, ctx, deps),
    });
}

interface Deps {
  clientOf: () => Client;
  cursors: CursorCodec;
  timezone: string;
  maxConvoMsgs: number;
  /** Epoch ms by which a call's HubSpot work must be over. */
  deadline: (ctx: ActionContext) => number;
  buildTag?: string;
}

type Direction = 'next' | 'prev';

/** The audit line: who read what. Never the transcript or the emails. */
function audit(ctx: ActionContext, deps: Deps, fields: { ticketId: string; threadId?: string | undefined }): void {
  const { role, email, userId } = ctx.caller;
  ctx.logger.info('audit', {
    role: role ?? null,
    email: email ?? null,
    userId: userId ?? null,
    operation: ctx.operation,
    ticketId: fields.ticketId,
    ...(fields.threadId ? { threadId: fields.threadId } : {}),
    ...(deps.buildTag ? { build: deps.buildTag } : {}),
  });
}

function callOptions(ctx: ActionContext, deps: Deps): Omit<HubSpotCallOptions, 'what'> {
  return {
    signal: ctx.signal,
    deadline: deps.deadline(ctx),
    onRetry: (info) => ctx.logger.warn('hubspot rate limited; retrying', info),
  };
}

/** Short digest of a text, so a cursor can tell the text it paged has changed. */
const fingerprint = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);

function stale(what: string): ActionError {
  return new ActionError(409, `${what} changed since this cursor was made; start again without a cursor.`, { code: 'STALE_CURSOR' });
}

/** A decoded cursor's fields, checked (the signature proves they are ours; the shape check guards versions). */
function field<T>(state: CursorState, key: string, check: (v: unknown) => v is T): T {
  const value = state[key];
  if (!check(value)) throw invalidCursor('comes from an incompatible version');
  return value;
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isString = (v: unknown): v is string => typeof v === 'string';
const isDirection = (v: unknown): v is Direction => v === 'next' || v === 'prev';

async function getCallTranscription(
  input: { ticketId: string; page_size: number; cursor?: string | undefined; direction: Direction },
  ctx: ActionContext,
  deps: Deps,
): Promise<TranscriptionReply> {
  const { ticketId } = input;
  audit(ctx, deps, { ticketId });
  const scope = cursorScope(`${INTERACTIONS_GROUP}.getCallTranscription`, { ticketId });
  const cursor = input.cursor === undefined ? undefined : deps.cursors.decode(input.cursor, scope);
  const { text: raw, source } = await readTranscript(deps.clientOf(), ticketId, callOptions(ctx, deps));
  // Redaction comes first, so no page boundary can leave part of a card number unmasked.
  const text = redactPii(raw);
  const print = fingerprint(text);
  const size = cursor ? field(cursor, 'n', isNumber) : Math.min(input.page_size, TRANSCRIPT_PAGE.max);
  const direction = cursor ? field(cursor, 'd', isDirection) : input.direction;
  if (cursor && field(cursor, 'f', isString) !== print) throw stale(`The transcription of ticket ${ticketId}`);
  const page = textPage(text, size, cursor ? field(cursor, 'o', isNumber) : direction === 'next' ? 'first' : 'last');
  if (!page) throw stale(`The transcription of ticket ${ticketId}`);
  ctx.logger.debug('transcription page', { ticketId, source, start: page.start, length: page.text.length, total: text.length });
  const encode = (o: number | null, d: Direction) => (o === null ? null : deps.cursors.encode({ o, n: size, d, f: print }, scope));
  const cursor_next = encode(page.next, 'next');
  const cursor_prev = encode(page.prev, 'prev');
  return { ticketId, transcription: page.text, has_more: (direction === 'next' ? cursor_next : cursor_prev) !== null, cursor_next, cursor_prev };
}

async function getEmailThread(
  input: { ticketId: string; threadId?: string | undefined; page_size: number; cursor?: string | undefined; direction: Direction },
  ctx: ActionContext,
  deps: Deps,
): Promise<EmailThreadReply> {
  const { ticketId } = input;
  audit(ctx, deps, { ticketId, threadId: input.threadId });
  const scope = cursorScope(`${INTERACTIONS_GROUP}.getEmailThread`, { ticketId, threadId: input.threadId });
  const cursor = input.cursor === undefined ? undefined : deps.cursors.decode(input.cursor, scope);
  const client = deps.clientOf();
  const call = callOptions(ctx, deps);
  // A cursor remembers the thread it pages (checked when the cursor was made, and signed), so later pages
  // skip the ticket lookup; a threadId given outright must be one of the ticket's threads.
  const threadId = cursor
    ? field(cursor, 'th', isString)
    : input.threadId
      ? await checkThreadOfTicket(client, ticketId, input.threadId, call)
      : await resolveThreadId(client, ticketId, call);
  const messages = await readThreadMessages(client, threadId, deps.maxConvoMsgs, call);
  const emails = toEmails(messages, deps.timezone);
  const size = cursor ? field(cursor, 'n', isNumber) : Math.min(input.page_size, EMAIL_PAGE.max);
  const direction = cursor ? field(cursor, 'd', isDirection) : input.direction;
  let position: ListPosition = direction === 'next' ? 'first' : 'last';
  if (cursor) position = direction === 'next' ? { after: field(cursor, 'a', isString) } : { before: field(cursor, 'a', isString) };
  const page = listPage<Email>(emails, size, position);
  if (!page) throw stale(`The email thread ${threadId}`);
  const encode = (a: string | null, d: Direction) => (a === null ? null : deps.cursors.encode({ a, n: size, d, th: threadId }, scope));
  const cursor_next = encode(page.nextAfter, 'next');
  const cursor_prev = encode(page.prevBefore, 'prev');
  return {
    ticketId,
    emails: await completeTruncated(client, threadId, page.items, messages, deps.timezone, call),
    thread_order: 'chronological_asc',
    has_more: (direction === 'next' ? cursor_next : cursor_prev) !== null,
    cursor_next,
    cursor_prev,
  };
}

/**
 * `interactionOps` configured from the environment:
 * - `HUBSPOT_TOKEN` (or `HUBSPOT_API_KEY`): private app access token. Missing: the group is still
 *   created and every call answers 503 naming HUBSPOT_TOKEN.
 * - `HUBSPOT_BASE_URL`: API base URL. `LOCAL_TZ`: zone of email timestamps (default `America/Costa_Rica`).
 * - `ALLOWED_ROLES`: comma-separated roles (default `Agent,Supervisor`); `ENFORCE_ALLOWED_ROLES`: only
 *   `false`/`0`/`no`/`off` opens the group, anything else keeps it closed.
 * - `MAX_CONVO_MSGS`: most messages read from a thread (default 200).
 * - `CURSOR_SECRET`: key signing paging cursors (≥ 16 bytes). Unset: derived from the token, so cursors
 *   still survive a cold start and work across instances.
 * - `BUILD_TAG`: added to audit lines as `build`.
 */
function fromEnv(env: Env = process.env): ActionGroup {
  const token = envString(env, 'HUBSPOT_TOKEN') ?? envString(env, 'HUBSPOT_API_KEY');
  const roles = envList(env, 'ALLOWED_ROLES');
  const maxConvoMsgs = envPositiveInt(env, 'MAX_CONVO_MSGS');
  const value = (name: string) => envString(env, name);
  const baseUrl = value('HUBSPOT_BASE_URL');
  const timezone = value('LOCAL_TZ');
  const cursorSecret = value('CURSOR_SECRET');
  const buildTag = value('BUILD_TAG');
  return interactionOps({
    ...(token ? { accessToken: token } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(timezone ? { timezone } : {}),
    ...(roles?.length ? { allowedRoles: roles } : {}),
    enforceAllowedRoles: envFlag(env, 'ENFORCE_ALLOWED_ROLES', true),
    ...(maxConvoMsgs ? { maxConvoMsgs } : {}),
    ...(cursorSecret ? { cursorSecret } : {}),
    ...(buildTag ? { buildTag } : {}),
  });
}

interactionOps.fromEnv = fromEnv;
