import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API, TOKEN, type FakeMessage, type Portal } from './fixtures/hubspot.js';
import { AGENT, emailThread, setup } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const THREAD: FakeMessage[] = [
  // Listed out of order on purpose: the reply is chronological.
  {
    id: 'm3',
    type: 'MESSAGE',
    createdAt: '2025-06-03T16:30:00Z',
    direction: 'INCOMING',
    subject: 'Re: Cobro doble',
    richText:
      '<div dir="ltr">Ya pagué con la tarjeta 4111 1111 1111 1111.<br><br>Saludos,<br>Ana Pérez<br>Tel. 8888-8888</div><div class="gmail_quote"><div class="gmail_attr">El lun, 2 jun 2025 a las 9:00, Soporte &lt;soporte@example.com&gt; escribió:</div><blockquote>¿Con qué tarjeta pagó?</blockquote></div>',
    text: 'Ya pagué con la tarjeta 4111 1111 1111 1111.\n\nSaludos,\nAna Pérez\n\nEl lun, 2 jun 2025 a las 9:00, Soporte <soporte@example.com> escribió:\n> ¿Con qué tarjeta pagó?',
  },
  { id: 'm1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', subject: 'Cobro doble', text: 'Hola, me cobraron dos veces este mes.\n\nEnviado desde mi iPhone' },
  { id: 'c1', type: 'COMMENT', createdAt: '2025-06-02T14:30:00Z', text: 'Nota interna: cliente VIP, DNI 12345678Z' },
  { id: 'm2', type: 'MESSAGE', createdAt: '2025-06-02T15:00:00Z', direction: 'OUTGOING', subject: 'Re: Cobro doble', richText: '<p>Hola Ana, ¿con qué tarjeta pagó?</p><p>Atentamente,<br>Soporte</p>' },
  { id: 'm4', type: 'MESSAGE', createdAt: '2025-06-03T17:00:00Z', direction: 'OUTGOING', text: '> Ya pagué con la tarjeta\n> (citado)' },
  { id: 'w1', type: 'THREAD_STATUS_CHANGE', createdAt: '2025-06-03T18:00:00Z' },
];

const EMAILS = [
  { id: 'm1', timestamp: '2025-06-02T08:00:00-06:00', direction: 'INCOMING', subject: 'Cobro doble', text: 'Hola, me cobraron dos veces este mes.' },
  { id: 'm2', timestamp: '2025-06-02T09:00:00-06:00', direction: 'OUTGOING', subject: 'Re: Cobro doble', text: 'Hola Ana, ¿con qué tarjeta pagó?\n\nAtentamente,' },
  { id: 'm3', timestamp: '2025-06-03T10:30:00-06:00', direction: 'INCOMING', subject: 'Re: Cobro doble', text: 'Ya pagué con la tarjeta **** **** **** 1111.\n\nSaludos,' },
];

function portal(extra: Partial<Portal> = {}): Portal {
  return { tickets: { '201': { properties: { source_type: 'EMAIL', hs_conversations_originating_thread_id: '7001' } } }, calls: {}, threads: { '7001': THREAD }, ...extra };
}

describe('getEmailThread through the Bedrock OpenAPI door', () => {
  it('reads the ticket thread: messages only, cleaned, redacted, oldest first, exact reply', async () => {
    const { router, seen } = setup(server, portal());
    const { reply } = await emailThread(router, { ticketId: '201' });
    expect(reply.response.httpStatusCode).toBe(200);
    expect(JSON.parse(reply.response.responseBody['application/json'].body)).toEqual({
      ticketId: '201',
      emails: EMAILS,
      thread_order: 'chronological_asc',
      has_more: false,
      cursor_next: null,
      cursor_prev: null,
    });
    expect(reply.sessionAttributes).toEqual(AGENT);
    expect(seen).toEqual([
      { method: 'GET', path: '/crm/v3/objects/tickets/201', query: { properties: ['hs_conversations_originating_thread_id'], associations: ['conversations'] }, body: undefined, authorization: `Bearer ${TOKEN}` },
      { method: 'GET', path: '/conversations/v3/conversations/threads/7001/messages', query: { limit: ['100'] }, body: undefined, authorization: `Bearer ${TOKEN}` },
    ]);
  });

  it('never lets an internal comment reach the agent', async () => {
    const { router } = setup(server, portal());
    const { body } = await emailThread(router, { ticketId: '201' });
    expect(JSON.stringify(body)).not.toMatch(/Nota interna|VIP|c1/);
  });

  it('reads a threadId the ticket has, checking it against the ticket first', async () => {
    const { router, seen } = setup(server, portal({ tickets: { '201': { properties: { hs_conversations_originating_thread_id: '900' }, conversations: ['900', '7001'] } } }));
    const { status, body } = await emailThread(router, { ticketId: '201', threadId: '7001' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ticketId: '201', emails: EMAILS });
    expect(seen.map((s) => s.path)).toEqual(['/crm/v3/objects/tickets/201', '/conversations/v3/conversations/threads/7001/messages']);
  });

  it("answers 404 for another ticket's thread, reading nothing of it", async () => {
    // Ticket 202 is one the caller may ask about; thread 7001 belongs to ticket 201 only.
    const { router, seen } = setup(server, portal({ tickets: { '201': { properties: { hs_conversations_originating_thread_id: '7001' } }, '202': { properties: { hs_conversations_originating_thread_id: '900' }, conversations: ['900'] } } }));
    const { status, body } = await emailThread(router, { ticketId: '202', threadId: '7001' });
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'THREAD_NOT_OF_TICKET', message: "ticket 202 has no email thread 7001; omit threadId to read the ticket's own thread." });
    expect(seen.map((s) => s.path)).toEqual(['/crm/v3/objects/tickets/202']);
  });

  it('refuses ticketId "-": a thread is always read through its ticket', async () => {
    const { router, seen } = setup(server, portal());
    const { status, body } = await emailThread(router, { ticketId: '-', threadId: '7001' });
    expect(status).toBe(400);
    expect(body.error.message).toContain('ticketId must be a numeric HubSpot ticket id such as 12345, got "-"');
    expect(seen).toEqual([]);
  });

  it('finds the thread through the ticket associations when the property is empty (newest thread wins)', async () => {
    const { router, seen } = setup(server, portal({ tickets: { '202': { properties: {}, conversations: ['7001', '900', '7000'] } } }));
    const { body } = await emailThread(router, { ticketId: '202' });
    expect(body.emails).toEqual(EMAILS);
    expect(seen[1]?.path).toBe('/conversations/v3/conversations/threads/7001/messages');
  });

  it('answers 404 when the ticket has no thread, and when the thread does not exist', async () => {
    const { router } = setup(server, portal({ tickets: { '203': { properties: {} } } }));
    const none = await emailThread(router, { ticketId: '203' });
    expect(none.status).toBe(404);
    expect(none.body.error).toEqual({ code: 'NO_THREAD', message: 'ticket 203 has no email thread: hs_conversations_originating_thread_id is empty and no conversation is associated with it. Pass threadId if you know it.' });
    const gone = setup(server, portal({ tickets: { '204': { properties: { hs_conversations_originating_thread_id: '4040' } } } }));
    const missing = await emailThread(gone.router, { ticketId: '204' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('email thread 4040 not found');
  });
});

describe('getEmailThread paging', () => {
  const many: FakeMessage[] = Array.from({ length: 12 }, (_, i) => ({
    id: `e${String(i).padStart(2, '0')}`,
    type: 'MESSAGE',
    createdAt: new Date(Date.UTC(2025, 5, 1, 12, i)).toISOString(),
    direction: i % 2 ? 'OUTGOING' : 'INCOMING',
    text: `mensaje ${i}`,
  }));

  it('pages forward then back over the same pages, reducing page_size to 5, reusing the thread id from the cursor', async () => {
    const { router, seen } = setup(server, portal({ threads: { '7001': many } }));
    const ids = (b: { emails: { id: string }[] }) => b.emails.map((e) => e.id);
    const p1 = (await emailThread(router, { ticketId: '201', page_size: 50 })).body;
    expect(ids(p1)).toEqual(['e00', 'e01', 'e02', 'e03', 'e04']);
    expect(p1).toMatchObject({ has_more: true, cursor_prev: null });
    const p2 = (await emailThread(router, { ticketId: '201', cursor: p1.cursor_next })).body;
    const p3 = (await emailThread(router, { ticketId: '201', cursor: p2.cursor_next })).body;
    expect(ids(p2)).toEqual(['e05', 'e06', 'e07', 'e08', 'e09']);
    expect(ids(p3)).toEqual(['e10', 'e11']);
    expect(p3).toMatchObject({ has_more: false, cursor_next: null });
    const b2 = (await emailThread(router, { ticketId: '201', cursor: p3.cursor_prev })).body;
    const b1 = (await emailThread(router, { ticketId: '201', cursor: b2.cursor_prev })).body;
    expect([ids(b2), ids(b1)]).toEqual([ids(p2), ids(p1)]);
    expect(b2.has_more).toBe(true);
    expect(b1).toMatchObject({ has_more: false, cursor_prev: null });
    // Only the first call looked the ticket up: cursors carry the thread id.
    expect(seen.filter((s) => s.path.startsWith('/crm/')).length).toBe(1);
  });

  it('reads the newest messages first with direction=prev', async () => {
    const { router } = setup(server, portal({ threads: { '7001': many } }));
    const { body } = await emailThread(router, { ticketId: '201', direction: 'prev', page_size: 3 });
    expect(body.emails.map((e: { id: string }) => e.id)).toEqual(['e09', 'e10', 'e11']);
    expect(body).toMatchObject({ has_more: true, cursor_next: null });
  });

  it('answers 409 when the anchor message is gone', async () => {
    const threads = { '7001': [...many] };
    const { router } = setup(server, portal({ threads }));
    const p1 = (await emailThread(router, { ticketId: '201' })).body;
    threads['7001'] = many.filter((m) => m.id !== 'e04');
    const { status, body } = await emailThread(router, { ticketId: '201', cursor: p1.cursor_next });
    expect(status).toBe(409);
    expect(body.error).toEqual({ code: 'STALE_CURSOR', message: 'The email thread 7001 changed since this cursor was made; start again without a cursor.' });
  });

  it('reads at most maxConvoMsgs messages, following HubSpot paging', async () => {
    const big: FakeMessage[] = Array.from({ length: 250 }, (_, i) => ({ id: `b${i}`, type: 'MESSAGE', createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), direction: 'INCOMING', text: `n ${i}` }));
    const { router, seen } = setup(server, portal({ threads: { '7001': big } }), { maxConvoMsgs: 120 });
    const { body } = await emailThread(router, { ticketId: '201', direction: 'prev', page_size: 1 });
    expect(body.emails.map((e: { id: string }) => e.id)).toEqual(['b119']);
    expect(seen.slice(1).map((s) => s.query)).toEqual([{ limit: ['100'] }, { limit: ['20'], after: ['100'] }]);
  });
});

describe('messages HubSpot lists cut short', () => {
  it('reads a TRUNCATED message whole from its original content, only for the page shown', async () => {
    const long = `${'Detalle del cobro. '.repeat(40)}Mi tarjeta es 4111 1111 1111 1111.`;
    const thread: FakeMessage[] = [
      { id: 'm1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', subject: 'Cobro', text: 'Detalle del cobro. Detalle…', original: { text: long } },
      { id: 'm2', type: 'MESSAGE', createdAt: '2025-06-02T15:00:00Z', direction: 'OUTGOING', subject: 'Re: Cobro', text: 'Lo revisamos.' },
      { id: 'm3', type: 'MESSAGE', createdAt: '2025-06-02T16:00:00Z', direction: 'INCOMING', subject: 'Re: Cobro', text: 'Gracias', original: { text: 'Gracias, quedo atenta.' } },
    ];
    const { router, seen } = setup(server, portal({ threads: { '7001': thread } }));
    const { reply } = await emailThread(router, { ticketId: '201', page_size: 2 });
    const body = JSON.parse(reply.response.responseBody['application/json'].body);
    expect(body.emails.map((e: { id: string }) => e.id)).toEqual(['m1', 'm2']);
    expect(body.emails[0].text).toBe(`${'Detalle del cobro. '.repeat(40)}Mi tarjeta es **** **** **** 1111.`.trim());
    expect(body.emails[1].text).toBe('Lo revisamos.');
    // m3 is on the next page: its original content is not fetched now.
    expect(seen.filter((r) => r.path.endsWith('/original-content')).map((r) => r.path)).toEqual(['/conversations/v3/conversations/threads/7001/messages/m1/original-content']);
  });

  it('keeps the listed text, marked as cut, when one original content cannot be read; the rest of the page answers', async () => {
    const thread: FakeMessage[] = [
      { id: 'm1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', subject: 'Cobro', text: 'Detalle del cobro…', original: { text: 'Detalle del cobro completo.' } },
      { id: 'm2', type: 'MESSAGE', createdAt: '2025-06-02T15:00:00Z', direction: 'OUTGOING', subject: 'Re: Cobro', text: 'Gracias', original: { text: 'Gracias, lo revisamos.' } },
    ];
    const { router } = setup(server, portal({ threads: { '7001': thread } }));
    server.use(http.get(`${API}/conversations/v3/conversations/threads/7001/messages/m1/original-content`, () => HttpResponse.json({ status: 'error', message: 'boom' }, { status: 500 })));
    const { reply } = await emailThread(router, { ticketId: '201', page_size: 2 });
    expect(reply.response.httpStatusCode).toBe(200);
    const body = JSON.parse(reply.response.responseBody['application/json'].body);
    expect(body.emails.map((e: { text: string }) => e.text)).toEqual(['Detalle del cobro…\n[message truncated: the rest could not be read]', 'Gracias, lo revisamos.']);
  });
});

describe('a hostile message stays with itself', () => {
  const nested = `${'<div>'.repeat(2000)}Hola${'</div>'.repeat(2000)}`;
  const thread: FakeMessage[] = [
    { id: 'h1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', subject: 'Anidado', richText: nested },
    { id: 'h2', type: 'MESSAGE', createdAt: '2025-06-02T15:00:00Z', direction: 'OUTGOING', subject: 'Re: Anidado', richText: '<p>Lo revisamos, <b>gracias</b>.</p>' },
    { id: 'h3', type: 'MESSAGE', createdAt: '2025-06-02T16:00:00Z', direction: 'INCOMING', subject: 'Re: Anidado', text: 'Mi tarjeta es 4111 1111 1111 1111.', original: { richText: nested } },
  ];

  it('2 000 nested <div>s in one message: 200, that message a placeholder, the others read (every page)', async () => {
    const { router } = setup(server, portal({ threads: { '7001': thread } }));
    const first = await emailThread(router, { ticketId: '201', page_size: 2 });
    expect(first.status).toBe(200);
    expect(first.body.emails).toEqual([
      { id: 'h1', timestamp: '2025-06-02T08:00:00-06:00', direction: 'INCOMING', subject: 'Anidado', text: '[message could not be read]' },
      { id: 'h2', timestamp: '2025-06-02T09:00:00-06:00', direction: 'OUTGOING', subject: 'Re: Anidado', text: 'Lo revisamos, gracias.' },
    ]);
    // The next page holds a message whose original content (read because HubSpot listed it cut short) is the hostile one.
    const second = await emailThread(router, { ticketId: '201', cursor: first.body.cursor_next });
    expect(second.status).toBe(200);
    expect(second.body.emails).toEqual([{ id: 'h3', timestamp: '2025-06-02T10:00:00-06:00', direction: 'INCOMING', subject: 'Re: Anidado', text: '[message could not be read]' }]);
  });
});
