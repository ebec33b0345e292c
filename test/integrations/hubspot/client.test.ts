import { Client } from '@hubspot/api-client';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/core/errors.js';
import { hubspotClientSource, hubspotRequest, withHubSpot } from '../../../src/integrations/hubspot/client.js';
import { fakeHubSpot, HUBSPOT_BASE, HUBSPOT_TOKEN, hubspotErrorReply } from '../../fixtures/hubspot/server.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const source = hubspotClientSource({ accessToken: HUBSPOT_TOKEN, baseUrl: `${HUBSPOT_BASE}/` });
const getTicket = (id: string) => () => source().crm.tickets.basicApi.getById(id, ['subject']);

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

/** Answers GET ticket 1001 with `replies` in turn (the last one repeats) and counts the calls. */
function scripted(...replies: Array<() => Response>) {
  const state = { calls: 0, at: [] as number[] };
  server.use(
    http.get(`${HUBSPOT_BASE}/crm/v3/objects/tickets/1001`, () => {
      state.at.push(Date.now());
      const reply = replies[Math.min(state.calls, replies.length - 1)] as () => Response;
      state.calls++;
      return reply();
    }),
  );
  return state;
}

const tooMany = (headers: Record<string, string> = {}) => () =>
  hubspotErrorReply(429, 'You have reached your secondly limit.', { errorType: 'RATE_LIMIT', policyName: 'SECONDLY', correlationId: 'corr-429' }, headers);

describe('hubspotClientSource', () => {
  it('sends the token as a bearer header to the configured base URL', async () => {
    const fake = fakeHubSpot();
    server.use(...fake.handlers);
    const ticket = await withHubSpot(getTicket('1001'), { what: 'ticket 1001' });
    expect(ticket.properties.subject).toBe('Factura duplicada #1');
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]).toMatchObject({ method: 'GET', path: '/crm/v3/objects/tickets/1001', query: { properties: 'subject' } });
    expect(fake.seen[0]!.headers.authorization).toBe(`Bearer ${HUBSPOT_TOKEN}`);
  });

  it('builds the client once and reuses it', () => {
    expect(source()).toBe(source());
  });

  it('fails with 503 naming the variable when no token is configured', () => {
    const missing = hubspotClientSource({});
    expect(() => missing()).toThrow(new ActionError(503, 'HubSpot is not configured: set HUBSPOT_TOKEN (a private app access token) and try again.', { code: 'NOT_CONFIGURED' }));
    expect(() => hubspotClientSource({ tokenVariable: 'HUBSPOT_API_KEY' })()).toThrow('set HUBSPOT_API_KEY');
  });

  it('uses an injected client or client factory as given', () => {
    const client = new Client({ accessToken: 'x' });
    expect(hubspotClientSource({ client })()).toBe(client);
    expect(hubspotClientSource({ client: () => client })()).toBe(client);
  });
});

describe('withHubSpot', () => {
  it('maps 404 to "<what> not found"', async () => {
    server.use(...fakeHubSpot().handlers);
    const error = await rejection(withHubSpot(getTicket('77'), { what: 'ticket 77' }));
    expect(error.toJSON()).toEqual({ code: 'NOT_FOUND', message: 'ticket 77 not found', details: { upstreamStatus: 404, correlationId: 'corr-404-0001' } });
  });

  it('retries a 429 and returns the later success', async () => {
    // Every request that reaches the wire, whoever answers it: exactly the two tries, nothing else.
    const sent: string[] = [];
    const record = ({ request }: { request: Request }) => void sent.push(`${request.method} ${new URL(request.url).pathname}`);
    server.events.on('request:start', record);
    const state = scripted(tooMany(), () => HttpResponse.json({ id: '1001', properties: { subject: 'ok' }, createdAt: '2025-03-01T00:00:00Z', updatedAt: '2025-03-01T00:00:00Z', archived: false }));
    const retries: unknown[] = [];
    const ticket = await withHubSpot(getTicket('1001'), { what: 'ticket 1001', baseDelayMs: 20, onRetry: (info) => retries.push(info) });
    expect(ticket.properties.subject).toBe('ok');
    expect(state.calls).toBe(2);
    expect(retries).toEqual([{ attempt: 1, waitMs: expect.any(Number), status: 429, correlationId: 'corr-429' }]);
    server.events.removeListener('request:start', record);
    expect(sent).toEqual(['GET /crm/v3/objects/tickets/1001', 'GET /crm/v3/objects/tickets/1001']);
  });

  it('honours Retry-After', async () => {
    const state = scripted(tooMany({ 'retry-after': '0.3' }), () => HttpResponse.json({ id: '1001', properties: {}, createdAt: '2025-03-01T00:00:00Z', updatedAt: '2025-03-01T00:00:00Z' }));
    await withHubSpot(getTicket('1001'), { what: 'ticket 1001', baseDelayMs: 5 });
    expect(state.at[1]! - state.at[0]!).toBeGreaterThanOrEqual(290);
  });

  it('gives up with a 503 after maxAttempts', async () => {
    const state = scripted(tooMany());
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001', baseDelayMs: 5, maxAttempts: 3 }));
    expect(state.calls).toBe(3);
    expect(error.status).toBe(503);
    expect(error.message).toBe('HubSpot is rate-limiting requests, so ticket 1001 could not be read now; wait a few seconds and try again.');
    expect(error.details).toEqual({ upstreamStatus: 429, correlationId: 'corr-429' });
  });

  it('does not wait past its budget: a Retry-After beyond the deadline is a 503 at once', async () => {
    const state = scripted(tooMany({ 'retry-after': '30' }));
    const started = Date.now();
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001', budgetMs: 2_000 }));
    expect(error.status).toBe(503);
    expect(state.calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('maps 401 and 403 to a 502 about credentials without echoing the token', async () => {
    for (const status of [401, 403]) {
      scripted(() => hubspotErrorReply(status, `Authentication credentials not found. Token ${HUBSPOT_TOKEN} is invalid`, { category: 'INVALID_AUTHENTICATION' }));
      const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001' }));
      expect(error.status).toBe(502);
      expect(error.code).toBe('UPSTREAM_AUTH');
      expect(error.message).toBe(`HubSpot refused our credentials (HTTP ${status}) while reading ticket 1001: the access token is missing, expired or lacks the needed scopes. This needs an administrator; retrying will not help.`);
      expect(JSON.stringify(error.toJSON())).not.toContain(HUBSPOT_TOKEN);
    }
  });

  it('maps a 5xx to a 502 carrying the correlation id (from the body, else the header)', async () => {
    scripted(() => hubspotErrorReply(500, 'internal error', { correlationId: 'c0ffee-11' }));
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001' }));
    expect(error.toJSON()).toEqual({ code: 'UPSTREAM_ERROR', message: 'HubSpot failed with HTTP 500 while reading ticket 1001 (HubSpot correlation id c0ffee-11); try again later.', details: { upstreamStatus: 500, correlationId: 'c0ffee-11' } });

    scripted(() => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'x-hubspot-correlation-id': 'hdr-42' } }));
    const fromHeader = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001' }));
    expect(fromHeader.message).toContain('(HubSpot correlation id hdr-42)');
  });

  it('maps a 400 to a 400 carrying HubSpot’s reason', async () => {
    scripted(() => hubspotErrorReply(400, 'Property values were not valid: hs_foo', { category: 'VALIDATION_ERROR' }));
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'the ticket search' }));
    expect([error.status, error.message]).toEqual([400, 'HubSpot rejected the request for the ticket search: Property values were not valid: hs_foo']);
  });

  it('maps a network failure to a 502', async () => {
    scripted(() => HttpResponse.error());
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001' }));
    expect([error.status, error.code, error.message]).toEqual([502, 'UPSTREAM_UNREACHABLE', 'HubSpot could not be reached while reading ticket 1001; try again in a moment.']);
  });

  it('stops at once when the signal aborts, with the signal’s ActionError', async () => {
    scripted(tooMany({ 'retry-after': '5' }));
    const controller = new AbortController();
    const reason = new ActionError(504, 'searchTickets did not finish within 100 ms', { code: 'TIMEOUT' });
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await rejection(withHubSpot(getTicket('1001'), { what: 'ticket 1001', signal: controller.signal, budgetMs: 20_000 }));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('hubspotRequest', () => {
  it('returns the parsed JSON of a raw call and maps failures like SDK calls', async () => {
    const fake = fakeHubSpot();
    server.use(...fake.handlers);
    const page = await withHubSpot(() => hubspotRequest<{ results: unknown[] }>(source(), { path: '/crm/v3/pipelines/tickets' }), { what: 'pipelines' });
    expect(page.results).toHaveLength(2);
    const error = await rejection(withHubSpot(() => hubspotRequest(source(), { path: '/crm/v4/objects/tickets/999/associations/contacts', qs: { limit: 10 } }), { what: 'ticket 999' }));
    expect(error.message).toBe('ticket 999 not found');
    expect(fake.seen.at(-1)!.query).toEqual({ limit: '10' });
  });

  it('reads a reply only up to its cap: a larger one is a 502 and the rest is never read', async () => {
    let sent = 0;
    server.use(
      http.get(`${HUBSPOT_BASE}/conversations/v3/conversations/threads/1/messages`, () => {
        const endless = new ReadableStream<Uint8Array>({
          pull(controller) {
            sent += 64 * 1024;
            controller.enqueue(new TextEncoder().encode(' '.repeat(64 * 1024)));
          },
        });
        return new HttpResponse(endless, { headers: { 'content-type': 'application/json' } });
      }),
      http.get(`${HUBSPOT_BASE}/conversations/v3/conversations/threads/2/messages`, () => HttpResponse.json({ results: [{ id: 'm1', text: 'x'.repeat(500) }] })),
    );
    const error = await rejection(withHubSpot(() => hubspotRequest(source(), { path: '/conversations/v3/conversations/threads/1/messages', maxReplyBytes: 1024 * 1024 }), { what: 'email thread 1' }));
    expect([error.status, error.code, error.message]).toEqual([502, 'UPSTREAM_TOO_LARGE', 'The HubSpot API sent a reply larger than 1048576 bytes.']);
    expect(sent).toBeLessThan(2 * 1024 * 1024);
    expect(await hubspotRequest(source(), { path: '/conversations/v3/conversations/threads/2/messages', maxReplyBytes: 1024 })).toEqual({ results: [{ id: 'm1', text: 'x'.repeat(500) }] });
    await expect(hubspotRequest(source(), { path: '/conversations/v3/conversations/threads/2/messages', maxReplyBytes: 100 })).rejects.toMatchObject({ code: 'UPSTREAM_TOO_LARGE' });
  });
});
