import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { cursorScope } from '../../kit/cursor.js';
import type { ActionGroup } from '../../core/operation.js';
import { detectRequestedLimit } from '../../text/limits.js';
import { parseFilters, parseSort } from './filters.js';
import { CONTACT_PROPERTIES, formatContact, type Contact, type CrmRecord } from './format.js';
import { pageReply, planPage, lastPage } from './paging.js';
import { filterContext, type HubSpotRuntime } from './runtime.js';
import { cleanId, ContactPageSchema, ContactSchema, fields, recordId, TicketContactsSchema } from './schemas.js';
import { searchPage } from './search.js';

const SEARCH_MAX = 5;
const TICKET_CONTACTS_MAX = 100;
/** Most contacts of one ticket considered (HubSpot returns them 500 at a time). */
const MAX_TICKET_CONTACTS = 1000;
/** An association label that marks the primary contact ("Primary", "Primary contact", "Contacto principal"). */
const PRIMARY_LABEL = /primary|principal/i;

interface Association {
  id: string;
  labels: string[];
}

/** Every contact associated with a ticket (v4 associations), ordered by contact id. */
async function ticketAssociations(rt: HubSpotRuntime, ctx: ActionContext, ticketId: string): Promise<Association[]> {
  const out: Association[] = [];
  let after: string | undefined;
  do {
    const page = await rt.call(ctx, `ticket ${ticketId}`, (client) => client.crm.associations.v4.basicApi.getPage('tickets', ticketId, 'contacts', after, 500));
    for (const r of page.results) {
      out.push({ id: String(r.toObjectId), labels: r.associationTypes.map((t) => t.label).filter((l): l is string => !!l) });
    }
    after = page.paging?.next?.after;
  } while (after && out.length < MAX_TICKET_CONTACTS);
  return out.sort((a, b) => compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Contacts by id, 100 per batch read, in the order of `ids` (ids HubSpot no longer has are left out). */
async function readContacts(rt: HubSpotRuntime, ctx: ActionContext, ids: readonly string[]): Promise<CrmRecord[]> {
  const byId = new Map<string, CrmRecord>();
  for (let i = 0; i < ids.length; i += 100) {
    const inputs = ids.slice(i, i + 100).map((id) => ({ id }));
    const reply = await rt.call(ctx, 'contacts', (client) => client.crm.contacts.batchApi.read({ inputs, properties: [...CONTACT_PROPERTIES], propertiesWithHistory: [] }, false));
    for (const r of reply.results) byId.set(String(r.id), r as CrmRecord);
  }
  return ids.map((id) => byId.get(id)).filter((r): r is CrmRecord => !!r);
}

/**
 * The primary contact of a ticket. HubSpot has no built-in "primary" for ticket→contact associations,
 * so: among contacts whose association carries a label containing "primary" or "principal" if any,
 * else among all, the one created first; equal creation times go to the lowest id.
 */
export function pickPrimary(associations: readonly Association[], contacts: readonly CrmRecord[]): CrmRecord | null {
  const labelled = new Set(associations.filter((a) => a.labels.some((l) => PRIMARY_LABEL.test(l))).map((a) => a.id));
  const pool = labelled.size ? contacts.filter((c) => labelled.has(String(c.id))) : contacts;
  const created = (c: CrmRecord) => {
    const ms = Date.parse(c.properties.createdate ?? '');
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return [...pool].sort((a, b) => created(a) - created(b) || compareIds(String(a.id), String(b.id)))[0] ?? null;
}

/** Adds getContact, searchContacts and ticketContacts to `group`. */
export function addContactOperations(group: ActionGroup, rt: HubSpotRuntime, timeoutMs: number): ActionGroup {
  return group
    .operation({
      name: 'getContact',
      method: 'GET',
      path: '/contacts/{contactId}',
      description: 'Get one HubSpot contact by its id: name, email, phones and when it was created. Use when a contact id is known (from a ticket or a search).',
      input: z.object({ contactId: recordId('contact') }),
      output: ContactSchema,
      timeoutMs,
      handler: async ({ contactId }, ctx): Promise<Contact> => {
        const id = cleanId(contactId);
        const record = await rt.call(ctx, `contact ${id}`, (client) => client.crm.contacts.basicApi.getById(id, [...CONTACT_PROPERTIES]));
        return formatContact(record as CrmRecord, rt.zone);
      },
    })
    .operation({
      name: 'searchContacts',
      method: 'GET',
      path: '/contacts/search',
      description:
        'Find HubSpot contacts by name, email or phone (q) and/or filters, 5 per page, newest first by default. Use to identify a customer before listing their tickets (ticketsByContact). Page with cursor_next / cursor_prev.',
      input: z.object({
        q: z.string().max(200).optional().describe('Name, email or phone number of the contact'),
        page_size: fields.pageSize(SEARCH_MAX, 'contacts'),
        cursor: fields.cursor,
        direction: fields.direction,
        filters: fields.filters('{"owner":"<id or email>","from":"2025-03-01","to":"2025-03-31","date_field":"createdate|lastmodifieddate"}'),
        sort: fields.sort,
      }),
      output: ContactPageSchema,
      timeoutMs,
      handler: async (input, ctx) => {
        const sort = parseSort(input.sort, 'contacts', rt.searchable.contacts);
        const filterGroups = await parseFilters(input.filters, filterContext(rt, ctx, 'contacts'));
        const q = input.q?.trim() ?? '';
        const scope = cursorScope('HubSpotOps.searchContacts', { q, filterGroups, sort });
        const plan = planPage(input, SEARCH_MAX, scope, rt.cursors, input.cursor ? null : detectRequestedLimit(ctx.inputText ?? ''));
        const page = await searchPage(rt, ctx, { objectType: 'contacts', query: q, filterGroups, sort, properties: CONTACT_PROPERTIES }, plan, 'the contact search');
        return { contacts: page.records.map((r) => formatContact(r, rt.zone)), ...pageReply(page.plan, page.records.length, page.total, scope, rt.cursors) };
      },
    })
    .operation({
      name: 'ticketContacts',
      method: 'GET',
      path: '/tickets/{ticketId}/contacts',
      description:
        'List the contacts associated with a HubSpot ticket (ordered by contact id), or with primaryOnly=true just its primary contact. ' +
        'HubSpot has no built-in primary contact for tickets, so the primary one is: a contact whose association label contains "Primary" or "Principal" if there is one, ' +
        'otherwise the contact created first; equal creation times go to the lowest contact id.',
      input: z.object({
        ticketId: recordId('ticket'),
        primaryOnly: z.boolean().default(false).describe('true to get only the primary contact (see the rule above)'),
        page_size: fields.pageSize(TICKET_CONTACTS_MAX, 'contacts'),
        cursor: fields.cursor,
        direction: fields.direction,
      }),
      output: TicketContactsSchema,
      timeoutMs,
      handler: async (input, ctx) => {
        const ticketId = cleanId(input.ticketId);
        const associations = await ticketAssociations(rt, ctx, ticketId);
        if (input.primaryOnly) {
          const primary = pickPrimary(associations, await readContacts(rt, ctx, associations.map((a) => a.id)));
          return { ticketId, primary_contact: primary ? formatContact(primary, rt.zone) : null, page_size: 1, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 };
        }
        const scope = cursorScope('HubSpotOps.ticketContacts', { ticketId });
        let plan = planPage(input, TICKET_CONTACTS_MAX, scope, rt.cursors);
        if (plan.offset < 0) plan = lastPage(plan, associations.length);
        const ids = associations.slice(plan.offset, plan.offset + plan.limit).map((a) => a.id);
        const contacts = (await readContacts(rt, ctx, ids)).map((r) => formatContact(r, rt.zone));
        // Positions count associations; `count` counts the contacts HubSpot still has.
        return { ticketId, contacts, ...pageReply(plan, ids.length, associations.length, scope, rt.cursors), count: contacts.length };
      },
    });
}
