import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_BASE, HUBSPOT_TOKEN, hubspotErrorReply } from '../../fixtures/hubspot/server.js';
import { AGENT, harness, TICKET_URL_BASE } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SEARCH = '/crm/v3/objects/tickets/search';
const TICKET_PROPS = ['subject', 'content', 'createdate', 'closed_date', 'source_type', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage', 'hubspot_owner_id', 'hs_lastmodifieddate'];
/** A fixed clock, so that equal pages carry byte-identical cursors. */
const NOW = Date.parse('2025-06-18T15:00:00Z');
const ids = (body: { tickets: Array<{ id: string }> }) => body.tickets.map((t) => t.id);

describe('getTicket', () => {
  it('replies with the ticket: labels, owner, local dates, url and raw properties', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: '1005' });
    expect(status).toBe(200);
    expect(body).toEqual({
      id: '1005',
      subject: 'Factura duplicada #5',
      createdate: '2025-03-05T09:30:00-06:00',
      closed_date: '2025-03-05T14:00:00-06:00',
      source_type: 'EMAIL',
      priority: 'MEDIUM',
      pipeline: 'Soporte',
      stage: 'Cerrado',
      owner: { id: '9001', name: 'María Castro', email: 'maria.castro@example.com' },
      url: `${TICKET_URL_BASE}1005`,
      properties: {
        closed_date: '2025-03-05T20:00:00.000Z',
        content: 'Body of ticket 1005',
        createdate: '2025-03-05T15:30:00.000Z',
        hs_lastmodifieddate: '2025-03-05T15:30:00.000Z',
        hs_object_id: '1005',
        hs_pipeline: '0',
        hs_pipeline_stage: '4',
        hs_ticket_priority: 'MEDIUM',
        hubspot_owner_id: '9001',
        source_type: 'EMAIL',
        subject: 'Factura duplicada #5',
      },
    });
    const [get] = h.fake.requests('GET', '/crm/v3/objects/tickets/1005');
    expect(String(get!.query.properties).split(',')).toEqual(TICKET_PROPS);
    expect(get!.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
  });

  it('answers through the Bedrock OpenAPI door with the full reply Bedrock expects', async () => {
    const h = harness(server);
    const { raw } = await h.get('/tickets/{ticketId}', { ticketId: '1002' }, { session: { ...AGENT, lastTicket: '1001' } });
    expect(raw).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'HubSpotOps',
        apiPath: '/tickets/{ticketId}',
        httpMethod: 'GET',
        httpStatusCode: 200,
        responseBody: { 'application/json': { body: expect.any(String) } },
      },
      sessionAttributes: { ...AGENT, lastTicket: '1001' },
      promptSessionAttributes: {},
    });
    expect(JSON.parse(raw.response.responseBody['application/json'].body)).toMatchObject({ id: '1002', source_type: 'PHONE', owner: { id: '9002', name: 'José Pérez' }, url: `${TICKET_URL_BASE}1002` });
  });

  it('accepts "#1005" and answers 404 "ticket 77 not found"', async () => {
    const h = harness(server);
    expect((await h.get('/tickets/{ticketId}', { ticketId: '#1005' })).body.id).toBe('1005');
    const missing = await h.get('/tickets/{ticketId}', { ticketId: '77' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'ticket 77 not found' });
  });

  it('refuses a non-numeric id with a 400 naming the field', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: 'abc' });
    expect(status).toBe(400);
    expect(body.error.message).toBe('Invalid input for getTicket: ticketId must be a numeric HubSpot ticket id such as 12345, got "abc". Fix this field and call again.');
    expect(h.fake.seen).toHaveLength(0);
  });
});

describe('searchTickets', () => {
  it('sends the query, sort, properties and limit HubSpot expects, and replies with a page', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/search', { q: 'router' });
    expect(status).toBe(200);
    const [sent] = h.fake.requests('POST', SEARCH);
    expect(sent!.body).toEqual({ query: 'router', filterGroups: [], sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }], properties: TICKET_PROPS, limit: 5 });
    expect(ids(body)).toEqual(['1012', '1009', '1006', '1003']);
    expect(body).toMatchObject({ count: 4, page_size: 5, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 });
    expect(Object.keys(body)).toEqual(['tickets', 'count', 'page_size', 'has_more', 'cursor_next', 'cursor_prev', 'remaining']);
    expect(body.tickets[0]).toMatchObject({ id: '1012', pipeline: 'Facturación', stage: 'Cerrado', owner: { id: '9002', name: 'José Pérez', email: 'jose.perez@example.com' } });
  });

  it('pages forward with `after` and back with cursor_prev to the very same pages', async () => {
    const h = harness(server, { now: () => NOW });
    const p1 = (await h.get('/tickets/search', {})).body;
    expect(ids(p1)).toEqual(['1012', '1011', '1010', '1009', '1008']);
    expect(p1).toMatchObject({ count: 5, has_more: true, cursor_prev: null, remaining: 7 });
    const p2 = (await h.get('/tickets/search', { cursor: p1.cursor_next })).body;
    expect(ids(p2)).toEqual(['1007', '1006', '1005', '1004', '1003']);
    expect(p2).toMatchObject({ has_more: true, remaining: 2 });
    const p3 = (await h.get('/tickets/search', { cursor: p2.cursor_next })).body;
    expect(ids(p3)).toEqual(['1002', '1001']);
    expect(p3).toMatchObject({ count: 2, has_more: false, cursor_next: null, remaining: 0 });
    expect(h.fake.requests('POST', SEARCH).map((r) => r.body.after)).toEqual([undefined, '5', '10']);

    const back2 = (await h.get('/tickets/search', { cursor: p3.cursor_prev })).body;
    const back1 = (await h.get('/tickets/search', { cursor: back2.cursor_prev })).body;
    expect(back2).toEqual(p2);
    expect(back1).toEqual(p1);
  });

  it('starts from the last page with direction=prev and walks back to the first', async () => {
    const h = harness(server, { now: () => NOW });
    const last = (await h.get('/tickets/search', { direction: 'prev' })).body;
    expect(ids(last)).toEqual(['1005', '1004', '1003', '1002', '1001']);
    expect(last).toMatchObject({ has_more: false, cursor_next: null, remaining: 0 });
    const middle = (await h.get('/tickets/search', { cursor: last.cursor_prev })).body;
    expect(ids(middle)).toEqual(['1010', '1009', '1008', '1007', '1006']);
    const first = (await h.get('/tickets/search', { cursor: middle.cursor_prev })).body;
    expect(ids(first)).toEqual(['1012', '1011']);
    expect(first.cursor_prev).toBeNull();
    // Going forward again from the short first page returns the middle page.
    expect((await h.get('/tickets/search', { cursor: first.cursor_next })).body).toEqual(middle);
    expect(h.fake.requests('POST', SEARCH)[0]!.body.limit).toBe(1);
  });

  it('stops at a requested total read from the user’s words, remaining counting down to 0', async () => {
    const h = harness(server);
    const p1 = (await h.get('/tickets/search', { page_size: 2 }, { inputText: 'dame los últimos 3 tickets' })).body;
    expect(ids(p1)).toEqual(['1012', '1011']);
    expect(p1).toMatchObject({ count: 2, page_size: 2, has_more: true, remaining: 1, requested_total: 3 });
    const p2 = (await h.get('/tickets/search', { page_size: 2, cursor: p1.cursor_next }, { inputText: 'más' })).body;
    expect(ids(p2)).toEqual(['1010']);
    expect(p2).toMatchObject({ count: 1, has_more: false, cursor_next: null, remaining: 0, requested_total: 3 });
    expect(h.fake.requests('POST', SEARCH).map((r) => [r.body.limit, r.body.after])).toEqual([[2, undefined], [1, '2']]);
  });

  it('prefers requested_total to the words, and caps it at what exists', async () => {
    const h = harness(server);
    const body = (await h.get('/tickets/search', { requested_total: 2, q: 'router' }, { inputText: 'show me 10 tickets' })).body;
    expect(body).toMatchObject({ count: 2, has_more: false, cursor_next: null, remaining: 0, requested_total: 2 });
    expect(h.fake.requests('POST', SEARCH)[0]!.body.limit).toBe(2);
    const all = (await h.get('/tickets/search', { q: 'router' }, { inputText: 'show me 10 router tickets' })).body;
    expect(all).toMatchObject({ count: 4, has_more: false, remaining: 0, requested_total: 10 });
  });

  it('clamps page_size above 5 instead of refusing it', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/search', { page_size: 50 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 5, page_size: 5 });
    expect(h.fake.requests('POST', SEARCH)[0]!.body.limit).toBe(5);
  });

  it('maps friendly filters to HubSpot filters, resolving labels to ids', async () => {
    const h = harness(server);
    const filters = JSON.stringify({ pipeline: 'soporte', stage: 'Cerrado', priority: 'media', source: 'email', from: '2025-03-01', to: '2025-03-31' });
    const { body } = await h.get('/tickets/search', { filters });
    expect(h.fake.requests('POST', SEARCH)[0]!.body.filterGroups).toEqual([
      {
        filters: [
          { propertyName: 'hs_pipeline', operator: 'EQ', value: '0' },
          { propertyName: 'hs_pipeline_stage', operator: 'EQ', value: '4' },
          { propertyName: 'hs_ticket_priority', operator: 'EQ', value: 'MEDIUM' },
          { propertyName: 'source_type', operator: 'EQ', value: 'EMAIL' },
          { propertyName: 'createdate', operator: 'GTE', value: String(Date.parse('2025-03-01T00:00:00-06:00')) },
          { propertyName: 'createdate', operator: 'LTE', value: String(Date.parse('2025-03-31T23:59:59.999-06:00')) },
        ],
      },
    ]);
    expect(ids(body)).toEqual(['1005']);
  });

  it('accepts raw filter groups (ORed), a stage label shared by two pipelines and owner emails', async () => {
    const h = harness(server);
    const filters = JSON.stringify([
      { filters: [{ propertyName: 'hs_pipeline_stage', operator: 'eq', value: 'Cerrado' }] },
      { filters: [{ owner: 'jose.perez@example.com' }, { propertyName: 'hs_ticket_priority', operator: 'IN', values: ['HIGH', 'URGENT'] }] },
    ]);
    const { body } = await h.get('/tickets/search', { filters, page_size: 5, sort: 'createdate:asc' });
    expect(h.fake.requests('POST', SEARCH)[0]!.body).toMatchObject({
      filterGroups: [
        { filters: [{ propertyName: 'hs_pipeline_stage', operator: 'IN', values: ['4', '102'] }] },
        { filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '9002' }, { propertyName: 'hs_ticket_priority', operator: 'IN', values: ['HIGH', 'URGENT'] }] },
      ],
      sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
    });
    expect(h.fake.requests('GET', /^\/crm\/v3\/owners\/?$/)[0]!.query).toEqual({ email: 'jose.perez@example.com', limit: '1', archived: 'false' });
    expect(ids(body)).toEqual(['1004', '1005', '1008', '1010', '1011']);
  });

  it('answers 400 naming the bound when filters exceed HubSpot’s limits', async () => {
    const h = harness(server);
    const f = { propertyName: 'subject', operator: 'HAS_PROPERTY' };
    const cases: Array<[unknown, string]> = [
      [Array.from({ length: 6 }, () => ({ filters: [f] })), 'filters: at most 5 filter groups are allowed, got 6'],
      [Array.from({ length: 7 }, () => f), 'filters: at most 6 filters are allowed in a group, group 1 has 7'],
      [Array.from({ length: 4 }, () => ({ filters: [f, f, f, f, f] })), 'filters: at most 18 filters are allowed in all groups together, got 20'],
    ];
    for (const [filters, message] of cases) {
      const { status, body } = await h.get('/tickets/search', { filters: JSON.stringify(filters) });
      expect([status, body.error.code, body.error.message]).toEqual([400, 'TOO_MANY_FILTERS', message]);
    }
    expect(h.fake.requests('POST', SEARCH)).toHaveLength(0);
  });

  it('answers 400 saying what was expected for malformed filters and sorts', async () => {
    const h = harness(server);
    const bad = async (params: Record<string, unknown>) => (await h.get('/tickets/search', params)).body.error.message as string;
    expect(await bad({ filters: '{"pipeline": ' })).toMatch(/^filters: could not be read as JSON \(.+\); expected a JSON list of filters \[\{"propertyName"/);
    expect(await bad({ filters: '[{"propertyName":"subject","operator":"LIKE","value":"x"}]' })).toBe(
      'filters: filters[0].operator must be one of EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN, got "LIKE"',
    );
    expect(await bad({ filters: '[{"propertyName":"createdate","operator":"BETWEEN","value":"1"}]' })).toBe('filters: filters[0] uses BETWEEN, which needs "value" and "highValue"');
    expect(await bad({ filters: '{"stage":"Archivado"}' })).toBe('filters: stage "Archivado" is not a stage of any ticket pipeline; use one of: Nuevo, Esperando al cliente, En curso, Cerrado');
    expect(await bad({ filters: '{"colour":"red"}' })).toContain('filters: filters[0] has an unknown key "colour"; friendly keys for tickets are pipeline, stage, owner');
    expect(await bad({ filters: '{"from":"ayer"}' })).toBe('filters: "from" must be a date like 2025-03-01 or an ISO date-time, got "ayer"');
    expect(await bad({ sort: 'createdate DESC' })).toBe('sort must look like "createdate:DESC" (a property, a colon, ASC or DESC), got "createdate DESC"');
  });

  it('loads the pipelines once for many requests', async () => {
    const h = harness(server);
    for (let i = 0; i < 4; i++) await h.get('/tickets/search', {});
    await Promise.all([h.get('/tickets/{ticketId}', { ticketId: '1001' }), h.get('/tickets/search', { filters: '{"stage":"Nuevo"}' })]);
    expect(h.fake.requests('GET', '/crm/v3/pipelines/tickets')).toHaveLength(1);
    expect(h.fake.requests('POST', SEARCH)).toHaveLength(5);
  });

  it('reloads the pipelines after the cache TTL', async () => {
    let now = 1_000_000;
    const h = harness(server, { cacheTtlMs: 60_000, now: () => now });
    await h.get('/tickets/{ticketId}', { ticketId: '1001' });
    now += 59_000;
    await h.get('/tickets/{ticketId}', { ticketId: '1002' });
    now += 2_000;
    await h.get('/tickets/{ticketId}', { ticketId: '1003' });
    expect(h.fake.requests('GET', '/crm/v3/pipelines/tickets')).toHaveLength(2);
  });
});

describe('cursors', () => {
  it('refuses a cursor from another query, a tampered one and another operation’s with a 400', async () => {
    const h = harness(server);
    const p1 = (await h.get('/tickets/search', {})).body;
    const foreign = await h.get('/tickets/search', { cursor: p1.cursor_next, q: 'router' });
    expect([foreign.status, foreign.body.error]).toEqual([400, { code: 'INVALID_CURSOR', message: 'cursor belongs to another operation or query (the search changed) — start again without a cursor' }]);
    const flipped = p1.cursor_next.slice(0, 10) + (p1.cursor_next[10] === 'A' ? 'B' : 'A') + p1.cursor_next.slice(11);
    const tampered = await h.get('/tickets/search', { cursor: flipped });
    expect([tampered.status, tampered.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const truncated = await h.get('/tickets/search', { cursor: p1.cursor_next.slice(0, -3) });
    expect([truncated.status, truncated.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const other = await h.get('/tickets/by-contact', { contactId: '501', cursor: p1.cursor_next });
    expect([other.status, other.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    expect(h.fake.requests('POST', SEARCH)).toHaveLength(1);
  });

  it('refuses a cursor signed by another deployment', async () => {
    const a = harness(server, { cursorSecret: 'deployment-a-secret-000000' });
    const cursor = (await a.get('/tickets/search', {})).body.cursor_next;
    const b = harness(server, { cursorSecret: 'deployment-b-secret-000000' });
    expect((await b.get('/tickets/search', { cursor })).body.error.message).toBe('cursor is not valid (altered, truncated or signed by another deployment) — start again without a cursor');
  });
});

describe('ticketsByContact', () => {
  it('searches with associations.contact in every group and replies with contactId', async () => {
    const h = harness(server);
    const p1 = (await h.get('/tickets/by-contact', { contactId: '501', page_size: 4, filters: '[{"filters":[{"source":"PHONE"}]},{"filters":[{"priority":"HIGH"}]}]' })).body;
    const association = { propertyName: 'associations.contact', operator: 'EQ', value: '501' };
    expect(h.fake.requests('POST', SEARCH)[0]!.body.filterGroups).toEqual([
      { filters: [{ propertyName: 'source_type', operator: 'EQ', value: 'PHONE' }, association] },
      { filters: [{ propertyName: 'hs_ticket_priority', operator: 'EQ', value: 'HIGH' }, association] },
    ]);
    expect(p1.contactId).toBe('501');
    // Contact 501's tickets: 1001 and 1004–1009; PHONE ones are even, HIGH ones are 1004 and 1008.
    expect(ids(p1)).toEqual(['1008', '1006', '1004']);
    expect(Object.keys(p1)).toEqual(['contactId', 'tickets', 'count', 'page_size', 'has_more', 'cursor_next', 'cursor_prev', 'remaining']);
  });

  it('pages with page_size up to 100 (larger clamped) and stops at a total asked for in words', async () => {
    const h = harness(server);
    const body = (await h.get('/tickets/by-contact', { contactId: '501', page_size: 500 }, { inputText: 'sus últimos 4 casos' })).body;
    expect(h.fake.requests('POST', SEARCH)[0]!.body).toMatchObject({ limit: 4, filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: '501' }] }] });
    expect(body).toMatchObject({ contactId: '501', count: 4, page_size: 100, has_more: false, cursor_next: null, remaining: 0, requested_total: 4 });
    expect(ids(body)).toEqual(['1009', '1008', '1007', '1006']);
  });

  it('leaves room for its own filter in the bounds', async () => {
    const h = harness(server);
    const f = { propertyName: 'subject', operator: 'HAS_PROPERTY' };
    const { status, body } = await h.get('/tickets/by-contact', { contactId: '501', filters: JSON.stringify(Array.from({ length: 6 }, () => f)) });
    expect([status, body.error.message]).toEqual([400, 'filters: at most 5 filters are allowed in a group (this operation uses 1 of the 6 itself), group 1 has 6']);
  });

  it('answers 404 for an unknown contact rather than an empty list', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/by-contact', { contactId: '999' });
    expect([status, body.error.message]).toEqual([404, 'contact 999 not found']);
  });
});

describe('HubSpot failures through the operation', () => {
  it('retries a 429 and then succeeds', async () => {
    const h = harness(server);
    let calls = 0;
    server.use(
      http.post(`${HUBSPOT_BASE}${SEARCH}`, () => {
        calls++;
        return calls === 1 ? hubspotErrorReply(429, 'You have reached your secondly limit.', { errorType: 'RATE_LIMIT', policyName: 'SECONDLY' }) : undefined;
      }),
    );
    const { status, body } = await h.get('/tickets/search', {});
    expect(status).toBe(200);
    expect(body.count).toBe(5);
    expect(calls).toBe(2);
    expect(h.log.lines.some((l) => l.msg === 'HubSpot rate limit; retrying' || l.message === 'HubSpot rate limit; retrying')).toBe(true);
  });

  it('answers 503 with advice when HubSpot keeps rate-limiting', async () => {
    const h = harness(server, { retry: { maxAttempts: 3, baseDelayMs: 5 } });
    server.use(http.post(`${HUBSPOT_BASE}${SEARCH}`, () => hubspotErrorReply(429, 'You have reached your secondly limit.', { correlationId: 'corr-rl' })));
    const { status, body } = await h.get('/tickets/search', {});
    expect(status).toBe(503);
    expect(body.error).toEqual({ code: 'UPSTREAM_RATE_LIMITED', message: 'HubSpot is rate-limiting requests, so the ticket search could not be read now; wait a few seconds and try again.', details: { upstreamStatus: 429, correlationId: 'corr-rl' } });
  });

  it('answers 503 at once when HubSpot’s Retry-After does not fit in the operation’s time', async () => {
    const h = harness(server, { timeoutMs: 1_500 });
    let calls = 0;
    server.use(http.post(`${HUBSPOT_BASE}${SEARCH}`, () => (calls++, hubspotErrorReply(429, 'You have reached your ten_secondly_rolling limit.', { policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '10' }))));
    const started = Date.now();
    const { status, body } = await h.get('/tickets/search', {});
    expect([status, body.error.code, calls]).toEqual([503, 'UPSTREAM_RATE_LIMITED', 1]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers 504 when HubSpot does not answer within the operation’s time', async () => {
    const h = harness(server, { timeoutMs: 300 });
    server.use(http.get(`${HUBSPOT_BASE}/crm/v3/objects/tickets/:id`, () => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({})), 1_500))));
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: '1001' });
    expect([status, body.error.code]).toEqual([504, 'TIMEOUT']);
  });

  it('answers 502 on a 401 without echoing the token', async () => {
    const h = harness(server);
    server.use(http.get(`${HUBSPOT_BASE}/crm/v3/objects/tickets/:id`, () => hubspotErrorReply(401, `The OAuth token used to make this call expired: ${HUBSPOT_TOKEN}`, { category: 'EXPIRED_AUTHENTICATION' })));
    const { status, raw } = await h.get('/tickets/{ticketId}', { ticketId: '1001' });
    expect(status).toBe(502);
    expect(JSON.stringify(raw)).not.toContain(HUBSPOT_TOKEN);
    expect(JSON.stringify(raw)).toContain('HubSpot refused our credentials (HTTP 401)');
  });

  it('answers 502 with the correlation id on a 500', async () => {
    const h = harness(server);
    server.use(http.get(`${HUBSPOT_BASE}/crm/v3/objects/tickets/:id`, () => hubspotErrorReply(500, 'internal', { correlationId: '7f1c-aa' })));
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: '1001' });
    expect([status, body.error.message]).toEqual([502, 'HubSpot failed with HTTP 500 while reading ticket 1001 (HubSpot correlation id 7f1c-aa); try again later.']);
  });

  it('shows a ticket whose owner HubSpot no longer knows, with a null name', async () => {
    const h = harness(server);
    h.fake.portal.owners.splice(0, 1);
    const { body } = await h.get('/tickets/{ticketId}', { ticketId: '1001' });
    expect(body.owner).toEqual({ id: '9001', name: null, email: null });
  });
});
