import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { diskBlobs, memoryStore } from '../../src/stores/index.js';
import { bedrockOpenApiEvent } from '../../src/testing/index.js';
import { signEnvelopeToken } from '../../src/index.js';
import { startServer } from '../../examples/node/server.js';
import type { ActionServer } from '../../src/adapters/node.js';

// The unconfigured packs' 503s are logged as errors; keep the test output for real failures.
beforeAll(() => {
  vi.stubEnv('LOG_LEVEL', 'silent');
});

const running: ActionServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.shutdown(1_000)));
});

const tmp = mkdtempSync(join(tmpdir(), 'node-example-'));
// A folder that does not exist yet, as .data/ on a fresh clone.
const dataDir = join(tmp, 'fresh', '.data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Most tests need no real database: memory and a temporary directory stand in (the embedded default has its own test).
const light = () => ({ store: memoryStore(), blobs: diskBlobs({ dir: join(dataDir, 'files') }), description: ['memory'], close: async () => {} });

async function start(env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  const { server, url } = await startServer({ port: 0, env, print: (l) => lines.push(l), backends: light() });
  running.push(server);
  return { url, lines };
}

async function bedrock(url: string, event: unknown) {
  const res = await fetch(`${url}/bedrock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  expect(res.status).toBe(200);
  const reply = (await res.json()) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
  return { status: reply.response.httpStatusCode, body: JSON.parse(reply.response.responseBody['application/json'].body) };
}

describe('examples/node: the local server', () => {
  it('keeps conversations in PGlite under DATA_DIR and files on disk by default, says so, and reports both on /health', async () => {
    const lines: string[] = [];
    const { server, url, backends } = await startServer({ port: 0, env: { DATA_DIR: dataDir }, print: (l) => lines.push(l) });
    running.push(server);
    try {
      expect(lines.slice(2, 4)).toEqual([`  storage         PGlite (embedded Postgres) in ${join(dataDir, 'pg')}`, `  storage         the local disk in ${join(dataDir, 'files')}`]);
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string; services: Record<string, string> };
      expect(health).toMatchObject({ status: 'healthy', services: { database: 'healthy', files: 'healthy', hubspot: 'not configured' } });
      const turn = await backends.store.addConversation({ ownerId: 'u', sessionId: 's', prompt: 'hola', response: 'hola' });
      expect((await backends.store.listConversations({ sessionId: 's' })).records).toEqual([turn]);
    } finally {
      await server.shutdown(1_000);
      await backends.close();
    }
  }, 120_000);
  it('serves the disk store\'s signed links at /blobs/, and refuses a tampered one', async () => {
    const disk = diskBlobs({ dir: join(dataDir, 'links') });
    const { server, url } = await startServer({ port: 0, env: {}, print: () => {}, backends: { ...light(), blobs: disk, links: disk.serve } });
    running.push(server);
    await disk.put('u1/nota.txt', new TextEncoder().encode('hola'), { contentType: 'text/plain' });
    const link = await disk.url('u1/nota.txt');
    const res = await fetch(`${url}${link}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hola');
    expect((await fetch(`${url}${link.replace('signature=', 'signature=x')}`)).status).toBe(403);
  });

  it('takes signed envelopes for OpenAIOps on POST /lambda with ENVELOPE_SECRET (503 naming OPENAI_API_KEY without a key), and says so', async () => {
    const secret = 'local-envelope-secret-0123456789';
    const { url, lines } = await start({ ENVELOPE_SECRET: secret });
    expect(lines).toContain(`  Envelope        POST ${url}/lambda  (signed { payload, body: { event_name } } for OpenAIOps)`);
    const post = (payload: unknown) => fetch(`${url}/lambda`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload, body: { event_name: 'credentials' } }) });
    const signed = await post(signEnvelopeToken({ sub: 'ana', jti: 'local-1' }, secret));
    expect(signed.status).toBe(503);
    expect(((await signed.json()) as { error: { message: string } }).error.message).toContain('OPENAI_API_KEY');
    expect((await post(signEnvelopeToken({ sub: 'ana' }, 'another-secret-0123456789abcdef'))).status).toBe(401);
    const off = await start({});
    expect(off.lines).toContain('  Envelope        off: set ENVELOPE_SECRET to take signed events for OpenAIOps on POST /lambda');
    expect((await fetch(`${off.url}/lambda`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it('refuses LOCAL_ROLE on a host other people can reach', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', env: { LOCAL_ROLE: 'Agent' }, print: () => {} })).rejects.toThrow(
      'LOCAL_ROLE gives every caller the role "Agent", so it is only allowed on a loopback host (127.0.0.1, ::1 or localhost), not 0.0.0.0.',
    );
  });

  it('listens on 127.0.0.1 and prints the health, schema and Bedrock test URLs', async () => {
    const { url, lines } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[0]).toBe(`bedrock-action-groups listening on ${url}`);
    expect(lines[1]).toBe('  caller role     none: role-restricted operations answer 503 until LOCAL_ROLE is set (e.g. LOCAL_ROLE=Agent npm start)');
    expect(lines).toContain(`  health          GET  ${url}/health`);
    expect(lines).toContain(`  HubSpotOps      GET  ${url}/openapi/HubSpotOps.json  |  ${url}/functions/HubSpotOps.json`);
    expect(lines).toContain(`  Bedrock test    POST ${url}/bedrock  (a Bedrock Agents event as JSON)`);
    expect(lines).toContain(`  playground      ${url}/playground  |  API reference ${url}/docs`);
    expect((await fetch(`${url}/playground`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(lines).toContain(`  MCP             ${url}/mcp  (Streamable HTTP: npx @modelcontextprotocol/inspector)`);
    const list = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    const event = (await list.text()).split('\n').find((l) => l.startsWith('data: ')) ?? 'data: {}';
    expect((JSON.parse(event.slice(6)) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)).toContain('getOrderStatus');
    for (const line of lines.filter((l) => l.includes('GET  http'))) {
      for (const link of line.match(/http:\/\/\S+/g) ?? []) expect((await fetch(link)).status, link).toBe(200);
    }
  });

  it('serves every built-in group even without credentials; their operations answer 503 naming the variable', async () => {
    const { url } = await start({});
    expect(((await (await fetch(`${url}/health`)).json()) as { groups: string[] }).groups).toEqual(['OrderStatus', 'HubSpotOps', 'InteractionOps', 'Analytics', 'Documents', 'OpenAIOps']);
    const ticket = await bedrock(url, bedrockOpenApiEvent({ actionGroup: 'HubSpotOps', apiPath: '/tickets/{ticketId}', httpMethod: 'GET', parameters: { ticketId: '123' }, sessionAttributes: { role: 'Agent' } }));
    expect(ticket.status).toBe(503);
    expect(ticket.body.error.message).toContain('HUBSPOT_TOKEN');
    const metrics = await bedrock(url, bedrockOpenApiEvent({ actionGroup: 'Analytics', apiPath: '/analytics/categories', httpMethod: 'GET', parameters: {}, sessionAttributes: { role: 'Supervisor' } }));
    expect(metrics.status).toBe(503);
    expect(metrics.body.error.message).toBe('The metrics service is not configured: set FAST_API_BASE_URL to its base URL.');
  });

  it('answers the example group directly, and role-restricted operations by LOCAL_ROLE only', async () => {
    const plain = await start({});
    expect(await (await fetch(`${plain.url}/orders/A-1001`)).json()).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });
    const unset = await fetch(`${plain.url}/tickets/123?x=1`);
    expect(unset.status).toBe(503);
    expect(await unset.json()).toEqual({
      error: {
        code: 'NOT_CONFIGURED',
        message: 'HubSpotOps.getTicket needs a caller role, and the local server gives one only through LOCAL_ROLE: restart it with LOCAL_ROLE=Agent (one of Agent, Supervisor).',
        details: { variable: 'LOCAL_ROLE' },
      },
    });
    // The server's Host check (DNS rebinding) comes first, for restricted routes too.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      const target = new URL(`${plain.url}/tickets/123`);
      request({ host: target.hostname, port: target.port, path: target.pathname, headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject).end();
    });
    expect(rebound).toBe(421);
    // Only existing role-restricted routes: the rest is the router's own answer.
    expect((await fetch(`${plain.url}/tickets/123`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${plain.url}/tickets/`)).status).toBe(404);
    const local = await start({ LOCAL_ROLE: 'Agent' });
    expect(local.lines[1]).toBe('  caller role     "Agent" for every HTTP caller (LOCAL_ROLE)');
    // The reply the README shows.
    const res = await fetch(`${local.url}/tickets/123`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('{"error":{"code":"NOT_CONFIGURED","message":"HubSpot is not configured: set HUBSPOT_TOKEN (a private app access token) and try again."}}');
  });

  it('serves the documents API under /bocppocia-bedrock, in the contract\'s envelope', async () => {
    const local = await start({ LOCAL_ROLE: 'Agent' });
    expect(local.lines).toContain(`  Documents       ${local.url}/bocppocia-bedrock  (POST /upload, POST /prompt, GET /files, GET /history)`);
    const post = (path: string, body: unknown) => fetch(`${local.url}/bocppocia-bedrock${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const up = await post('/upload', { fileBase64: Buffer.from('hola, mundo\n').toString('base64'), fileName: 'nota.txt' });
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ statusCode: 200, result: true, message: 'Archivo subido correctamente.', records: { fileName: expect.stringMatching(/_nota\.txt$/), fileSize: 12 } });
    const files = (await (await fetch(`${local.url}/bocppocia-bedrock/files`)).json()) as { records: { originalName: string }[] };
    expect(files.records.map((f) => f.originalName)).toEqual(['nota.txt']);
    const prompt = await post('/prompt', { prompt: 'hola' });
    expect(prompt.status).toBe(503);
    expect(((await prompt.json()) as { message: string }).message).toBe('Error al procesar el prompt: documentsApi.fromEnv: missing environment variable(s) BEDROCK_AGENT_ID, BEDROCK_AGENT_ALIAS_ID');
  });
});
