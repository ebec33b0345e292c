import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/adapters/node.js';
import { toExpress } from '../../src/adapters/express.js';
import { createRouter, type RouterOptions } from '../../src/index.js';
import { close, listen } from '../adapters/sockets.js';
import { memoryLogger } from '../support/logger.js';
import { mcpGroups } from '../support/mcp-groups.js';

// The SDK's own client against the node adapter on a real socket, in both protocol eras: the 2025
// `initialize` handshake (the client's default) and the 2026-07-28 per-request envelope.
const ERAS = [
  ['2025 (initialize)', {}],
  ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }],
] as const;

const servers: Server[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map(close));
});

function routerWith(options: RouterOptions = {}) {
  const log = memoryLogger();
  const router = createRouter({ mcp: true, logger: log.logger, ...options });
  for (const group of mcpGroups()) router.add(group);
  return { router, log };
}

async function serve(options: RouterOptions = {}) {
  const { router, log } = routerWith(options);
  const server = createServer(router);
  servers.push(server);
  return { base: await listen(server), log };
}

async function connect(base: string, era: (typeof ERAS)[number][1], headers?: Record<string, string>, path = '/mcp') {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, era);
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}${path}`), headers ? { requestInit: { headers } } : {}));
  return client;
}

const BEARER = (request: Request) => (request.headers.get('authorization') === 'Bearer good' ? { userId: 'u-7', role: 'Agent' } : null);

describe.each(ERAS)('MCP over Streamable HTTP, %s', (_name, era) => {
  it('lists one tool per agent-callable operation with titles, schemas and annotations', async () => {
    const { base } = await serve();
    const { tools } = await (await connect(base, era)).listTools();
    expect(tools.map((t) => t.name)).toEqual(['getOrder', 'cancelOrder', 'Orders_status', 'addCredit', 'setLimit', 'Billing_status']);
    const getOrder = tools[0]!;
    expect(getOrder).toMatchObject({ name: 'getOrder', title: 'Get an order', description: 'Get one order by its id. Use when the customer names an order number.' });
    expect(getOrder.inputSchema).toEqual({
      type: 'object',
      properties: {
        orderId: { type: 'string', description: 'Order id, e.g. A-1001' },
        maxItems: { type: 'integer', description: 'Most lines to include', minimum: 1, maximum: 50 },
      },
      required: ['orderId'],
    });
    expect(getOrder.outputSchema).toEqual({
      type: 'object',
      properties: {
        orderId: { type: 'string', description: 'Order id' },
        status: { type: ['string', 'null'], description: 'Stage, null when unknown', enum: ['open', 'shipped', null] },
        total: { type: 'number', description: 'Total in euros' },
        caller: { type: ['string', 'null'], description: 'Who asked' },
      },
      required: ['orderId', 'status', 'total', 'caller'],
    });
    expect(tools.find((t) => t.name === 'addCredit')?.inputSchema.properties).toEqual({
      customerId: { type: 'string', description: 'Customer id' },
      amount: { type: 'number', description: 'Euros', exclusiveMinimum: 0 },
      reason: { type: 'string', description: 'Why', enum: ['late', 'damaged'] },
    });
    expect(Object.fromEntries(tools.map((t) => [t.name, t.annotations]))).toEqual({
      getOrder: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      cancelOrder: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      Orders_status: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      addCredit: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      setLimit: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      Billing_status: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    });
    expect(tools.filter((t) => t.outputSchema).map((t) => t.name)).toEqual(['getOrder']);
  });

  it('answers a call with structuredContent and the JSON as text, as the authenticated caller', async () => {
    const { base } = await serve({ authenticate: BEARER });
    const client = await connect(base, era, { authorization: 'Bearer good' });
    const result = await client.callTool({ name: 'getOrder', arguments: { orderId: 'A-1' } });
    const output = { orderId: 'A-1', status: 'shipped', total: 42.5, caller: 'u-7' };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(output);
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify(output) }]);
    // A null the output schema allows passes the client's own validation against outputSchema.
    expect((await client.callTool({ name: 'getOrder', arguments: { orderId: 'A-2' } })).structuredContent).toMatchObject({ status: null });
    // A string output is text only; the clashing names reach their own groups.
    expect(await client.callTool({ name: 'Billing_status', arguments: {} })).toMatchObject({ content: [{ type: 'text', text: 'billing up' }] });
    expect((await client.callTool({ name: 'Orders_status', arguments: {} })).structuredContent).toBeUndefined();
  });

  it('reports refused input, a missing role and a handler ActionError as isError results the model can act on', async () => {
    const { base } = await serve();
    const client = await connect(base, era);
    const invalid = await client.callTool({ name: 'addCredit', arguments: { amount: -3, reason: 'lost' } });
    expect(invalid.isError).toBe(true);
    const text = (invalid.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/customerId.*is required/);
    expect(text).toMatch(/amount.*more than 0/);
    expect(text).toMatch(/reason.*"late", "damaged"/);
    const refused = await client.callTool({ name: 'cancelOrder', arguments: { orderId: 'A-1' } });
    expect(refused).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/Supervisor/) }] });
    const missing = await client.callTool({ name: 'getOrder', arguments: { orderId: 'missing' } });
    expect(missing).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Order missing does not exist; check the number with the customer.' }] });
  });

  it('answers an unexpected failure with a generic message and logs the cause', async () => {
    const { base, log } = await serve();
    const result = await (await connect(base, era)).callTool({ name: 'getOrder', arguments: { orderId: 'boom' } });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^getOrder failed unexpectedly; the details were logged \(request [0-9a-z-]+\)\. Try again later\.$/);
    expect(JSON.stringify(result)).not.toMatch(/hunter2|exploded|at /);
    expect(log.text()).toContain('hunter2');
  });

  it('answers an unknown tool, and an operation agents may not call, with the protocol error -32602', async () => {
    const { base } = await serve();
    const client = await connect(base, era);
    for (const name of ['nope', 'uploadScan']) {
      const error = await client.callTool({ name, arguments: {} }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: -32602, message: expect.stringContaining(`Tool ${name} not found`) });
    }
  });
});

describe('MCP over HTTP: the HTTP door refuses before the SDK sees the request', () => {
  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } });
  const post = (base: string, headers: Record<string, string>, body = initialize) =>
    fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });

  it('requires an identity when authenticate is set: 401 with a Bearer challenge, then serves with a token', async () => {
    const { base } = await serve({ authenticate: BEARER });
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const res = await post(base, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Authentication required: send valid credentials (for example Authorization: Bearer <token>).' } });
    }
    const error = await connect(base, {}).then(() => undefined, (e: unknown) => e);
    expect(String(error)).toMatch(/UNAUTHORIZED/);
    expect((await post(base, { authorization: 'Bearer good' })).status).toBe(200);
  });

  it('refuses a foreign Origin (DNS rebinding) and serves an origin listed in cors.origins, with CORS headers', async () => {
    const { base } = await serve({ cors: { origins: ['https://app.example'] } });
    const foreign = await post(base, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: { code: 'ORIGIN_NOT_ALLOWED', message: 'Origin "http://evil.example" may not call the MCP endpoint; list it in the router\'s cors.origins.' } });
    const allowed = await post(base, { origin: 'https://app.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const preflight = await fetch(`${base}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, mcp-protocol-version' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, GET, DELETE, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, mcp-protocol-version');
  });

  it('with playground: true, takes the server\'s own origin (the playground page) and still refuses others', async () => {
    const { base } = await serve({ playground: true });
    expect((await post(base, { origin: base })).status).toBe(200);
    expect((await post(base, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses any browser Origin when CORS is off', async () => {
    const { base } = await serve();
    expect((await post(base, { origin: `${base}` })).status).toBe(403);
    expect((await post(base, {})).status).toBe(200);
  });

  it('refuses a 2 MB JSON-RPC body with 413, with or without Content-Length', async () => {
    const { base } = await serve();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'getOrder', arguments: { orderId: 'x'.repeat(2 * 1024 * 1024) } } });
    const res = await post(base, {}, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 1048576 } } });
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    const chunked = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('answers GET and DELETE as a stateless server does (405 from the SDK), and PUT with the door\'s 405', async () => {
    const { base } = await serve();
    const get = await fetch(`${base}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect((await fetch(`${base}/mcp`, { method: 'DELETE' })).status).toBe(405);
    const put = await fetch(`${base}/mcp`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST, GET, DELETE');
  });

  it('is off unless asked for, and served at the path given', async () => {
    const off = createRouter();
    expect((await off.fetch(new Request('http://x/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: initialize }))).status).toBe(404);
    const { base } = await serve({ mcp: { path: '/tools/mcp', name: 'orders-mcp' } });
    const client = await connect(base, {}, undefined, '/tools/mcp');
    expect(client.getServerVersion()).toMatchObject({ name: 'orders-mcp' });
    expect((await fetch(`${base}/mcp`, { method: 'POST', body: initialize, headers: { 'content-type': 'application/json' } })).status).toBe(404);
    expect(() => createRouter({ mcp: { path: 'mcp' } })).toThrow('"mcp.path" must be a path starting with "/"');
    expect(() => createRouter({ mcp: { path: '/health' } })).toThrow('"mcp.path" "/health" is a built-in route');
  });
});

describe('MCP over HTTP through router.fetch and Express', () => {
  it('serves the same tools through router.fetch (no socket)', async () => {
    const { router } = routerWith();
    const client = new Client({ name: 'fetch-client', version: '1' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), { fetch: (url, init) => router.fetch(new Request(url, init)) }));
    expect((await client.callTool({ name: 'setLimit', arguments: { customerId: 'c-1', limit: '300' } })).structuredContent).toEqual({ customerId: 'c-1', limit: 300 });
  });

  it('serves the same tools mounted in Express, behind express.json()', async () => {
    const { router } = routerWith();
    const app = express();
    app.use(express.json());
    app.use(toExpress(router));
    const server = createHttpServer(app);
    servers.push(server);
    const client = await connect(await listen(server), {});
    expect((await client.callTool({ name: 'addCredit', arguments: { customerId: 'c-1', amount: 5, reason: 'late' } })).structuredContent).toEqual({ customerId: 'c-1', amount: 5, balance: 5 });
  });
});
