import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interactionOps } from '../../../src/packs/interactions/index.js';
import { TOKEN, type Portal } from './fixtures/hubspot.js';
import { AGENT, emailThread, setup, transcription } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SECRET_WORDS = 'el cliente dijo su contraseña es girasol';
const PORTAL: Portal = {
  tickets: {
    '101': { properties: { source_type: 'PHONE', hs_call_transcript: `${SECRET_WORDS} y su tarjeta 4111 1111 1111 1111` } },
    '201': { properties: { hs_conversations_originating_thread_id: '7001' } },
  },
  calls: {},
  threads: { '7001': [{ id: 'm1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', text: 'correo privado: mi clave es tulipán' }] },
};

describe('InteractionOps roles', () => {
  it.each([
    ['no role', { email: 'x@example.com' }, 'the caller has no role'],
    ['another role', { role: 'Customer' }, 'the caller\'s role is "Customer"'],
  ])('refuses a caller with %s (403, fails closed, HubSpot never called)', async (_name, session, has) => {
    const { router, seen } = setup(server, PORTAL);
    const { status, body } = await transcription(router, { ticketId: '101' }, session);
    expect(status).toBe(403);
    expect(body.error).toEqual({ code: 'FORBIDDEN', message: `getCallTranscription requires one of the roles Agent, Supervisor; ${has}.`, details: { allowedRoles: ['Agent', 'Supervisor'] } });
    expect(seen).toEqual([]);
  });

  it('lets Agents and Supervisors (any case) read', async () => {
    const { router } = setup(server, PORTAL);
    expect((await transcription(router, { ticketId: '101' }, { role: 'supervisor' })).status).toBe(200);
    expect((await emailThread(router, { ticketId: '201' }, { role: 'Agent' })).status).toBe(200);
  });

  it('follows ALLOWED_ROLES, and ENFORCE_ALLOWED_ROLES=false opens the group', async () => {
    const onlySupervisors = setup(server, PORTAL, interactionOps.fromEnv({ HUBSPOT_TOKEN: TOKEN, ALLOWED_ROLES: ' Supervisor , ' }));
    expect((await transcription(onlySupervisors.router, { ticketId: '101' }, AGENT)).status).toBe(403);
    expect((await transcription(onlySupervisors.router, { ticketId: '101' }, { role: 'Supervisor' })).status).toBe(200);
    const open = setup(server, PORTAL, interactionOps.fromEnv({ HUBSPOT_TOKEN: TOKEN, ENFORCE_ALLOWED_ROLES: 'false' }));
    expect((await transcription(open.router, { ticketId: '101' }, {})).status).toBe(200);
    const typo = setup(server, PORTAL, interactionOps.fromEnv({ HUBSPOT_TOKEN: TOKEN, ENFORCE_ALLOWED_ROLES: 'flase' }));
    expect((await transcription(typo.router, { ticketId: '101' }, {})).status).toBe(403);
  });
});

describe('InteractionOps audit log', () => {
  it('writes one audit line per call with who and which ticket, never the content', async () => {
    const { router, log } = setup(server, PORTAL, { buildTag: 'v1.2.3' });
    await transcription(router, { ticketId: '101' });
    await emailThread(router, { ticketId: '201', threadId: '7001' }, { role: 'Supervisor', userId: 'u-9' });
    const audits = log.lines.filter((l) => l.message === 'audit');
    expect(audits).toEqual([
      expect.objectContaining({ level: 'info', role: 'Agent', email: 'ana@example.com', userId: 'u-17', operation: 'getCallTranscription', ticketId: '101', build: 'v1.2.3', group: 'InteractionOps' }),
      expect.objectContaining({ level: 'info', role: 'Supervisor', email: null, userId: 'u-9', operation: 'getEmailThread', ticketId: '201', threadId: '7001' }),
    ]);
    const everything = log.text();
    for (const secret of ['girasol', 'contraseña', 'tulipán', 'correo privado', '4111', '****']) expect(everything).not.toContain(secret);
  });

  it('audits a call that then fails', async () => {
    const { router, log } = setup(server, PORTAL);
    expect((await transcription(router, { ticketId: '404' })).status).toBe(404);
    expect(log.lines.filter((l) => l.message === 'audit')).toEqual([expect.objectContaining({ ticketId: '404', operation: 'getCallTranscription' })]);
  });
});

describe('interactionOps.fromEnv', () => {
  it('creates the group without a token; calls answer 503 naming HUBSPOT_TOKEN', async () => {
    const { router, seen } = setup(server, PORTAL, interactionOps.fromEnv({}));
    const { status, body } = await transcription(router, { ticketId: '101' });
    expect(status).toBe(503);
    expect(body.error).toEqual({ code: 'NOT_CONFIGURED', message: 'HubSpot is not configured: set HUBSPOT_TOKEN (a private app access token) and try again.' });
    expect(seen).toEqual([]);
  });

  it('reads HUBSPOT_API_KEY, HUBSPOT_BASE_URL, LOCAL_TZ and MAX_CONVO_MSGS', async () => {
    const seen: string[] = [];
    const base = 'https://hubspot-proxy.example.test/api';
    server.use(
      http.get(`${base}/conversations/v3/conversations/threads/:id/messages`, ({ request }) => {
        seen.push(`${request.headers.get('authorization')} ${new URL(request.url).search}`);
        return HttpResponse.json({ results: [{ id: 'm1', type: 'MESSAGE', createdAt: '2025-06-02T14:00:00Z', direction: 'INCOMING', text: 'hola' }] });
      }),
      http.get(`${base}/crm/v3/objects/tickets/:id`, ({ params }) =>
        HttpResponse.json({ id: params.id, properties: { hs_conversations_originating_thread_id: '9' }, createdAt: '2025-06-01T00:00:00Z', updatedAt: '2025-06-01T00:00:00Z', archived: false }),
      ),
    );
    const group = interactionOps.fromEnv({ HUBSPOT_API_KEY: 'legacy-key', HUBSPOT_BASE_URL: `${base}/`, LOCAL_TZ: 'Europe/Madrid', MAX_CONVO_MSGS: '7' });
    const { router } = setup(server, PORTAL, group);
    const { body } = await emailThread(router, { ticketId: '301', threadId: '9' });
    expect(body.emails).toEqual([{ id: 'm1', timestamp: '2025-06-02T16:00:00+02:00', direction: 'INCOMING', subject: null, text: 'hola' }]);
    expect(seen).toEqual(['Bearer legacy-key ?limit=7']);
  });

  it('refuses a bad MAX_CONVO_MSGS or LOCAL_TZ when the group is created', () => {
    expect(() => interactionOps.fromEnv({ MAX_CONVO_MSGS: '0' })).toThrow('MAX_CONVO_MSGS must be a positive integer, got "0"');
    expect(() => interactionOps.fromEnv({ LOCAL_TZ: 'Mars/Olympus' })).toThrow('interactionOps: "timezone" must be an IANA zone such as America/Costa_Rica, got "Mars/Olympus"');
  });
});
