import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/router.js';
import type { BedrockFunctionResponse } from '../../../src/doors/bedrock-function.js';
import { hubspotOps } from '../../../src/packs/hubspot/index.js';
import { lintBedrock } from '../../../src/schema/lint.js';
import { toFunctionSchema } from '../../../src/schema/function-schema.js';
import { toOpenApi } from '../../../src/schema/openapi.js';
import { bedrockFunctionEvent } from '../../../src/testing/index.js';
import { fakeHubSpot, HUBSPOT_BASE, HUBSPOT_TOKEN } from '../../fixtures/hubspot/server.js';
import { memoryLogger } from '../../support/logger.js';
import { AGENT, harness } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('hubspotOps — the HubSpotOps group', () => {
  it('has the seven operations of the issue, with their methods, paths and inputs', () => {
    const group = hubspotOps();
    expect(group.name).toBe('HubSpotOps');
    expect(group.allowedRoles).toEqual(['Agent', 'Supervisor']);
    const ops = group.operations.map((op) => ({ name: op.name, method: op.method, path: op.path, inputs: op.fields.map((f) => `${f.name}${f.required ? '' : '?'}`) }));
    expect(ops).toEqual([
      { name: 'getTicket', method: 'GET', path: '/tickets/{ticketId}', inputs: ['ticketId'] },
      { name: 'searchTickets', method: 'GET', path: '/tickets/search', inputs: ['q?', 'page_size?', 'cursor?', 'direction?', 'filters?', 'sort?', 'requested_total?'] },
      { name: 'ticketsByContact', method: 'GET', path: '/tickets/by-contact', inputs: ['contactId', 'page_size?', 'cursor?', 'direction?', 'filters?', 'sort?'] },
      { name: 'getContact', method: 'GET', path: '/contacts/{contactId}', inputs: ['contactId'] },
      { name: 'searchContacts', method: 'GET', path: '/contacts/search', inputs: ['q?', 'page_size?', 'cursor?', 'direction?', 'filters?', 'sort?'] },
      { name: 'ticketContacts', method: 'GET', path: '/tickets/{ticketId}/contacts', inputs: ['ticketId', 'primaryOnly?', 'page_size?', 'cursor?', 'direction?'] },
      { name: 'findOwners', method: 'GET', path: '/owners/find', inputs: ['ownerId?', 'q?', 'page_size?'] },
    ]);
  });

  it('is lint-clean for Bedrock and renders OpenAPI 3.0.0 and function details', () => {
    const group = hubspotOps();
    expect(lintBedrock(group)).toEqual([]);
    expect(toOpenApi(group).openapi).toBe('3.0.0');
    const fns = toFunctionSchema(group).functions;
    expect(fns.map((f) => f.name)).toHaveLength(7);
    expect(fns.find((f) => f.name === 'ticketContacts')!.description).toContain('otherwise the contact created first; equal creation times go to the lowest contact id');
  });

  it('is created without a token; calling answers 503 naming HUBSPOT_TOKEN', async () => {
    const fake = fakeHubSpot();
    server.use(...fake.handlers);
    const router = createRouter({ logger: memoryLogger().logger }).add(hubspotOps.fromEnv({}));
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'HubSpotOps', function: 'getTicket', parameters: { ticketId: '1001' }, sessionAttributes: AGENT }))) as BedrockFunctionResponse;
    expect(reply.response.functionResponse.responseState).toBe('FAILURE');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({
      error: { code: 'NOT_CONFIGURED', message: 'HubSpot is not configured: set HUBSPOT_TOKEN (a private app access token) and try again.' },
    });
    expect(fake.seen).toHaveLength(0);
  });

  it('refuses callers without an allowed role (403) unless roles are not enforced', async () => {
    const h = harness(server);
    const { status, body } = await h.get('/tickets/{ticketId}', { ticketId: '1001' }, { session: { role: 'Guest' } });
    expect([status, body.error.code]).toEqual([403, 'FORBIDDEN']);
    const open = harness(server, { enforceAllowedRoles: false });
    expect((await open.get('/tickets/{ticketId}', { ticketId: '1001' }, { session: {} })).status).toBe(200);
  });

  it('fromEnv maps the deployment variables', async () => {
    const fake = fakeHubSpot();
    server.use(...fake.handlers);
    const group = hubspotOps.fromEnv({
      HUBSPOT_API_KEY: HUBSPOT_TOKEN,
      HUBSPOT_BASE_URL: HUBSPOT_BASE,
      HUBSPOT_TICKET_URL_BASE: 'https://app.hubspot.com/contacts/77/record/0-5/{id}',
      LOCAL_TZ: 'Europe/Madrid',
      ALLOWED_ROLES: 'Lead, Agent',
      ENFORCE_ALLOWED_ROLES: 'true',
      BUILD_TAG: 'b-1',
      MAX_CONVO_MSGS: '50',
    });
    expect(group.allowedRoles).toEqual(['Lead', 'Agent']);
    const router = createRouter().add(group);
    const ticket = await router.invoke('HubSpotOps', 'getTicket', { ticketId: '1001' }, { door: 'invoke', caller: { role: 'lead' } });
    expect(ticket).toMatchObject({ createdate: '2025-03-01T16:30:00+01:00', url: 'https://app.hubspot.com/contacts/77/record/0-5/1001' });
    expect(hubspotOps.fromEnv({ ENFORCE_ALLOWED_ROLES: 'false' }).allowedRoles).toBeUndefined();
    expect(() => hubspotOps.fromEnv({ LOCAL_TZ: 'Mars/Base' })).toThrow('"timezone" must be an IANA zone');
  });

  it('serves the function-details door with Bedrock string values', async () => {
    const h = harness(server);
    const reply = (await h.router.handle(
      bedrockFunctionEvent({ actionGroup: 'HubSpotOps', function: 'searchTickets', parameters: { page_size: 2, requested_total: 3, q: 'factura' }, sessionAttributes: AGENT }),
    )) as BedrockFunctionResponse;
    expect(reply.response.functionResponse.responseState).toBeUndefined();
    const body = JSON.parse(reply.response.functionResponse.responseBody.TEXT.body);
    expect(body.tickets.map((t: { id: string }) => t.id)).toEqual(['1011', '1010']);
    expect(body).toMatchObject({ count: 2, page_size: 2, has_more: true, remaining: 1, requested_total: 3 });
    expect(h.fake.requests('POST', '/crm/v3/objects/tickets/search')[0]!.body).toMatchObject({ query: 'factura', limit: 2 });
  });
});
