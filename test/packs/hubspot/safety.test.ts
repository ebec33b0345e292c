import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_ALLOW_LIST, hubspotOps } from '../../../src/packs/hubspot/index.js';
import { redactPii } from '../../../src/text/index.js';
import { harness, type Harness } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SEARCH = '/crm/v3/objects/tickets/search';
const CARD = '4111 1111 1111 1111';
const MASKED = '**** **** **** 1111';

function withCustomerText(h: Harness, id: string, properties: Record<string, string>) {
  const ticket = h.fake.portal.objects.tickets!.find((t) => t.id === id)!;
  Object.assign(ticket.properties, properties);
}

describe('HubSpotOps never returns customer text unredacted', () => {
  it('getTicket masks cards and DNIs in subject and content, as getEmailThread does', async () => {
    const h = harness(server);
    withCustomerText(h, '1005', { subject: `Cobro doble a la tarjeta ${CARD}`, content: `Mi DNI es 12345678Z y pagué con ${CARD}.` });
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: '1005' });
    expect(status).toBe(200);
    expect(body.subject).toBe(`Cobro doble a la tarjeta ${MASKED}`);
    expect(body.properties.subject).toBe(`Cobro doble a la tarjeta ${MASKED}`);
    expect(body.properties.content).toBe(redactPii(`Mi DNI es 12345678Z y pagué con ${CARD}.`));
    expect(JSON.stringify(body)).not.toMatch(/4111 1111 1111 1111|12345678Z/);
    // Structured properties are left alone (an id, dates).
    expect(body.properties.hs_object_id).toBe('1005');
    expect(body.properties.createdate).toBe('2025-03-05T15:30:00.000Z');
  });

  it('searchTickets and ticketsByContact redact every ticket they list', async () => {
    const h = harness(server);
    for (const t of h.fake.portal.objects.tickets!) t.properties.content = `tarjeta ${CARD}`;
    const search = await h.get('/tickets/search', { page_size: 5 });
    expect(search.body.tickets.length).toBeGreaterThan(0);
    expect(JSON.stringify(search.body)).not.toContain(CARD);
    for (const t of search.body.tickets) expect(t.properties.content).toBe(`tarjeta ${MASKED}`);
  });

  it('freeTextProperties adds a configured free-text property, and replaces the defaults', async () => {
    const h = harness(server, { ticketProperties: ['hs_resolution'], freeTextProperties: ['content', 'hs_resolution'] });
    withCustomerText(h, '1005', { subject: `S ${CARD}`, content: `C ${CARD}`, hs_resolution: `R ${CARD}` });
    const { body } = await h.get('/tickets/{ticketId}', { ticketId: '1005' });
    expect(body.properties.hs_resolution).toBe(`R ${MASKED}`);
    expect(body.properties.content).toBe(`C ${MASKED}`);
    expect(body.subject).toBe(`S ${CARD}`); // not listed any more: the user said so
  });

  it('redacts whatever the text is: the reply equals redactPii of what HubSpot holds', async () => {
    const h = harness(server);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom(CARD, '5500 0000 0000 0004', 'DNI 12345678', ''), async (text, pii) => {
        const content = `${text} ${pii}`;
        withCustomerText(h, '1005', { content });
        const { body } = await h.get('/tickets/{ticketId}', { ticketId: '1005' });
        expect(body.properties.content).toBe(redactPii(content));
      }),
      { numRuns: 40 },
    );
  });
});

describe('HubSpotOps raw filters and sorts are allow-listed per object', () => {
  it('refuses a raw filter on a property the replies do not show, before calling HubSpot', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/search', { filters: '[{"propertyName":"hs_secret_score","operator":"GT","value":"5"}]' });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'FILTER_NOT_ALLOWED',
      message: `filters: filters[0].propertyName "hs_secret_score" cannot be searched; tickets can be filtered on ${DEFAULT_SEARCH_ALLOW_LIST.tickets.properties.join(', ')}`,
    });
    expect(h.fake.requests('POST', SEARCH)).toEqual([]);
  });

  it('refuses a sort on a property outside the list, for contacts too', async () => {
    const h = harness(server);
    const tickets = await h.get('/tickets/search', { sort: 'hs_secret_score:DESC' });
    expect(tickets.status).toBe(400);
    expect(tickets.body.error.code).toBe('SORT_NOT_ALLOWED');
    expect(tickets.body.error.message).toBe(`sort: "hs_secret_score" cannot be sorted on; tickets can be sorted on ${DEFAULT_SEARCH_ALLOW_LIST.tickets.properties.join(', ')}`);
    const contacts = await h.get('/contacts/search', { q: 'ana', sort: 'hs_analytics_source:ASC' });
    expect(contacts.status).toBe(400);
    expect(contacts.body.error.code).toBe('SORT_NOT_ALLOWED');
    const badFilter = await h.get('/contacts/search', { q: 'ana', filters: '[{"propertyName":"annualrevenue","operator":"GT","value":"1"}]' });
    expect(badFilter.body.error.code).toBe('FILTER_NOT_ALLOWED');
    expect(h.fake.seen.filter((r) => r.path.endsWith('/search'))).toEqual([]);
  });

  it('lets the allowed ones through unchanged, and ticketProperties become searchable', async () => {
    const h = harness(server, { ticketProperties: ['hs_resolution'] });
    const ok = await h.get('/tickets/search', { filters: '[{"propertyName":"hs_resolution","operator":"HAS_PROPERTY"}]', sort: 'hs_resolution:ASC' });
    expect(ok.status).toBe(200);
    const [search] = h.fake.requests('POST', SEARCH);
    expect(search!.body).toMatchObject({ filterGroups: [{ filters: [{ propertyName: 'hs_resolution', operator: 'HAS_PROPERTY' }] }], sorts: [{ propertyName: 'hs_resolution', direction: 'ASCENDING' }] });
  });

  it('searchAllowList replaces the properties and operators of an object', async () => {
    const h = harness(server, { searchAllowList: { tickets: { properties: ['hs_ticket_priority', 'createdate'], operators: ['EQ', 'IN'] } } });
    expect((await h.get('/tickets/search', { filters: '[{"propertyName":"hs_ticket_priority","operator":"EQ","value":"HIGH"}]' })).status).toBe(200);
    const content = await h.get('/tickets/search', { filters: '[{"propertyName":"content","operator":"CONTAINS_TOKEN","value":"x"}]' });
    expect(content.body.error.message).toBe('filters: filters[0].propertyName "content" cannot be searched; tickets can be filtered on hs_ticket_priority, createdate');
    const op = await h.get('/tickets/search', { filters: '[{"propertyName":"hs_ticket_priority","operator":"NEQ","value":"LOW"}]' });
    expect(op.body.error.message).toBe('filters: filters[0].operator must be one of EQ, IN, got "NEQ"');
    // Friendly keys stay available whatever the list says.
    expect((await h.get('/tickets/search', { filters: '{"pipeline":"Soporte"}' })).status).toBe(200);
  });

  it('an unknown operator in the configuration fails at creation', () => {
    expect(() => hubspotOps({ searchAllowList: { contacts: { operators: ['LIKE' as never] } } })).toThrow('hubspotOps: "searchAllowList" names an unknown operator "LIKE"');
  });
});
