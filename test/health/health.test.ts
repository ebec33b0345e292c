import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type RouterOptions } from 'bedrock-action-groups';
import { hubspotOps } from 'bedrock-action-groups/hubspot';
import { diskBlobs, memoryStore, postgresStore, s3Blobs } from 'bedrock-action-groups/stores';
import { HUBSPOT_BASE, HUBSPOT_TOKEN } from '../fixtures/hubspot/server.ts';
import { BUCKET, startS3, type LocalS3 } from '../packs/kb-ingest/support.ts';
import { memoryLogger } from '../support/logger.ts';

const msw = setupServer();
let ownersCalls: { authorization: string | null }[] = [];
let hubspotStatus = 200;
let s3: LocalS3;
const dir = mkdtempSync(join(tmpdir(), 'health-disk-'));

beforeAll(async () => {
  msw.listen({ onUnhandledFrame: 'bypass' });
  s3 = await startS3();
});
afterEach(() => {
  ownersCalls = [];
  hubspotStatus = 200;
});
afterAll(async () => {
  msw.close();
  await s3.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

function hubspotStandIn() {
  msw.use(
    http.get(`${HUBSPOT_BASE}/crm/v3/owners/`, ({ request }) => {
      ownersCalls.push({ authorization: request.headers.get('authorization') });
      return hubspotStatus === 200 ? HttpResponse.json({ results: [] }) : HttpResponse.json({ status: 'error', message: 'internal upstream detail 7f3a', correlationId: 'c-1' }, { status: hubspotStatus });
    }),
  );
}

/** A router with a database, a file store and HubSpot, each replaceable. */
function service(parts: { database?: () => Promise<void>; files?: () => Promise<void> }, options: RouterOptions = {}) {
  hubspotStandIn();
  const log = memoryLogger();
  const router = createRouter({ logger: log.logger, version: '9.9.9', ...options })
    .add(hubspotOps({ accessToken: HUBSPOT_TOKEN, baseUrl: HUBSPOT_BASE }))
    .probe('database', parts.database ?? memoryStore().probe)
    .probe('files', parts.files ?? diskBlobs({ dir }).probe);
  const health = async (path = '/health') => {
    const reply = await router.fetch(new Request(`http://localhost${path}`));
    const text = await reply.text();
    return { status: reply.status, json: JSON.parse(text) as Record<string, any>, text };
  };
  return { router, health, log };
}

describe('GET /health', () => {
  it('is 200 healthy naming every service, after one authenticated HubSpot call', async () => {
    const { health } = service({});
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'healthy', version: '9.9.9', timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), services: { hubspot: 'healthy', database: 'healthy', files: 'healthy' }, groups: ['HubSpotOps'] });
    expect(ownersCalls).toEqual([{ authorization: `Bearer ${HUBSPOT_TOKEN}` }]);
  });

  it('a stopped database makes it 503 naming the database only', async () => {
    const db = new PGlite();
    const store = postgresStore({ client: db });
    await store.migrate();
    await db.close();
    const { health, log } = service({ database: store.probe });
    const r = await health();
    expect(r.status).toBe(503);
    expect(r.json.status).toBe('unhealthy');
    expect(r.json.services).toEqual({ hubspot: 'healthy', database: 'unhealthy', files: 'healthy' });
    expect(log.lines.filter((l) => l.msg === 'health probe failed' || l.message === 'health probe failed').map((l) => l.service)).toEqual(['database']);
  }, 120_000);

  it('a closed S3 makes it 503 naming the files only, and no upstream error text reaches the reply', async () => {
    const own = await startS3();
    const blobs = s3Blobs({ bucket: BUCKET, client: own.client() });
    await blobs.probe();
    await own.close();
    const { health, log } = service({ files: blobs.probe }, { health: { timeoutMs: 5_000 } });
    const r = await health();
    expect(r.status).toBe(503);
    expect(r.json.services).toEqual({ hubspot: 'healthy', database: 'healthy', files: 'unhealthy' });
    expect(r.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|Error/);
    expect(log.text()).toContain('files');
  });

  it('HubSpot answering 500 makes it 503 naming hubspot only; the log has the status, the reply neither it nor the token', async () => {
    const { health, log } = service({});
    hubspotStatus = 500;
    const r = await health();
    expect(r.status).toBe(503);
    expect(r.json.services).toEqual({ hubspot: 'unhealthy', database: 'healthy', files: 'healthy' });
    expect(r.text).not.toMatch(/500|7f3a|pat-na1/);
    expect(log.text()).toContain('HubSpot answered HTTP 500');
    expect(log.text()).not.toContain(HUBSPOT_TOKEN);
  });

  it('caches the report: two calls within the cache time make one upstream request, a later one probes again', async () => {
    const { health } = service({}, { health: { cacheMs: 300 } });
    const [a, b] = await Promise.all([health(), health()]);
    await health();
    expect(a.json).toEqual(b.json);
    expect(ownersCalls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 350));
    await health();
    expect(ownersCalls).toHaveLength(2);
  });

  it('answers liveness without probing: /health/live and ?probe=false', async () => {
    const { health } = service({});
    for (const path of ['/health/live', '/health?probe=false']) {
      const r = await health(path);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 'healthy', version: '9.9.9', timestamp: expect.any(String), groups: ['HubSpotOps'] });
    }
    expect(ownersCalls).toHaveLength(0);
  });

  it('runs probes concurrently, each under its timeout; an optional one down is "degraded" (200); HubSpot without a token is "not configured"', async () => {
    let running = 0;
    let most = 0;
    const slow = (ms: number) => async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
    };
    const router = createRouter({ logger: memoryLogger().logger, health: { timeoutMs: 200, cacheMs: 0 } })
      .add(hubspotOps())
      .probe('a', slow(50))
      .probe('b', slow(50))
      .probe('stuck', () => new Promise(() => {}), { required: false });
    const started = Date.now();
    const reply = await router.fetch(new Request('http://localhost/health'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ status: 'degraded', services: { hubspot: 'not configured', a: 'healthy', b: 'healthy', stuck: 'unhealthy' } });
    expect(most).toBe(2);
    const required = createRouter({ logger: memoryLogger().logger, health: { timeoutMs: 50 } }).probe('stuck', () => new Promise(() => {}));
    expect((await required.fetch(new Request('http://localhost/health'))).status).toBe(503);
  });

  it('refuses a duplicate or badly named probe', () => {
    const router = createRouter().probe('db', async () => {});
    expect(() => router.probe('db', async () => {})).toThrow('health probe "db" is already registered');
    expect(() => router.probe('bad name!', async () => {})).toThrow('health probe: name "bad name!" must be 1-64 letters, digits');
  });
});
