// The packs' upstream probes against a real HTTP server on 127.0.0.1: the metrics service, the Cognito
// allowlist and role resolver, and the KB ingest ticket source.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRouter, type Router } from 'bedrock-action-groups';
import { postConfirmation, preSignup, PROBE_EMAIL } from 'bedrock-action-groups/cognito';
import { kbIngest } from 'bedrock-action-groups/kb-ingest';
import { httpMetricsBackend, metricsOps } from 'bedrock-action-groups/metrics';
import { memoryLogger } from '../support/logger.ts';

const KEY = 'probe-secret-key-9d1c';
const UPSTREAM_DETAIL = 'internal upstream detail 7f3a';

/** What the stand-in saw, and how it answers each path (200 unless set; 'stall' never answers). */
const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
const answers = new Map<string, number | 'stall'>();
let stalledClosed = 0;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const answer = answers.get(new URL(req.url ?? '/', 'http://x').pathname) ?? 200;
    if (answer === 'stall') return void req.socket.on('close', () => stalledClosed++);
    res.writeHead(answer, { 'content-type': 'application/json' }).end(JSON.stringify(answer === 200 ? { ok: true } : { error: UPSTREAM_DETAIL }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
  answers.clear();
  stalledClosed = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A router with every pack's probe, configured against the stand-in (or from an empty environment). */
function service(configured: boolean, timeoutMs = 2_000): { router: Router; health: () => Promise<{ status: number; json: any; text: string }>; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  const env = {};
  const signup = configured ? preSignup({ allowlistUrl: `${base}/allowlist`, apiKey: KEY }) : preSignup.fromEnv(env);
  const roles = configured ? postConfirmation({ roleResolverUrl: `${base}/roles`, apiKey: KEY }) : postConfirmation.fromEnv(env);
  const ingest = configured ? kbIngest({ sourceUrl: `${base}/export`, apiKey: KEY, bucket: 'b', knowledgeBaseId: 'kb', dataSourceId: 'ds', now: () => new Date('2026-01-02T03:04:05Z') }) : kbIngest.fromEnv(env);
  const router = createRouter({ logger: log.logger, health: { cacheMs: 0, timeoutMs } })
    .add(configured ? metricsOps({ backend: httpMetricsBackend({ baseUrl: `${base}/metrics`, apiKey: KEY }) }) : metricsOps.fromEnv(env))
    .cognito(signup)
    .cognito(roles)
    .schedule(ingest)
    .probe('cognito-allowlist', signup.probe)
    .probe('cognito-roles', roles.probe)
    .probe('kb-ingest-source', ingest.probe);
  const health = async () => {
    const reply = await router.fetch(new Request('http://localhost/health'));
    const text = await reply.text();
    return { status: reply.status, json: JSON.parse(text), text };
  };
  return { router, health, log };
}

const ALL_HEALTHY = { metrics: 'healthy', 'cognito-allowlist': 'healthy', 'cognito-roles': 'healthy', 'kb-ingest-source': 'healthy' };

describe('the packs\' /health probes', () => {
  it('are healthy on 2xx, after one cheap request each carrying the x-api-key', async () => {
    const { health } = service(true);
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'healthy', services: ALL_HEALTHY });
    const byPath = Object.fromEntries(seen.map((s) => [s.url, s]));
    expect(Object.keys(byPath).sort()).toEqual([
      `/allowlist?email=${encodeURIComponent(PROBE_EMAIL)}`,
      '/export?since=2026-01-02T03%3A04%3A05.000Z&limit=1',
      '/metrics',
      `/roles?email=${encodeURIComponent(PROBE_EMAIL)}`,
    ]);
    expect(seen).toHaveLength(4);
    for (const s of seen) {
      expect(s.method).toBe('GET');
      expect(s.headers['x-api-key']).toBe(KEY);
    }
  });

  for (const [name, path, service_] of [
    ['metrics', '/metrics', 'metrics service'],
    ['cognito-allowlist', '/allowlist', 'allowlist'],
    ['cognito-roles', '/roles', 'role resolver'],
    ['kb-ingest-source', '/export', 'ticket source'],
  ] as const) {
    it(`${name}: a 500 makes /health 503 naming only it; the log has the status, the reply neither it, the key nor the upstream text`, async () => {
      answers.set(path, 500);
      const { health, log } = service(true);
      const r = await health();
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ status: 'unhealthy', services: { ...ALL_HEALTHY, [name]: 'unhealthy' } });
      for (const secret of [KEY, UPSTREAM_DETAIL, 'HTTP 500', '127.0.0.1']) expect(r.text).not.toContain(secret);
      expect(log.text()).toContain(`the ${service_} answered HTTP 500`);
      expect(log.text()).not.toContain(KEY);
    });
  }

  it('a redirect is unhealthy and never followed (the key stays home)', async () => {
    answers.set('/metrics', 302);
    const { health } = service(true);
    expect((await health()).json.services.metrics).toBe('unhealthy');
    expect(seen.filter((s) => s.url.startsWith('/metrics'))).toHaveLength(1);
  });

  it('a service that never answers is unhealthy within the health timeout, and its request is aborted', async () => {
    answers.set('/export', 'stall');
    const { health } = service(true, 150);
    const started = Date.now();
    const r = await health();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(r.status).toBe(503);
    expect(r.json.services).toEqual({ ...ALL_HEALTHY, 'kb-ingest-source': 'unhealthy' });
    // The probe honours the health signal: the connection closes now, not at the job's 60 s download deadline.
    await vi.waitFor(() => expect(stalledClosed).toBe(1), { timeout: 1_000 });
  });

  it('are "not configured" without their URLs and keys, sending nothing', async () => {
    const { health } = service(false);
    const r = await health();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'healthy', services: { metrics: 'not configured', 'cognito-allowlist': 'not configured', 'cognito-roles': 'not configured', 'kb-ingest-source': 'not configured' } });
    expect(seen).toEqual([]);
  });

  it('a custom metrics backend without a probe registers none', () => {
    const group = metricsOps({ backend: { fetch: async () => ({ data: [] }) } });
    expect([...group.probes.keys()]).toEqual([]);
    expect([...metricsOps({ backend: httpMetricsBackend({ baseUrl: base }) }).probes.keys()]).toEqual(['metrics']);
  });
});
