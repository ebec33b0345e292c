import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { harness } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ANA = { id: '501', firstname: 'Ana', lastname: 'Mora', name: 'Ana Mora', email: 'ana.mora@example.com', phone: '+506 8888 1111', mobilephone: null, created_at: '2023-05-01T04:00:00-06:00' };
const LUIS = { id: '502', firstname: 'Luis', lastname: 'Solano', name: 'Luis Solano', email: 'luis@example.com', phone: '+506 8888 2222', mobilephone: '+506 7000 2222', created_at: '2022-01-15T04:00:00-06:00' };
const CARLA = { id: '503', firstname: 'Carla', lastname: 'Vega', name: 'Carla Vega', email: 'carla@example.com', phone: null, mobilephone: null, created_at: '2022-01-15T04:00:00-06:00' };
const CONTACT_PROPS = ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'createdate'];

describe('getContact', () => {
  it('replies with the contact shape, created_at in local time', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/contacts/{contactId}', { contactId: '502' });
    expect([status, body]).toEqual([200, LUIS]);
    expect(String(h.fake.requests('GET', '/crm/v3/objects/contacts/502')[0]!.query.properties).split(',')).toEqual(CONTACT_PROPS);
  });

  it('answers 404 "contact 9 not found"', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/contacts/{contactId}', { contactId: '9' });
    expect([status, body.error.message]).toEqual([404, 'contact 9 not found']);
  });
});

describe('searchContacts', () => {
  it('sends q as the search query with the contact properties and replies with contacts', async () => {
    const h = harness(server);
    const { body } = await h.get('/contacts/search', { q: 'ana.mora@example.com' });
    expect(h.fake.requests('POST', '/crm/v3/objects/contacts/search')[0]!.body).toEqual({
      query: 'ana.mora@example.com',
      filterGroups: [],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      properties: CONTACT_PROPS,
      limit: 5,
    });
    expect(body).toEqual({ contacts: [ANA], count: 1, page_size: 5, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 });
  });

  it('pages through contacts both ways and clamps page_size to 5', async () => {
    const h = harness(server, { now: () => Date.parse('2025-06-18T15:00:00Z') });
    const p1 = (await h.get('/contacts/search', { page_size: 3, sort: 'createdate:ASC' })).body;
    expect(p1.contacts.map((c: { id: string }) => c.id)).toEqual(['505', '502', '503']);
    expect(p1).toMatchObject({ count: 3, page_size: 3, has_more: true, remaining: 2 });
    const p2 = (await h.get('/contacts/search', { page_size: 3, sort: 'createdate:ASC', cursor: p1.cursor_next })).body;
    expect(p2.contacts.map((c: { id: string }) => c.id)).toEqual(['501', '504']);
    expect((await h.get('/contacts/search', { page_size: 3, sort: 'createdate:ASC', cursor: p2.cursor_prev })).body).toEqual(p1);
    expect((await h.get('/contacts/search', { page_size: 99 })).body.page_size).toBe(5);
  });

  it('accepts only the contact friendly keys', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/contacts/search', { filters: '{"pipeline":"Soporte"}' });
    expect([status, body.error.message]).toEqual([400, 'filters: filters[0] has an unknown key "pipeline"; friendly keys for contacts are owner, from, to, date_field, or use {"propertyName","operator","value"}']);
  });
});

describe('ticketContacts', () => {
  it('lists the ticket’s contacts by id, read in one batch', async () => {
    const h = harness(server);
    const { body } = await h.get('/tickets/{ticketId}/contacts', { ticketId: '1001' });
    expect(body).toEqual({ ticketId: '1001', contacts: [ANA, LUIS, CARLA], count: 3, page_size: 5, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 });
    expect(h.fake.requests('GET', '/crm/v4/objects/tickets/1001/associations/contacts')[0]!.query).toEqual({ limit: '500' });
    expect(h.fake.requests('POST', '/crm/v3/objects/contacts/batch/read')[0]!.body).toEqual({ inputs: [{ id: '501' }, { id: '502' }, { id: '503' }], properties: CONTACT_PROPS, propertiesWithHistory: [] });
  });

  it('pages the contacts with cursors', async () => {
    const h = harness(server);
    const p1 = (await h.get('/tickets/{ticketId}/contacts', { ticketId: '1001', page_size: 2 })).body;
    expect(p1).toMatchObject({ contacts: [ANA, LUIS], count: 2, has_more: true, remaining: 1, cursor_prev: null });
    const p2 = (await h.get('/tickets/{ticketId}/contacts', { ticketId: '1001', page_size: 2, cursor: p1.cursor_next })).body;
    expect(p2).toMatchObject({ contacts: [CARLA], count: 1, has_more: false, remaining: 0, cursor_next: null });
    const foreign = await h.get('/tickets/{ticketId}/contacts', { ticketId: '1002', cursor: p1.cursor_next });
    expect([foreign.status, foreign.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('primaryOnly without labels: the contact created first, ties to the lowest id', async () => {
    const h = harness(server);
    const { body } = await h.get('/tickets/{ticketId}/contacts', { ticketId: '1001', primaryOnly: true });
    // 502 and 503 were created at the same instant, before 501: 502 has the lower id.
    expect(body).toEqual({ ticketId: '1001', primary_contact: LUIS, page_size: 1, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 });
  });

  it('primaryOnly prefers a contact whose association is labelled Primary', async () => {
    const h = harness(server);
    const { body } = await h.get('/tickets/{ticketId}/contacts', { ticketId: '1002', primaryOnly: true });
    expect(body.primary_contact.id).toBe('504');
  });

  it('primaryOnly with no contacts gives null; an unknown ticket is a 404', async () => {
    const h = harness(server);
    expect((await h.get('/tickets/{ticketId}/contacts', { ticketId: '1003', primaryOnly: true })).body.primary_contact).toBeNull();
    const missing = await h.get('/tickets/{ticketId}/contacts', { ticketId: '4040' });
    expect([missing.status, missing.body.error.message]).toEqual([404, 'ticket 4040 not found']);
  });
});

describe('findOwners', () => {
  const MARIA = { id: '9001', name: 'María Castro', email: 'maria.castro@example.com', firstname: 'María', lastname: 'Castro', user_id: 1101 };
  const MARTA = { id: '9003', name: 'Marta Quesada', email: 'marta.q@example.com', firstname: 'Marta', lastname: 'Quesada', user_id: 1103 };

  it('finds by id', async () => {
    const h = harness(server);
    const { body } = await h.get('/owners/find', { ownerId: '9001' });
    expect(body).toEqual({ owners: [MARIA], count: 1, page_size: 5, has_more: false, cursor_next: null, cursor_prev: null, remaining: 0 });
    expect(h.fake.requests('GET', '/crm/v3/owners/9001')[0]!.query).toEqual({ idProperty: 'id', archived: 'false' });
  });

  it('finds by email through HubSpot’s email filter', async () => {
    const h = harness(server);
    const { body } = await h.get('/owners/find', { q: 'marta.q@example.com' });
    expect(body.owners).toEqual([MARTA]);
    expect(h.fake.requests('GET', /^\/crm\/v3\/owners\/?$/)[0]!.query).toEqual({ email: 'marta.q@example.com', limit: '100', archived: 'false' });
  });

  it('finds by name ignoring accents and case, from a cached owner list', async () => {
    const h = harness(server);
    const { body } = await h.get('/owners/find', { q: 'maria' });
    expect(body.owners).toEqual([MARIA]);
    const two = (await h.get('/owners/find', { q: 'MAR', page_size: 1 })).body;
    expect(two).toMatchObject({ owners: [MARIA], count: 1, page_size: 1, has_more: true, remaining: 1 });
    expect(h.fake.requests('GET', /^\/crm\/v3\/owners\/?$/)).toHaveLength(1);
  });

  it('clamps page_size to 50 and answers 404 for an unknown id', async () => {
    const h = harness(server);
    expect((await h.get('/owners/find', { page_size: 80 })).body).toMatchObject({ count: 3, page_size: 50 });
    const missing = await h.get('/owners/find', { ownerId: '1' });
    expect([missing.status, missing.body.error.message]).toEqual([404, 'owner 1 not found']);
  });
});
