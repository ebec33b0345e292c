import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { cursorScope } from '../../kit/cursor.js';
import type { ActionGroup } from '../../core/operation.js';
import { detectRequestedLimit } from '../../text/limits.js';
import { parseFilters, parseSort, type FilterGroup } from './filters.js';
import { CONTACT_PROPERTIES, formatTicket, type CrmRecord, type Ticket } from './format.js';
import { pageReply, planPage } from './paging.js';
import { filterContext, type HubSpotRuntime } from './runtime.js';
import { cleanId, ContactTicketPageSchema, fields, recordId, TicketPageSchema, TicketSchema } from './schemas.js';
import { searchPage } from './search.js';

const SEARCH_MAX = 5;
const BY_CONTACT_MAX = 100;
const FRIENDLY_TICKET_KEYS = '{"pipeline":"Soporte","stage":"Cerrado","owner":"id or email","priority":"HIGH","source":"PHONE","from":"2025-03-01","to":"2025-03-31","date_field":"closed_date"}';

/** Ticket records as replies: pipeline/stage labels from the cached pipelines, owners looked up once each, customer text redacted. */
export async function formatTickets(rt: HubSpotRuntime, ctx: ActionContext, records: readonly CrmRecord[]): Promise<Ticket[]> {
  if (records.length === 0) return [];
  const ownerIds = [...new Set(records.map((r) => r.properties.hubspot_owner_id).filter((id): id is string => !!id))];
  const [pipelines, owners] = await Promise.all([rt.pipelines(ctx), rt.owners(ctx, ownerIds)]);
  return records.map((r) => formatTicket(r, { zone: rt.zone, pipelines, owners, urlBase: rt.ticketUrlBase, freeText: rt.freeTextProperties }));
}

/** The user's requested total: the explicit input, else what their words ask for. */
function requestedTotal(explicit: number | undefined, ctx: ActionContext): number | null {
  return explicit ?? detectRequestedLimit(ctx.inputText ?? '');
}

/** Adds getTicket, searchTickets and ticketsByContact to `group`. */
export function addTicketOperations(group: ActionGroup, rt: HubSpotRuntime, timeoutMs: number): ActionGroup {
  const listTickets = async (
    ctx: ActionContext,
    op: string,
    input: { page_size: number; cursor?: string | undefined; direction: 'next' | 'prev'; sort: string; filters?: string | undefined; q?: string | undefined },
    extra: { reserved: number; addToGroups: (groups: FilterGroup[]) => FilterGroup[]; scope: Record<string, unknown>; max: number; total: number | null },
  ) => {
    const sort = parseSort(input.sort, 'tickets', rt.searchable.tickets);
    const filterGroups = extra.addToGroups(await parseFilters(input.filters, filterContext(rt, ctx, 'tickets', extra.reserved)));
    const scope = cursorScope(`HubSpotOps.${op}`, { ...extra.scope, q: input.q?.trim() ?? '', filterGroups, sort });
    const plan = planPage(input, extra.max, scope, rt.cursors, input.cursor ? null : extra.total);
    const page = await searchPage(rt, ctx, { objectType: 'tickets', query: input.q?.trim(), filterGroups, sort, properties: rt.ticketProperties }, plan, 'the ticket search');
    return { tickets: await formatTickets(rt, ctx, page.records), paging: pageReply(page.plan, page.records.length, page.total, scope, rt.cursors) };
  };

  return group
    .operation({
      name: 'getTicket',
      method: 'GET',
      path: '/tickets/{ticketId}',
      description:
        'Get one HubSpot ticket by its id: subject, dates in local time, source, priority, pipeline and stage names, owner and a link. Use when the user names a ticket number.',
      input: z.object({ ticketId: recordId('ticket') }),
      output: TicketSchema,
      timeoutMs,
      handler: async ({ ticketId }, ctx) => {
        const id = cleanId(ticketId);
        const record = await rt.call(ctx, `ticket ${id}`, (client) => client.crm.tickets.basicApi.getById(id, [...rt.ticketProperties]));
        const [ticket] = await formatTickets(rt, ctx, [record as CrmRecord]);
        return ticket as Ticket;
      },
    })
    .operation({
      name: 'searchTickets',
      method: 'GET',
      path: '/tickets/search',
      description:
        'Search HubSpot tickets by text and/or filters, newest first by default, 5 per page. Use for "the last 3 tickets", "open tickets of pipeline Soporte", "high priority tickets from March". ' +
        'When the user asks for a number of tickets, pass it as requested_total (otherwise it is read from their words); paging stops there and remaining counts down to 0. ' +
        'Page with cursor_next / cursor_prev.',
      input: z.object({
        q: z.string().max(200).optional().describe('Words to search for in the tickets (subject, content…); omit to list by filters only'),
        page_size: fields.pageSize(SEARCH_MAX, 'tickets'),
        cursor: fields.cursor,
        direction: fields.direction,
        filters: fields.filters(FRIENDLY_TICKET_KEYS),
        sort: fields.sort,
        requested_total: z.number().int().min(1).max(100).optional().describe('Total number of tickets the user asked for (1–100), e.g. 3 for "the last 3 tickets"'),
      }),
      output: TicketPageSchema,
      timeoutMs,
      handler: async (input, ctx) => {
        const { tickets, paging } = await listTickets(ctx, 'searchTickets', input, {
          reserved: 0,
          addToGroups: (g) => g,
          scope: {},
          max: SEARCH_MAX,
          total: requestedTotal(input.requested_total, ctx),
        });
        return { tickets, ...paging };
      },
    })
    .operation({
      name: 'ticketsByContact',
      method: 'GET',
      path: '/tickets/by-contact',
      description:
        'List the tickets of one HubSpot contact, newest first by default, with optional filters. Use after finding the contact (searchContacts) when the user asks about a customer\'s tickets. ' +
        'A number the user asks for ("her last 3 tickets") limits the total. Page with cursor_next / cursor_prev.',
      input: z.object({
        contactId: recordId('contact'),
        page_size: fields.pageSize(BY_CONTACT_MAX, 'tickets'),
        cursor: fields.cursor,
        direction: fields.direction,
        filters: fields.filters(FRIENDLY_TICKET_KEYS),
        sort: fields.sort,
      }),
      output: ContactTicketPageSchema,
      timeoutMs,
      handler: async (input, ctx) => {
        const contactId = cleanId(input.contactId);
        const byContact = { propertyName: 'associations.contact', operator: 'EQ' as const, value: contactId };
        const { tickets, paging } = await listTickets(ctx, 'ticketsByContact', input, {
          reserved: 1,
          addToGroups: (groups) => (groups.length ? groups.map((g) => ({ filters: [...g.filters, byContact] })) : [{ filters: [byContact] }]),
          scope: { contactId },
          max: BY_CONTACT_MAX,
          total: requestedTotal(undefined, ctx),
        });
        // An empty first page may mean a wrong contact id: say so rather than "no tickets".
        if (tickets.length === 0 && !input.cursor) {
          await rt.call(ctx, `contact ${contactId}`, (client) => client.crm.contacts.basicApi.getById(contactId, [...CONTACT_PROPERTIES]));
        }
        return { contactId, tickets, ...paging };
      },
    });
}
