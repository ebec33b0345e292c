import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API, TOKEN, type Portal } from './fixtures/hubspot.js';
import { AGENT, emailThread, setup, transcription } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const TRANSCRIPT = 'Agente: Buenos días, ¿en qué le ayudo? Cliente: Quiero pagar con la 4111 1111 1111 1111, mi DNI es 12345678Z y mi teléfono 8888 8888.';
const REDACTED = 'Agente: Buenos días, ¿en qué le ayudo? Cliente: Quiero pagar con la **** **** **** 1111, mi DNI es ********Z y mi teléfono 8888 8888.';

const phone = (properties: Record<string, string | null>, calls?: string[]) => ({ properties: { source_type: 'PHONE', ...properties }, ...(calls ? { calls } : {}) });

function portal(extra: Partial<Portal> = {}): Portal {
  return { tickets: { '101': phone({ hs_call_transcript: TRANSCRIPT }) }, calls: {}, threads: {}, ...extra };
}

describe('getCallTranscription through the Bedrock OpenAPI door', () => {
  it('reads the ticket transcript, redacted, in the exact Bedrock reply', async () => {
    const { router, seen } = setup(server, portal());
    const { reply } = await transcription(router, { ticketId: '101' });
    expect(reply).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'InteractionOps',
        apiPath: '/call-transcription/{ticketId}',
        httpMethod: 'GET',
        httpStatusCode: 200,
        responseBody: { 'application/json': { body: JSON.stringify({ ticketId: '101', transcription: REDACTED, has_more: false, cursor_next: null, cursor_prev: null }) } },
      },
      sessionAttributes: AGENT,
      promptSessionAttributes: {},
    });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/crm/v3/objects/tickets/101',
        query: { properties: ['source_type', 'hs_call_transcript', 'analisis_de_llamada'], associations: ['calls'] },
        body: undefined,
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
  });

  it('accepts source_type in any case', async () => {
    const { router } = setup(server, { tickets: { '7': { properties: { source_type: 'phone', hs_call_transcript: 'hola' } } }, calls: {}, threads: {} });
    expect((await transcription(router, { ticketId: '7' })).body).toEqual({ ticketId: '7', transcription: 'hola', has_more: false, cursor_next: null, cursor_prev: null });
  });

  it.each([
    ['an EMAIL ticket', { source_type: 'EMAIL', hs_call_transcript: 'x' }, 'its source_type is "EMAIL"'],
    ['a ticket without source_type', { hs_call_transcript: 'x' }, 'it has no source_type'],
  ])('answers 422 for %s', async (_name, properties, why) => {
    const { router, seen } = setup(server, { tickets: { '55': { properties } }, calls: {}, threads: {} });
    const { status, body } = await transcription(router, { ticketId: '55' });
    expect(status).toBe(422);
    expect(body).toEqual({ error: { code: 'NOT_A_CALL', message: `ticket 55 is not a phone call (${why}); transcriptions exist only for PHONE tickets. For an email ticket use getEmailThread.` } });
    expect(seen).toHaveLength(1);
  });

  it('answers 404 when there is no transcript anywhere', async () => {
    const { router } = setup(server, { tickets: { '9': phone({ hs_call_transcript: '  ' }) }, calls: {}, threads: {} });
    const { status, body } = await transcription(router, { ticketId: '9' });
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'NO_TRANSCRIPTION', message: 'ticket 9 has no call transcription: neither hs_call_transcript nor analisis_de_llamada is set, and no associated call has a transcript or notes.' });
  });

  it('answers 404 naming the ticket when HubSpot does not know it', async () => {
    const { router } = setup(server, portal());
    const { status, body } = await transcription(router, { ticketId: '999' });
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'NOT_FOUND', message: 'ticket 999 not found', details: { upstreamStatus: 404, correlationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' } });
  });

  it('rejects a ticket id that is not digits before calling HubSpot', async () => {
    const { router, seen } = setup(server, portal());
    const { status, body } = await transcription(router, { ticketId: 'abc' });
    expect(status).toBe(400);
    expect(body.error.message).toBe('Invalid input for getCallTranscription: ticketId must be a numeric HubSpot ticket id such as 12345, got "abc". Fix this field and call again.');
    expect(seen).toEqual([]);
  });

  it('falls back to the legacy analisis_de_llamada, plain or JSON', async () => {
    const { router } = setup(server, {
      tickets: {
        '1': phone({ analisis_de_llamada: 'Transcripción antigua con tarjeta 5555555555554444' }),
        '2': phone({ analisis_de_llamada: JSON.stringify({ resumen: 'queja', Transcripcion: 'Cliente: mi NIF 87654321' }) }),
      },
      calls: {},
      threads: {},
    });
    expect((await transcription(router, { ticketId: '1' })).body.transcription).toBe('Transcripción antigua con tarjeta ************4444');
    expect((await transcription(router, { ticketId: '2' })).body.transcription).toBe('Cliente: mi NIF ********');
  });

  it('falls back to the newest associated call with a transcript, then to a call body as text', async () => {
    const { router, seen } = setup(server, {
      tickets: { '3': phone({}, ['c1', 'c2', 'c3']), '4': phone({}, ['c4']) },
      calls: {
        c1: { properties: { hs_call_transcript: 'older transcript', hs_timestamp: '2025-06-01T10:00:00Z' } },
        c2: { properties: { hs_call_transcript: 'newest transcript 4242 4242 4242 4242', hs_timestamp: '2025-06-02T10:00:00Z' } },
        c3: { properties: { hs_call_body: '<p>notes only</p>', hs_timestamp: '2025-06-03T10:00:00Z' } },
        c4: { properties: { hs_call_body: '<p>Llamada: cliente <b>molesto</b>.</p><p>Pidió reembolso.</p>', hs_timestamp: '1748944800000' } },
      },
      threads: {},
    });
    expect((await transcription(router, { ticketId: '3' })).body.transcription).toBe('newest transcript **** **** **** 4242');
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/crm/v3/objects/calls/batch/read',
      query: {},
      body: { inputs: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }], properties: ['hs_call_transcript', 'hs_call_body', 'hs_timestamp'], propertiesWithHistory: [] },
      authorization: `Bearer ${TOKEN}`,
    });
    expect((await transcription(router, { ticketId: '4' })).body.transcription).toBe('Llamada: cliente molesto.\n\nPidió reembolso.');
  });
});

describe('getCallTranscription paging', () => {
  const words = Array.from({ length: 120 }, (_, i) => `palabra${i}`).join(' ');

  async function forwardThenBack(router: Parameters<typeof transcription>[0], ticketId: string, page_size: number) {
    const forward: string[] = [];
    const hasMore: boolean[] = [];
    let page = (await transcription(router, { ticketId, page_size })).body;
    forward.push(page.transcription);
    hasMore.push(page.has_more);
    while (page.cursor_next) {
      page = (await transcription(router, { ticketId, cursor: page.cursor_next })).body;
      forward.push(page.transcription);
      hasMore.push(page.has_more);
    }
    const back = [page.transcription];
    while (page.cursor_prev) {
      page = (await transcription(router, { ticketId, cursor: page.cursor_prev })).body;
      back.unshift(page.transcription);
    }
    return { forward, back, hasMore };
  }

  it('forward then back returns the same pages, each ending at whitespace', async () => {
    const { router } = setup(server, { tickets: { '5': phone({ hs_call_transcript: words }) }, calls: {}, threads: {} });
    const { forward, back, hasMore } = await forwardThenBack(router, '5', 100);
    expect(forward.join('')).toBe(words);
    expect(back).toEqual(forward);
    expect(forward.length).toBeGreaterThan(10);
    for (const p of forward.slice(0, -1)) {
      expect(p.length).toBeLessThanOrEqual(100);
      expect(p.endsWith(' ')).toBe(true);
    }
    expect(hasMore).toEqual([...forward.slice(1).map(() => true), false]);
  });

  it('redacts before paging: a card across a page boundary is masked on both sides', async () => {
    const text = `${'x'.repeat(44)} 4111 1111 1111 1111 fin`;
    const { router } = setup(server, { tickets: { '6': phone({ hs_call_transcript: text }) }, calls: {}, threads: {} });
    const { forward } = await forwardThenBack(router, '6', 50);
    expect(forward.join('')).toBe(`${'x'.repeat(44)} **** **** **** 1111 fin`);
    expect(forward.join('|')).not.toMatch(/4111/);
  });

  it('never splits an emoji (a surrogate pair) at a page boundary', async () => {
    const text = `ab${'😀'.repeat(20)}c${'👍🏽'.repeat(5)}`;
    const { router } = setup(server, { tickets: { '8': phone({ hs_call_transcript: text }) }, calls: {}, threads: {} });
    const { forward, back } = await forwardThenBack(router, '8', 3);
    expect(forward.join('')).toBe(text);
    expect(back).toEqual(forward);
    for (const p of forward) expect(p).toMatch(/^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])+$/);
  });

  it('reduces page_size to 5000 and reads from the end with direction=prev', async () => {
    const long = 'a '.repeat(3500);
    const { router } = setup(server, { tickets: { '10': phone({ hs_call_transcript: long }) }, calls: {}, threads: {} });
    const first = (await transcription(router, { ticketId: '10', page_size: 99999 })).body;
    expect(first.transcription.length).toBe(5000);
    expect(first.has_more).toBe(true);
    expect(first.cursor_prev).toBeNull();
    const last = (await transcription(router, { ticketId: '10', page_size: 5000, direction: 'prev' })).body;
    expect(last).toMatchObject({ transcription: 'a '.repeat(1000), has_more: true, cursor_next: null });
    const back = (await transcription(router, { ticketId: '10', cursor: last.cursor_prev })).body;
    expect(back.transcription).toBe(first.transcription);
    expect(back.has_more).toBe(false);
  });

  it('refuses a cursor of another ticket, another operation, or an altered one, with a 400 and no HubSpot call', async () => {
    const { router, seen } = setup(server, { tickets: { '5': phone({ hs_call_transcript: words }), '11': phone({ hs_call_transcript: words }) }, calls: {}, threads: {} });
    const { cursor_next } = (await transcription(router, { ticketId: '5', page_size: 100 })).body;
    seen.length = 0;
    const foreign = await transcription(router, { ticketId: '11', cursor: cursor_next });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toEqual({ code: 'INVALID_CURSOR', message: 'cursor belongs to another operation or query (the search changed) — start again without a cursor' });
    const altered = await transcription(router, { ticketId: '5', cursor: `${cursor_next.slice(0, -2)}xx` });
    expect(altered.status).toBe(400);
    expect(altered.body.error.code).toBe('INVALID_CURSOR');
    const otherOp = await emailThread(router, { ticketId: '5', cursor: cursor_next });
    expect(otherOp.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('answers 409 when the transcript changed since the cursor was made', async () => {
    const tickets: Portal['tickets'] = { '12': phone({ hs_call_transcript: words }) };
    const { router } = setup(server, { tickets, calls: {}, threads: {} });
    const { cursor_next } = (await transcription(router, { ticketId: '12', page_size: 100 })).body;
    (tickets['12'] as { properties: Record<string, string> }).properties.hs_call_transcript = `${words} y algo más`;
    const { status, body } = await transcription(router, { ticketId: '12', cursor: cursor_next });
    expect(status).toBe(409);
    expect(body.error).toEqual({ code: 'STALE_CURSOR', message: 'The transcription of ticket 12 changed since this cursor was made; start again without a cursor.' });
  });
});

describe('getCallTranscription against HubSpot failures', () => {
  it('retries a 429 and then answers', async () => {
    const { router, seen } = setup(server, portal());
    let attempts = 0;
    server.use(
      http.get(`${API}/crm/v3/objects/tickets/:id`, () => {
        if (++attempts > 1) return undefined; // falls through to the portal
        return HttpResponse.json({ status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' }, { status: 429, headers: { 'Retry-After': '0' } });
      }),
    );
    const { status, body } = await transcription(router, { ticketId: '101' });
    expect(status).toBe(200);
    expect(body.transcription).toBe(REDACTED);
    expect(attempts).toBe(2);
    expect(seen).toHaveLength(1);
  });

  it('turns a 401 into a 502 about credentials, without the token', async () => {
    const { router } = setup(server, portal());
    server.use(http.get(`${API}/crm/v3/objects/tickets/:id`, () => HttpResponse.json({ status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }, { status: 401 })));
    const { status, body } = await transcription(router, { ticketId: '101' });
    expect(status).toBe(502);
    expect(body.error.code).toBe('UPSTREAM_AUTH');
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });
});
