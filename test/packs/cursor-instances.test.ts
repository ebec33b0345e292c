import { Client } from '@hubspot/api-client';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bedrockOpenApiEvent, lambdaContext } from '../../src/testing/index.js';
import { fakeHubSpot, HUBSPOT_BASE, HUBSPOT_TOKEN } from '../fixtures/hubspot/server.js';
import { hubspotHandlers, TOKEN, type Portal } from './interactions/fixtures/hubspot.js';

// A Lambda instance is a fresh process: fresh modules, so a fresh per-process cursor key. Each
// "instance" below re-imports the library after vi.resetModules(), which gives it exactly that.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Instance {
  get(group: string, apiPath: string, parameters: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

/** A fresh copy of the library serving one pack, made by `make` from the freshly imported pack module. */
async function instance<M>(packModule: string, make: (pack: M) => unknown): Promise<Instance> {
  vi.resetModules();
  const { createRouter } = await import('../../src/index.js');
  const pack = (await import(packModule)) as M;
  const router = createRouter().add(make(pack) as Parameters<ReturnType<typeof createRouter>['add']>[0]);
  return {
    async get(actionGroup, apiPath, parameters) {
      const event = bedrockOpenApiEvent({ actionGroup, apiPath, httpMethod: 'GET', parameters, sessionAttributes: { role: 'Agent', userId: 'u-1' } });
      const reply = (await router.handle(event, lambdaContext())) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
      return { status: reply.response.httpStatusCode, body: JSON.parse(reply.response.responseBody['application/json'].body) };
    },
  };
}

type HubSpotPack = typeof import('../../src/packs/hubspot/index.js');
type InteractionsPack = typeof import('../../src/packs/interactions/index.js');

describe('cursors across Lambda instances without CURSOR_SECRET', () => {
  it('HubSpotOps: a cursor from one instance is accepted by the next (key derived from the token)', async () => {
    server.use(...fakeHubSpot().handlers);
    const fromEnv = (p: HubSpotPack) => p.hubspotOps.fromEnv({ HUBSPOT_TOKEN: HUBSPOT_TOKEN, HUBSPOT_BASE_URL: HUBSPOT_BASE });
    const first = await instance('../../src/packs/hubspot/index.js', fromEnv);
    const page1 = await first.get('HubSpotOps', '/tickets/search', { page_size: 2 });
    expect(page1.status).toBe(200);
    expect(page1.body.cursor_next).toEqual(expect.any(String));

    const second = await instance('../../src/packs/hubspot/index.js', fromEnv);
    const page2 = await second.get('HubSpotOps', '/tickets/search', { page_size: 2, cursor: page1.body.cursor_next });
    expect(page2.status).toBe(200);
    expect(page2.body.tickets).toHaveLength(2);
    expect(page2.body.tickets.map((t: { id: string }) => t.id)).not.toContain(page1.body.tickets[0].id);
    // Back from the second instance to the first page, on the first instance.
    const back = await first.get('HubSpotOps', '/tickets/search', { page_size: 2, cursor: page2.body.cursor_prev });
    expect(back.body.tickets).toEqual(page1.body.tickets);
  });

  it('HubSpotOps: another token (another deployment) derives another key, and the cursor is refused', async () => {
    server.use(...fakeHubSpot().handlers);
    const first = await instance('../../src/packs/hubspot/index.js', (p: HubSpotPack) => p.hubspotOps({ accessToken: HUBSPOT_TOKEN, baseUrl: HUBSPOT_BASE }));
    const page1 = await first.get('HubSpotOps', '/tickets/search', { page_size: 2 });
    const other = await instance('../../src/packs/hubspot/index.js', (p: HubSpotPack) =>
      p.hubspotOps({ client: new Client({ accessToken: HUBSPOT_TOKEN, basePath: HUBSPOT_BASE }), baseUrl: HUBSPOT_BASE, cursorSecret: 'another-deployment-secret-0001' }),
    );
    const refused = await other.get('HubSpotOps', '/tickets/search', { page_size: 2, cursor: page1.body.cursor_next });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_CURSOR');
  });

  it('with only a ready client (no token, no secret) cursors stay per process, as documented', async () => {
    server.use(...fakeHubSpot().handlers);
    const make = (p: HubSpotPack) => p.hubspotOps({ client: new Client({ accessToken: HUBSPOT_TOKEN, basePath: HUBSPOT_BASE }) });
    const page1 = await (await instance('../../src/packs/hubspot/index.js', make)).get('HubSpotOps', '/tickets/search', { page_size: 2 });
    const next = await (await instance('../../src/packs/hubspot/index.js', make)).get('HubSpotOps', '/tickets/search', { page_size: 2, cursor: page1.body.cursor_next });
    expect(next.status).toBe(400);
    expect(next.body.error.message).toBe('cursor is not valid (altered, truncated or signed by another deployment) — start again without a cursor');
  });

  it('InteractionOps: a transcription cursor from one instance is accepted by the next', async () => {
    const transcript = Array.from({ length: 60 }, (_, i) => `frase ${i} de la llamada.`).join(' ');
    const portal: Portal = { tickets: { '101': { properties: { source_type: 'PHONE', hs_call_transcript: transcript } } }, calls: {}, threads: {} };
    server.use(...hubspotHandlers(portal, []));
    const fromEnv = (p: InteractionsPack) => p.interactionOps.fromEnv({ HUBSPOT_TOKEN: ` ${TOKEN} ` });
    const page1 = await (await instance('../../src/packs/interactions/index.js', fromEnv)).get('InteractionOps', '/call-transcription/{ticketId}', { ticketId: '101', page_size: 200 });
    expect(page1.status).toBe(200);
    const page2 = await (await instance('../../src/packs/interactions/index.js', fromEnv)).get('InteractionOps', '/call-transcription/{ticketId}', { ticketId: '101', cursor: page1.body.cursor_next });
    expect(page2.status).toBe(200);
    const both = page1.body.transcription + page2.body.transcription;
    expect(page2.body.transcription.length).toBeGreaterThan(0);
    expect(both).toBe(transcript.slice(0, both.length));
  });
});
