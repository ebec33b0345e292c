import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../examples/node/server.js';
import type { ActionServer } from '../../src/adapters/node.js';
import { diskBlobs, memoryStore } from '../../src/stores/index.js';
import { createServer as createActionServer } from '../../src/adapters/node.js';
import { actionGroup, createRouter } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';
import { z } from 'zod';
import { launch, openPage, screenshot } from './browser.js';

// The local server (examples/node, playground on) in Chromium, the Metrics pack pointed at a stand-in
// of its upstream service on 127.0.0.1.
const CATEGORIES = [{ category: 'Facturación', count: 42 }, { category: 'Acceso', count: 17 }];
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let metrics: Server;
let server: ActionServer;
let url = '';
let browser: Browser;
const tmp = mkdtempSync(join(tmpdir(), 'playground-browser-'));

beforeAll(async () => {
  vi.stubEnv('LOG_LEVEL', 'silent');
  metrics = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const found = req.url?.startsWith('/api/analytics/categories?');
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(found ? CATEGORIES : { detail: 'Not Found' }));
  });
  await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
  const address = metrics.address() as { port: number };
  const backends = { store: memoryStore(), blobs: diskBlobs({ dir: join(tmp, 'files') }), description: ['memory'], close: async () => {} };
  ({ server, url } = await startServer({ port: 0, env: { FAST_API_BASE_URL: `http://127.0.0.1:${address.port}/api` }, print: () => {}, backends }));
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.shutdown(1_000);
  await new Promise((resolve) => metrics?.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

describe('GET /playground in Chromium', () => {
  it('sends the chosen operation as a Bedrock function event and as HTTP, showing the exact request and the reply', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${url}/playground`);
    await page.getByRole('button', { name: 'getOrderStatus', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'getOrderStatus' }).count()).toBe(1);
    await page.getByLabel('orderId').fill('A-1001');
    const request = page.getByRole('region', { name: 'Request' });
    const reply = page.getByRole('region', { name: 'Reply' });

    await page.getByLabel('Door').selectOption({ label: 'Bedrock function event' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => reply.getByTestId('reply-status').textContent()).toMatch(/^HTTP 200 · responseState \(none: success\) · \d+ ms$/);
    const event = JSON.parse((await request.getByLabel('JSON').textContent()) as string) as Record<string, unknown>;
    expect(event).toMatchObject({ messageVersion: '1.0', actionGroup: 'OrderStatus', function: 'getOrderStatus', parameters: [{ name: 'orderId', type: 'string', value: 'A-1001' }] });
    expect(await request.getByLabel('curl').textContent()).toBe(`curl -sS -X POST '${url}/bedrock' \\\n  -H 'content-type: application/json' \\\n  --data-raw '${JSON.stringify(event)}'`);
    expect(JSON.parse((await reply.getByLabel('Body').textContent()) as string)).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });
    await screenshot(page, 'playground-bedrock-function');

    await page.getByLabel('Door').selectOption({ label: 'HTTP' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => request.locator('.status').textContent()).toBe('GET /orders/A-1001');
    await expect.poll(() => reply.getByTestId('reply-status').textContent()).toMatch(/^HTTP 200 · \d+ ms$/);
    expect(JSON.parse((await reply.getByLabel('Body').textContent()) as string)).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });
    expect(await request.getByLabel('curl').textContent()).toBe(`curl -sS '${url}/orders/A-1001'`);
    await screenshot(page, 'playground-http');

    await page.getByLabel('Door').selectOption({ label: 'AgentCore' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => request.locator('.status').textContent()).toBe('POST /agentcore');
    expect(JSON.parse((await request.getByLabel('JSON').textContent()) as string)).toEqual({ event: { orderId: 'A-1001' }, clientContext: { custom: { bedrockAgentCoreToolName: 'playground___getOrderStatus' } } });
    await expect.poll(async () => JSON.parse((await reply.getByLabel('Body').textContent()) ?? 'null')).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });

    await page.getByLabel('Door').selectOption({ label: 'MCP' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => request.locator('.status').textContent()).toBe('POST /mcp');
    expect(JSON.parse((await request.getByLabel('JSON').textContent()) as string)).toMatchObject({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'getOrderStatus', arguments: { orderId: 'A-1001' } } });
    await expect.poll(() => reply.getByTestId('reply-status').textContent()).toMatch(/^HTTP 200 · \d+ ms$/);
    expect(JSON.parse((await reply.getByLabel('Body').textContent()) as string)).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });
    await screenshot(page, 'playground-mcp');
    expect(problems).toEqual([]);
  });

  it('highlights the field a validation error names, over HTTP and in a Bedrock OpenAPI event', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${url}/playground#OrderStatus/cancelOrder`);
    const orderId = page.getByLabel('orderId');
    await orderId.fill('nope');
    await page.getByLabel('reason').selectOption('too_slow');
    await page.getByLabel('Door').selectOption({ label: 'HTTP' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.getByRole('region', { name: 'Reply' });
    await expect.poll(() => reply.getByTestId('reply-status').textContent()).toMatch(/^HTTP 400 · \d+ ms$/);
    expect(await orderId.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('reason').getAttribute('aria-invalid')).toBeNull();
    const problem = page.locator('.field .problem:not([hidden])');
    expect(await problem.count()).toBe(1);
    expect(await problem.textContent()).toBe('must be text matching /^[A-Z]-\\d{4}$/, got "nope"');
    const body = JSON.parse((await page.getByRole('region', { name: 'Request' }).getByLabel('JSON').textContent()) as string);
    expect(body).toEqual({ reason: 'too_slow' });
    await screenshot(page, 'playground-validation');

    // Fixed, then sent again as a Bedrock OpenAPI event: the mark goes away.
    await orderId.fill('A-1002');
    await page.getByLabel('Door').selectOption({ label: 'Bedrock OpenAPI event' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => reply.getByTestId('reply-status').textContent()).toMatch(/^HTTP 200 · httpStatusCode 200 · \d+ ms$/);
    expect(await orderId.getAttribute('aria-invalid')).toBeNull();
    expect(JSON.parse((await reply.getByLabel('Body').textContent()) as string)).toMatchObject({ orderId: 'A-1002', status: 'cancelled', cancelReason: 'too_slow' });
    expect(problems).toEqual([]);
  });

  it('draws the Vega-Lite chart of a Metrics reply as SVG, the role taken from the session attributes', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${url}/playground`);
    await page.getByRole('button', { name: 'topCategories', exact: true }).click();
    await page.getByLabel('range', { exact: true }).fill('la semana pasada');
    await page.getByLabel('Door').selectOption({ label: 'Bedrock function event' });
    await page.getByLabel('Role').fill('Supervisor');
    seen.length = 0;
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const chart = page.getByRole('figure', { name: 'Chart' });
    await chart.locator('svg').waitFor();
    // One bar per category, and the axis labels are the categories.
    expect(await chart.locator('svg .mark-rect path').count()).toBe(2);
    expect(await chart.locator('svg').textContent()).toContain('Facturación');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['x-acting-role']).toBe('Supervisor');
    await screenshot(page, 'playground-metrics-chart');
    expect(problems).toEqual([]);
  });

  it('refuses a role-restricted operation sent without the role: responseState REPROMPT and the 403 message', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${url}/playground#Analytics/topCategories`);
    await page.getByLabel('Door').selectOption({ label: 'Bedrock function event' });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const status = page.getByRole('region', { name: 'Reply' }).getByTestId('reply-status');
    await expect.poll(() => status.textContent()).toMatch(/^HTTP 200 · responseState REPROMPT · \d+ ms$/);
    const body = JSON.parse((await page.getByRole('region', { name: 'Reply' }).getByLabel('Body').textContent()) as string) as { error: { code: string } };
    expect(body.error.code).toBe('FORBIDDEN');
  });
});

describe('GET /playground with authenticate, in Chromium', () => {
  it('asks for a token and sends it as Authorization: Bearer on every door', async () => {
    const group = actionGroup({ name: 'Me', description: 'Who is calling' }).operation({
      name: 'whoAmI',
      method: 'GET',
      path: '/me',
      description: 'The caller, as the router sees it.',
      input: z.object({}),
      handler: (_input, ctx) => ctx.caller,
    });
    const authenticate = (request: Request) => (request.headers.get('authorization') === 'Bearer s3cret' ? { role: 'Agent', userId: 'u-42' } : null);
    const router = createRouter({ playground: true, bedrockEndpoint: true, authenticate, logger: memoryLogger().logger }).add(group);
    const local = createActionServer(router);
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const { page, problems } = await openPage(browser);
      await page.goto(`http://127.0.0.1:${(local.address() as { port: number }).port}/playground`);
      const status = page.getByRole('region', { name: 'Reply' }).getByTestId('reply-status');
      await page.getByLabel('Door').selectOption({ label: 'HTTP' });
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status.textContent()).toMatch(/^HTTP 401 · \d+ ms$/);
      await page.getByLabel('Token').fill('s3cret');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status.textContent()).toMatch(/^HTTP 200 · \d+ ms$/);
      expect(JSON.parse((await page.getByRole('region', { name: 'Reply' }).getByLabel('Body').textContent()) as string)).toEqual({ role: 'Agent', userId: 'u-42' });
      expect(await page.getByRole('region', { name: 'Request' }).getByLabel('curl').textContent()).toContain("-H 'authorization: Bearer s3cret'");
      // The Bedrock event's role is replaced by the identity's, as POST /bedrock does.
      await page.getByLabel('Door').selectOption({ label: 'Bedrock function event' });
      await page.getByLabel('Role').fill('Admin');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(async () => JSON.parse((await page.getByRole('region', { name: 'Reply' }).getByLabel('Body').textContent()) ?? 'null')).toEqual({ role: 'Agent', userId: 'u-42' });
      await screenshot(page, 'playground-token');
      expect(problems).toEqual([]);
    } finally {
      await local.shutdown(1_000);
    }
  });
});

describe('GET /docs in Chromium', () => {
  it('lists the HTTP operations from /openapi.json', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${url}/docs`);
    await page.locator('.opblock').first().waitFor();
    const ids = await page.locator('.opblock .opblock-summary-operation-id').allTextContents();
    expect(ids).toEqual(expect.arrayContaining(['getOrderStatus', 'cancelOrder', 'topCategories']));
    expect(await page.locator('.opblock-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('OrderStatus'), expect.stringContaining('Analytics')]));
    await screenshot(page, 'docs');
    expect(problems).toEqual([]);
  });
});
