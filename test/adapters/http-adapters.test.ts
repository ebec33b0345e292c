// One suite, run over real loopback sockets against both adapters: createServer (node) and toExpress.
import { createServer as createNodeServer, type Server } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type Router, type RouterOptions } from '../../src/index.js';
import { createServer } from '../../src/adapters/node.js';
import { toExpress } from '../../src/adapters/express.js';
import { orderStatusGroup } from '../../examples/order-status.js';
import { memoryLogger } from '../support/logger.js';
import { close, listen, rawExchange, rawRequest } from './sockets.js';

interface Adapter {
  name: string;
  serve(router: Router): Server;
  /** Express passes unknown paths on to the rest of the app; the node server answers them itself. */
  unknownPathBody: unknown;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'node createServer',
    serve: (router) => createServer(router),
    unknownPathBody: { error: { code: 'NOT_FOUND', message: 'No operation at GET /tickets/7. The HTTP API is described at GET /openapi.json (groups: OrderStatus, Notes).' } },
  },
  {
    name: 'express toExpress',
    serve: (router) => {
      const app = express();
      app.use(toExpress(router));
      app.use((_req, res) => {
        res.status(404).json({ app: 'fallback' });
      });
      return createNodeServer(app);
    },
    unknownPathBody: { app: 'fallback' },
  },
];

function notesGroup() {
  return actionGroup({ name: 'Notes', description: 'Notes' })
    .operation({
      name: 'addNote',
      method: 'POST',
      path: '/notes/{topic}',
      description: 'Add a note.',
      input: z.object({ topic: z.string().describe('Topic'), text: z.string().describe('Text') }),
      handler: ({ topic, text }) => ({ topic, length: text.length }),
    })
    .operation({
      name: 'secret',
      method: 'GET',
      path: '/secret',
      description: 'Supervisors only.',
      input: z.object({}),
      allowedRoles: ['Supervisor'],
      handler: () => ({ ok: true }),
    });
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe.each(ADAPTERS)('$name over real sockets', (adapter) => {
  let base: string;
  let guardedBase: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    const open = createRouter({ logger: memoryLogger().logger, maxBodyBytes: 1024 }).add(orderStatusGroup()).add(notesGroup());
    const guardedOptions: RouterOptions = {
      logger: memoryLogger().logger,
      cors: { origins: ['https://app.example'] },
      authenticate: (req) => {
        const auth = req.headers.get('authorization');
        return auth === 'Bearer sup' ? { role: 'Supervisor' } : auth === 'Bearer agent' ? { role: 'Agent' } : null;
      },
    };
    const guarded = createRouter(guardedOptions).add(notesGroup());
    servers.push(adapter.serve(open), adapter.serve(guarded));
    base = await listen(servers[0] as Server);
    guardedBase = await listen(servers[1] as Server);
  });
  afterAll(async () => {
    await Promise.all(servers.map(close));
  });

  /** The server still answers a normal request. */
  async function stillServing() {
    const r = await fetch(`${base}/orders/A-1001`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' });
  }

  it('answers an operation with its JSON output and a Content-Length', async () => {
    const r = await fetch(`${base}/orders/A-1003`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    const text = await r.text();
    expect(text).toBe('{"orderId":"A-1003","status":"delivered","carrier":"UPS"}');
    expect(r.headers.get('content-length')).toBe(String(text.length));
  });

  it('runs a POST with a JSON body and path parameters, and maps handler errors to their status', async () => {
    const r = await fetch(`${base}/orders/A-1002/cancel`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ reason: 'too_slow' }) });
    expect(await r.json()).toEqual({ orderId: 'A-1002', status: 'cancelled', cancelReason: 'too_slow' });
    const shipped = await fetch(`${base}/orders/A-1001/cancel`, { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(shipped.status).toBe(409);
    expect(await shipped.json()).toEqual({ error: { code: 'ORDER_NOT_CANCELLABLE', message: 'Order A-1001 is already shipped and can no longer be cancelled; offer a return instead.' } });
  });

  it('answers 400 for malformed JSON and keeps serving', async () => {
    const r = await fetch(`${base}/notes/x`, { method: 'POST', headers: JSON_TYPE, body: '{"text": ' });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe('INVALID_JSON');
    await stillServing();
  });

  it('answers 400 listing invalid fields', async () => {
    const r = await fetch(`${base}/orders/1001`);
    expect(r.status).toBe(400);
    expect((await r.json()).error.details).toEqual([{ field: 'orderId', problem: 'must be text matching /^[A-Z]-\\d{4}$/, got "1001"' }]);
  });

  it('answers 413 to a body over the limit sent in chunks without Content-Length, and keeps serving', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => (i === 0 ? '{"text":"' : 'x'.repeat(64)));
    const r = await rawRequest(base, { method: 'POST', path: '/notes/big', headers: JSON_TYPE, chunks, pauseMs: 2 }).catch((e: Error) => e);
    expect(r).not.toBeInstanceOf(Error);
    const reply = r as Awaited<ReturnType<typeof rawRequest>>;
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
    expect(JSON.parse(reply.text).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1024 bytes, the limit of addNote. Send less data.', details: { limitBytes: 1024 } });
    await stillServing();
  });

  it('answers 413 from Content-Length before any body byte arrives', async () => {
    const reply = await rawExchange(base, `POST /notes/big HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`, 3_000);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('PAYLOAD_TOO_LARGE');
    await stillServing();
  });

  describe('at the body limit (1024 bytes)', () => {
    /** A JSON body of exactly `size` bytes: {"text":"xxx…"}. */
    const bodyOf = (size: number) => `{"text":"${'x'.repeat(size - '{"text":""}'.length)}"}`;
    /** The same text in 100-byte chunks (chunked transfer encoding, no Content-Length). */
    const chunksOf = (text: string) => Array.from({ length: Math.ceil(text.length / 100) }, (_, i) => text.slice(i * 100, i * 100 + 100));
    const TOO_LARGE = { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1024 bytes, the limit of addNote. Send less data.', details: { limitBytes: 1024 } };

    it('accepts exactly the limit, declared by Content-Length or sent chunked', async () => {
      const exact = bodyOf(1024);
      const declared = await rawRequest(base, { method: 'POST', path: '/notes/edge', headers: { ...JSON_TYPE, 'content-length': '1024' }, body: exact });
      expect([declared.status, JSON.parse(declared.text)]).toEqual([200, { topic: 'edge', length: 1013 }]);
      const chunked = await rawRequest(base, { method: 'POST', path: '/notes/edge', headers: JSON_TYPE, chunks: chunksOf(exact), pauseMs: 1 });
      expect([chunked.status, JSON.parse(chunked.text)]).toEqual([200, { topic: 'edge', length: 1013 }]);
    });

    it('refuses the limit + 1, declared by Content-Length or sent chunked, and keeps serving', async () => {
      const over = bodyOf(1025);
      const declared = await rawRequest(base, { method: 'POST', path: '/notes/edge', headers: { ...JSON_TYPE, 'content-length': '1025' }, body: over });
      expect([declared.status, JSON.parse(declared.text).error]).toEqual([413, TOO_LARGE]);
      const chunked = await rawRequest(base, { method: 'POST', path: '/notes/edge', headers: JSON_TYPE, chunks: chunksOf(over), pauseMs: 1 });
      expect([chunked.status, JSON.parse(chunked.text).error]).toEqual([413, TOO_LARGE]);
      await stillServing();
    });
  });

  it('accepts a body within the limit streamed in small chunks', async () => {
    const chunks = ['{"te', 'xt":"', 'a'.repeat(500), '"}'];
    const reply = await rawRequest(base, { method: 'POST', path: '/notes/slow', headers: JSON_TYPE, chunks, pauseMs: 10 });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ topic: 'slow', length: 500 });
  });

  it('answers 415 for bodies that are not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await fetch(`${base}/notes/x`, { method: 'POST', headers: { 'content-type': type }, body: 'text=hi' });
      expect(r.status, type).toBe(415);
      expect((await r.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    await stillServing();
  });

  it('answers 404 for unknown paths (Express passes them on to the app) and 405 with Allow', async () => {
    const unknown = await fetch(`${base}/tickets/7`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual(adapter.unknownPathBody);
    const wrong = await fetch(`${base}/orders/A-1001`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    await stillServing();
  });

  it('refuses encoded path traversal in path parameters with a 400', async () => {
    for (const path of ['/orders/..%2F..%2Fetc%2Fpasswd', '/orders/%2e%2e', '/orders/..', '/orders/%2E%2E/cancel', '/orders/a%5Cb']) {
      const method = path.endsWith('/cancel') ? 'POST' : 'GET';
      const reply = await rawRequest(base, { method, path, headers: JSON_TYPE, body: method === 'POST' ? '{}' : undefined });
      expect(reply.status, path).toBe(400);
      expect(JSON.parse(reply.text).error.message).toBe('Path parameter "orderId" may not contain "/" (also encoded as %2F), "\\" or control characters, nor be "." or "..".');
    }
    await stillServing();
  });

  it('answers 431 to header floods (many headers, or one huge header) and keeps serving', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `X-Flood-${i}: ${'v'.repeat(60)}\r\n`).join('');
    expect(await rawExchange(base, `GET /orders/A-1001 HTTP/1.1\r\nHost: ${new URL(base).host}\r\n${many}\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    expect(await rawExchange(base, `GET /orders/A-1001 HTTP/1.1\r\nHost: ${new URL(base).host}\r\nX-Huge: ${'h'.repeat(64 * 1024)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 /);
    await stillServing();
  });

  it('serves the built-in routes; POST /bedrock is off by default', async () => {
    const health = await fetch(`${base}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', groups: ['OrderStatus', 'Notes'] });
    const openapi = await (await fetch(`${base}/openapi/OrderStatus.json`)).json();
    expect(openapi.openapi).toBe('3.0.0');
    expect(Object.keys(openapi.paths)).toEqual(['/orders/{orderId}', '/orders/{orderId}/cancel']);
    const functions = await (await fetch(`${base}/functions/OrderStatus.json`)).json();
    expect(functions.functions.map((f: { name: string }) => f.name)).toEqual(['getOrderStatus', 'cancelOrder']);
    expect((await fetch(`${base}/bedrock`, { method: 'POST', headers: JSON_TYPE, body: '{}' })).status).toBe(404);
  });

  it('answers 401 without identity and 403 for the wrong role, never mixed up; built-ins need none', async () => {
    const anonymous = await fetch(`${guardedBase}/secret`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const agent = await fetch(`${guardedBase}/secret`, { headers: { authorization: 'Bearer agent' } });
    expect(agent.status).toBe(403);
    expect((await agent.json()).error.message).toBe('secret requires one of the roles Supervisor; the caller\'s role is "Agent".');
    expect(await (await fetch(`${guardedBase}/secret`, { headers: { authorization: 'Bearer sup' } })).json()).toEqual({ ok: true });
    expect((await fetch(`${guardedBase}/health`)).status).toBe(200);
  });

  it('answers CORS preflights for allowed origins only; OPTIONS is a 405 with CORS off', async () => {
    const preflight = (origin: string) => ({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const ok = await fetch(`${guardedBase}/notes/x`, preflight('https://app.example'));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    const evil = await fetch(`${guardedBase}/notes/x`, preflight('https://evil.example'));
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const off = await fetch(`${base}/notes/x`, preflight('https://app.example'));
    expect(off.status).toBe(405);
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps serving after a client drops a request half-way through its body', async () => {
    await new Promise<void>((resolve) => {
      const { port } = new URL(base);
      const req = rawRequestAborting(Number(port));
      req.on('close', () => resolve());
    });
    await stillServing();
  });
});

/** Starts a chunked POST, sends part of the body, then drops the connection. */
function rawRequestAborting(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST /notes/x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"tex\r\n`);
  setTimeout(() => socket.destroy(), 50);
  return socket;
}

describe('express specifics', () => {
  it('works under a mount path and after express.json() already read the body', async () => {
    const router = createRouter({ logger: memoryLogger().logger, maxBodyBytes: 1024 }).add(orderStatusGroup()).add(notesGroup());
    const app = express();
    app.use(express.json());
    app.use('/api', toExpress(router));
    const server = createNodeServer(app);
    const base = await listen(server);
    try {
      expect(await (await fetch(`${base}/api/orders/A-1003`)).json()).toEqual({ orderId: 'A-1003', status: 'delivered', carrier: 'UPS' });
      const r = await fetch(`${base}/api/notes/t`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ text: 'parsed upstream' }) });
      expect(await r.json()).toEqual({ topic: 't', length: 15 });
      const big = await fetch(`${base}/api/notes/t`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ text: 'x'.repeat(2_000) }) });
      expect(big.status).toBe(413);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
    } finally {
      await close(server);
    }
  });
});
