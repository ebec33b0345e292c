import { createCursorCodec, deriveCursorSecret } from '../../kit/cursor.js';
import { deadlineOf } from '../../kit/deadline.js';
import { positiveNumber } from '../../kit/options.js';
import { DEFAULT_ROLES, groupRoles } from '../../kit/roles.js';
import { actionGroup, type ActionGroup } from '../../core/operation.js';
import { hubspotClientSource, withHubSpot, type HubSpotClientOptions } from '../../integrations/hubspot/client.js';
import { ttlValue } from './cache.js';
import { addContactOperations } from './contacts.js';
import { allowedSets, DEFAULT_SEARCH_ALLOW_LIST, type SearchAllowList } from './filters.js';
import { FREE_TEXT_TICKET_PROPERTIES, TICKET_PROPERTIES } from './format.js';
import { addOwnerOperations, ownerLookups } from './owners.js';
import { indexPipelines, type PipelineIndex } from './pipelines.js';
import type { HubSpotRuntime } from './runtime.js';
import { addTicketOperations } from './tickets.js';
import { envFlag, envList, envPositiveInt, envString, type Env } from '../../kit/env.js';
import { timezoneOption } from '../../kit/timezone.js';

export type { Contact, Owner, Ticket } from './format.js';
export type { PageReply } from './paging.js';
export type { HubSpotClientOptions } from '../../integrations/hubspot/client.js';
export { DEFAULT_SEARCH_ALLOW_LIST, OPERATORS, type Operator, type SearchAllowList } from './filters.js';
export { FREE_TEXT_TICKET_PROPERTIES } from './format.js';

/** Group name, as configured on the agent. */
export const HUBSPOT_GROUP = 'HubSpotOps';
/** Roles allowed by default: the people of a customer-service team. */
export const DEFAULT_HUBSPOT_ROLES: readonly string[] = DEFAULT_ROLES;

/** Options of {@link hubspotOps}. */
export interface HubSpotOpsOptions extends HubSpotClientOptions {
  /**
   * Link base for ticket `url`s, e.g. `https://app.hubspot.com/contacts/123456/ticket/` (the id is
   * appended) or a template with `{id}`. Without it `url` is null.
   */
  ticketUrlBase?: string;
  /** IANA zone dates are shown in and `from`/`to` filter days are read in (default `America/Costa_Rica`). */
  timezone?: string;
  /**
   * Key that signs cursors (≥ 16 bytes). When absent it is derived from `accessToken` (HKDF, see
   * `deriveCursorSecret`), so every instance of the deployment accepts the others' cursors; with neither
   * (a `client` given) it is random per process.
   */
  cursorSecret?: string | Uint8Array;
  /** How long a cursor stays valid, in ms (default one hour). */
  cursorTtlMs?: number;
  /** Roles allowed to call (default `Agent`, `Supervisor`). */
  allowedRoles?: readonly string[];
  /** Check roles (default true). False lets any caller in — only for trusted, single-role deployments. */
  enforceAllowedRoles?: boolean;
  /** How long pipelines, stage labels and owners are kept in memory, in ms (default 10 minutes). */
  cacheTtlMs?: number;
  /** More ticket properties to read; they appear in each ticket's `properties` (and may be filtered and sorted on). */
  ticketProperties?: readonly string[];
  /**
   * Ticket properties holding customer text, PII-redacted (cards keep their last 4 digits, DNIs masked)
   * in every reply. Default {@link FREE_TEXT_TICKET_PROPERTIES} (`subject`, `content`); add free-text
   * extras of `ticketProperties` here.
   */
  freeTextProperties?: readonly string[];
  /**
   * What raw filters (`{"propertyName","operator","value"}`) and `sort` may name, per object type;
   * anything else is a 400 listing what is allowed. A list given replaces its default
   * ({@link DEFAULT_SEARCH_ALLOW_LIST}: the properties the replies show, every operator);
   * `ticketProperties` are added to the ticket properties. Friendly keys (`pipeline`, `owner`, …) are always allowed.
   */
  searchAllowList?: { tickets?: Partial<SearchAllowList>; contacts?: Partial<SearchAllowList> };
  /** Deadline of each operation, in ms (default 20 000); rate-limit retries stay within it. */
  timeoutMs?: number;
  /** Retries on HubSpot's 429: most attempts (default 4) and first back-off (default 500 ms). */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  /** Clock for the caches and cursors, for tests. */
  now?: () => number;
}

/** Time kept back from the deadline so a rate-limit 503 still reaches the caller before the 504. */
const REPLY_MARGIN_MS = 250;

/**
 * The `HubSpotOps` action group: getTicket, searchTickets, getContact, searchContacts, findOwners,
 * ticketsByContact and ticketContacts, over HubSpot's CRM API with `@hubspot/api-client`.
 *
 * Creating the group never fails for lack of a token and never calls HubSpot; without `client` or
 * `accessToken` every operation answers 503 naming `HUBSPOT_TOKEN`. Roles default to Agent and
 * Supervisor (fail closed: a caller without a role gets a 403) unless `enforceAllowedRoles` is false.
 */
export function hubspotOps(options: HubSpotOpsOptions = {}): ActionGroup {
  const zone = timezoneOption(options.timezone, 'hubspotOps');
  const timeoutMs = positiveNumber(options.timeoutMs, 20_000, 'hubspotOps', 'timeoutMs', { unit: 'milliseconds' });
  const cacheTtlMs = options.cacheTtlMs ?? 10 * 60 * 1000;
  const now = options.now;
  const client = hubspotClientSource(options);
  const cursorSecret = options.cursorSecret ?? (options.accessToken ? deriveCursorSecret(options.accessToken, HUBSPOT_GROUP) : undefined);
  const cursors = createCursorCodec({
    ...(cursorSecret !== undefined ? { secret: cursorSecret } : {}),
    ...(options.cursorTtlMs !== undefined ? { ttlMs: options.cursorTtlMs } : {}),
    ...(now ? { now } : {}),
  });
  // One deadline per call, shared by all its HubSpot requests.
  const deadline = deadlineOf(timeoutMs, { replyMarginMs: REPLY_MARGIN_MS });
  const call: HubSpotRuntime['call'] = (ctx, what, fn) =>
    withHubSpot(() => fn(client()), {
      what,
      signal: ctx.signal,
      deadline: deadline(ctx),
      ...options.retry,
      onRetry: (info) => ctx.logger.warn('HubSpot rate limit; retrying', { what, ...info }),
    });
  const ticketProperties = [...new Set([...TICKET_PROPERTIES, ...(options.ticketProperties ?? [])])];
  const pipelines = ttlValue<PipelineIndex>({ ttlMs: cacheTtlMs, ...(now ? { now } : {}) });
  const rt: HubSpotRuntime = {
    cursors,
    zone,
    ticketUrlBase: options.ticketUrlBase,
    ticketProperties,
    freeTextProperties: new Set(options.freeTextProperties ?? FREE_TEXT_TICKET_PROPERTIES),
    searchable: {
      tickets: allowedSets(searchList('tickets', options.searchAllowList?.tickets, options.ticketProperties)),
      contacts: allowedSets(searchList('contacts', options.searchAllowList?.contacts)),
    },
    call,
    pipelines: (ctx) => pipelines.get(async () => indexPipelines((await call(ctx, 'the ticket pipelines', (c) => c.crm.pipelines.pipelinesApi.getAll('tickets'))).results)),
    ...ownerLookups(call, cacheTtlMs, now),
  };
  const group = actionGroup({
    name: HUBSPOT_GROUP,
    description: 'Read HubSpot tickets, contacts and owners for a customer-service agent: look up, search with filters, and page through results.',
    ...groupRoles(options.enforceAllowedRoles, options.allowedRoles),
  });
  addTicketOperations(group, rt, timeoutMs);
  addContactOperations(group, rt, timeoutMs);
  addOwnerOperations(group, rt, timeoutMs);
  return group;
}

/** An object type's allow-list: the configured parts, else the defaults; ticket extras are searchable too. */
function searchList(objectType: 'tickets' | 'contacts', given: Partial<SearchAllowList> | undefined, extras: readonly string[] = []): SearchAllowList {
  const base = DEFAULT_SEARCH_ALLOW_LIST[objectType];
  return { properties: [...new Set([...(given?.properties ?? base.properties), ...extras])], operators: given?.operators ?? base.operators };
}

/**
 * `hubspotOps` configured from the environment: `HUBSPOT_TOKEN` (or `HUBSPOT_API_KEY`),
 * `HUBSPOT_BASE_URL`, `HUBSPOT_TICKET_URL_BASE`, `LOCAL_TZ` (default America/Costa_Rica),
 * `ALLOWED_ROLES` (comma list, default Agent,Supervisor), `ENFORCE_ALLOWED_ROLES` (`false` turns the
 * role check off), `CURSOR_SECRET` (unset: derived from the token, so cursors work across instances), `HUBSPOT_TIMEOUT_MS`. `BUILD_TAG` is carried by the core logger on
 * every log line; `MAX_CONVO_MSGS` belongs to InteractionOps and is ignored here.
 */
function fromEnv(env: Env = process.env): ActionGroup {
  const value = (name: string) => envString(env, name);
  const token = value('HUBSPOT_TOKEN') ?? value('HUBSPOT_API_KEY');
  const roles = envList(env, 'ALLOWED_ROLES');
  const timeoutMs = envPositiveInt(env, 'HUBSPOT_TIMEOUT_MS');
  const options: HubSpotOpsOptions = { enforceAllowedRoles: envFlag(env, 'ENFORCE_ALLOWED_ROLES', true) };
  if (token) options.accessToken = token;
  if (value('HUBSPOT_BASE_URL')) options.baseUrl = value('HUBSPOT_BASE_URL') as string;
  if (value('HUBSPOT_TICKET_URL_BASE')) options.ticketUrlBase = value('HUBSPOT_TICKET_URL_BASE') as string;
  if (value('LOCAL_TZ')) options.timezone = value('LOCAL_TZ') as string;
  if (roles) options.allowedRoles = roles;
  if (value('CURSOR_SECRET')) options.cursorSecret = value('CURSOR_SECRET') as string;
  if (timeoutMs) options.timeoutMs = timeoutMs;
  return hubspotOps(options);
}

hubspotOps.fromEnv = fromEnv;
