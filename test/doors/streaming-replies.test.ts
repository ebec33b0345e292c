// Replies that are not JSON text: an operation answering a web Response (bytes, a server-sent event stream),
// handlers mounted with router.mount (the disk blobs' signed links), and Lambda response streaming. Run over
// router.fetch, real loopback sockets (node createServer, Express) and API Gateway events.
import { createServer as createNodeServer, request as httpRequest, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type Router } from '../../src/index.js';
import { createServer } from '../../src/adapters/node.js';
import { toExpress } from '../../src/adapters/express.js';
import { toLambda, toLambdaStreaming, type LambdaStreamingRuntime } from '../../src/adapters/lambda.js';
import { diskBlobs } from '../../src/stores/index.js';
import { memoryLogger } from '../support/logger.js';
import { until } from '../support/timing.js';
import { close, listen } from '../adapters/sockets.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x80]);

/** A stream whose events are written when the test says so, recording when the consumer cancelled it. */
function controlledEvents() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false, reason: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: (reason) => {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return {
    stream,
    state,
    send: (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    end: () => controller.close(),
    fail: (error: Error) => controller.error(error),
  };
}

function filesGroup(events: { current?: ReturnType<typeof controlledEvents> }) {
  return actionGroup({ name: 'Files', description: 'Files and streams', http: { reply: (output) => ({ wrapped: output }) } })
    .operation({
      name: 'picture',
      method: 'GET',
      path: '/picture',
      description: 'A PNG.',
      input: z.object({}),
      doors: { agent: false },
      handler: () => new Response(PNG, { headers: { 'content-type': 'image/png', 'content-length': String(PNG.byteLength), 'content-disposition': 'attachment; filename="p.png"' } }),
    })
    .operation({
      name: 'events',
      method: 'POST',
      path: '/events',
      description: 'Server-sent events.',
      input: z.object({ topic: z.string().describe('Topic') }),
      doors: { agent: false },
      handler: () => {
        const e = controlledEvents();
        events.current = e;
        return new Response(e.stream, { status: 201, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
      },
    })
    .operation({
      name: 'leaky',
      method: 'GET',
      path: '/leaky',
      description: 'Answers a Response on every door (a mistake on agent doors).',
      input: z.object({}),
      handler: () => new Response('raw'),
    })
    .operation({
      name: 'plain',
      method: 'GET',
      path: '/plain',
      description: 'JSON as usual.',
      input: z.object({}),
      handler: () => ({ ok: true }),
    });
}

describe('an operation answering a web Response', () => {
  it('router.fetch sends its status, headers and bytes as they are, and CORS applies; JSON operations keep the group wrapper', async () => {
    const router = createRouter({ logger: memoryLogger().logger, cors: { origins: ['https://app.example'] } }).add(filesGroup({}));
    const res = await router.fetch(new Request('http://x/picture', { headers: { origin: 'https://app.example' } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="p.png"');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
    const plain = await router.fetch(new Request('http://x/plain'));
    expect(await plain.json()).toEqual({ wrapped: { ok: true } });
  });

  it('on an agent door it is a generic 500 for the model, and the log says to mark the operation doors: { agent: false }', async () => {
    const log = memoryLogger();
    const router = createRouter({ logger: log.logger }).add(filesGroup({}));
    const reply = (await router.handle({ messageVersion: '1.0', actionGroup: 'Files', function: 'leaky', parameters: [], sessionAttributes: {}, promptSessionAttributes: {} })) as {
      response: { functionResponse: { responseState: string; responseBody: { TEXT: { body: string } } } };
    };
    expect(reply.response.functionResponse.responseState).toBe('FAILURE');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error.code).toBe('INTERNAL');
    expect(log.text()).toContain('only the HTTP door can send: give it doors: { agent: false }');
  });

  it('a subclass of Response is refused on agent doors too and sent as is over HTTP, while arrays and null-prototype objects are answered as JSON', async () => {
    class Tagged extends Response {}
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { ok: true });
    const router = createRouter({ logger: memoryLogger().logger }).add(
      actionGroup({ name: 'Odd', description: 'Odd outputs' })
        .operation({ name: 'tagged', method: 'GET', path: '/tagged', description: 'A Response subclass.', input: z.object({}), handler: () => new Tagged('raw') })
        .operation({ name: 'list', method: 'GET', path: '/list', description: 'An array.', input: z.object({}), handler: () => [1, 2] })
        .operation({ name: 'bare', method: 'GET', path: '/bare', description: 'A null-prototype object.', input: z.object({}), handler: () => bare }),
    );
    const call = async (fn: string) =>
      ((await router.handle({ messageVersion: '1.0', actionGroup: 'Odd', function: fn, parameters: [], sessionAttributes: {}, promptSessionAttributes: {} })) as {
        response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } };
      }).response.functionResponse;
    const tagged = await call('tagged');
    expect(tagged.responseState).toBe('FAILURE');
    expect(JSON.parse(tagged.responseBody.TEXT.body).error.code).toBe('INTERNAL');
    expect(await call('list')).toEqual({ responseBody: { TEXT: { body: '[1,2]' } } });
    expect(await call('bare')).toEqual({ responseBody: { TEXT: { body: '{"ok":true}' } } });
    // Over HTTP the subclass is sent as the Response it is.
    const res = await router.fetch(new Request('http://x/tagged'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('raw');
  });

  it('through API Gateway: bytes come back base64, a text stream as text, and a stream past 6 MB is a 502 that says why', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(filesGroup({})).add(
      actionGroup({ name: 'Big', description: 'Big' }).operation({
        name: 'huge',
        method: 'GET',
        path: '/huge',
        description: 'Seven megabytes.',
        input: z.object({}),
        doors: { agent: false },
        handler: () => {
          let sent = 0;
          const chunk = new Uint8Array(1024 * 1024);
          return new Response(new ReadableStream({ pull: (c) => (sent++ < 7 ? c.enqueue(chunk) : c.close()) }), { headers: { 'content-type': 'application/octet-stream' } });
        },
      }),
    );
    const event = (path: string, method = 'GET', body?: string) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: body ? { 'content-type': 'application/json' } : {},
      requestContext: { stage: '$default', http: { method } },
      body,
    });
    const picture = (await router.handle(event('/picture'))) as { statusCode: number; body: string; isBase64Encoded: boolean; headers: Record<string, string> };
    expect(picture).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-type': 'image/png' } });
    expect(new Uint8Array(Buffer.from(picture.body, 'base64'))).toEqual(PNG);

    const events: { current?: ReturnType<typeof controlledEvents> } = {};
    const router2 = createRouter({ logger: memoryLogger().logger }).add(filesGroup(events));
    const pending = router2.handle(event('/events', 'POST', JSON.stringify({ topic: 't' })));
    await new Promise((r) => setTimeout(r, 10));
    events.current?.send('chunk', { text: 'hola' });
    events.current?.end();
    expect(await pending).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: 'event: chunk\ndata: {"text":"hola"}\n\n',
      isBase64Encoded: false,
    });

    const huge = (await router.handle(event('/huge'))) as { statusCode: number; body: string };
    expect(huge.statusCode).toBe(502);
    expect(JSON.parse(huge.body).error).toEqual({
      code: 'REPLY_TOO_LARGE',
      message: 'The reply is larger than the 6 MB a Lambda can return through API Gateway; use a Function URL with toLambdaStreaming, or a presigned link.',
    });
  });
});

/** Reads a streamed reply over a real socket, recording when each piece arrived. */
function streamRequest(base: string, path: string, body: string) {
  const { port } = new URL(base);
  const pieces: { at: number; text: string }[] = [];
  let status = 0;
  let headers: Record<string, unknown> = {};
  let abort!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => pieces.push({ at: Date.now(), text: d }));
      res.on('end', () => resolve());
      res.on('error', () => resolve());
      res.on('aborted', () => resolve());
    });
    abort = () => req.destroy();
    req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
    req.end(body);
  });
  return { pieces, done, abort, reply: () => ({ status, headers }) };
}

const SERVERS: { name: string; serve: (router: Router) => Server }[] = [
  { name: 'node createServer', serve: (router) => createServer(router) },
  {
    name: 'Express (with express.json() before it)',
    serve: (router) => {
      const app = express();
      app.use(express.json());
      app.use(toExpress(router));
      return createNodeServer(app);
    },
  },
];

describe.each(SERVERS)('streaming over a real socket: $name', ({ serve }) => {
  const events: { current?: ReturnType<typeof controlledEvents> } = {};
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = serve(createRouter({ logger: memoryLogger().logger }).add(filesGroup(events)));
    base = await listen(server);
  });
  afterAll(() => close(server));

  it('each event reaches the client as soon as it is written, before the stream ends', async () => {
    const client = streamRequest(base, '/events', JSON.stringify({ topic: 't' }));
    await until(() => events.current !== undefined && client.reply().status !== 0);
    expect(client.reply()).toMatchObject({ status: 201, headers: { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' } });
    events.current?.send('chunk', { text: 'uno' });
    await until(() => client.pieces.length === 1);
    const firstAt = client.pieces[0]?.at as number;
    await new Promise((r) => setTimeout(r, 60));
    const lastWrittenAt = Date.now();
    events.current?.send('done', { ok: true });
    events.current?.end();
    await client.done;
    expect(firstAt).toBeLessThan(lastWrittenAt - 40);
    expect(client.pieces.map((p) => p.text).join('')).toBe('event: chunk\ndata: {"text":"uno"}\n\nevent: done\ndata: {"ok":true}\n\n');
    events.current = undefined;
  });

  it('a client that goes away cancels the stream, so its producer stops', async () => {
    const client = streamRequest(base, '/events', JSON.stringify({ topic: 't' }));
    await until(() => events.current !== undefined);
    const current = events.current as ReturnType<typeof controlledEvents>;
    current.send('chunk', { text: 'uno' });
    await until(() => client.pieces.length === 1);
    client.abort();
    await until(() => current.state.cancelled);
    expect(current.state.cancelled).toBe(true);
    events.current = undefined;
  });

  it('a stream that fails midway cuts the connection (the client sees an incomplete reply, not a clean end)', async () => {
    const client = streamRequest(base, '/events', JSON.stringify({ topic: 't' }));
    await until(() => events.current !== undefined);
    const current = events.current as ReturnType<typeof controlledEvents>;
    current.send('chunk', { text: 'uno' });
    await until(() => client.pieces.length === 1);
    current.fail(new Error('upstream broke'));
    await client.done;
    expect(client.pieces.map((p) => p.text).join('')).toBe('event: chunk\ndata: {"text":"uno"}\n\n');
    events.current = undefined;
  });

  it('bytes are sent with the Content-Length the handler gave', async () => {
    const res = await fetch(`${base}/picture`);
    expect(res.headers.get('content-length')).toBe(String(PNG.byteLength));
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });
});

describe('router.mount: web handlers in front of the routes (the disk blobs\' signed links)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bag-mount-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function setUp() {
    const blobs = diskBlobs({ dir });
    const router = createRouter({ logger: memoryLogger().logger, authenticate: () => null }).add(filesGroup({})).mount('/blobs/', blobs.serve);
    return { blobs, router };
  }

  it('serves a signed link through router.fetch without authenticate, refuses a tampered one, and lets other paths reach the routes', async () => {
    const { blobs, router } = setUp();
    await blobs.put('u1/a.png', PNG, { contentType: 'image/png' });
    const link = await blobs.url('u1/a.png');
    expect(link.startsWith('/blobs/u1/a.png?')).toBe(true);
    const ok = await router.fetch(new Request(`http://x${link}`));
    expect(ok.status).toBe(200);
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(PNG);
    const tampered = await router.fetch(new Request(`http://x${link.replace('u1/a.png', 'u1/b.png')}`));
    expect(tampered.status).toBe(403);
    // Outside the prefix: the router's own answer (here, authenticate refuses every caller).
    const op = await router.fetch(new Request('http://x/plain'));
    expect(op.status).toBe(401);
  });

  it('over a real socket: a presigned upload PUT streams its body to the handler, and the link then serves the bytes', async () => {
    const { blobs, router } = setUp();
    const server = createServer(router);
    const base = await listen(server);
    try {
      const upload = await blobs.presignUpload({ key: 'u1/up.png', contentType: 'image/png', maxBytes: 1024 });
      const put = await fetch(`${base}${upload.url}`, { method: 'PUT', headers: upload.headers, body: PNG });
      expect(put.status).toBeLessThan(300);
      const got = await fetch(`${base}${await blobs.url('u1/up.png')}`);
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
    } finally {
      await close(server);
    }
  });

  it('a handler resolving undefined lets the router answer; one that throws is a logged generic 500', async () => {
    const log = memoryLogger();
    const router = createRouter({ logger: log.logger })
      .add(filesGroup({}))
      .mount('/plain/', () => undefined)
      .mount('/broken/', () => {
        throw new Error('disk on fire');
      });
    expect(await (await router.fetch(new Request('http://x/plain'))).json()).toEqual({ wrapped: { ok: true } });
    const broken = await router.fetch(new Request('http://x/broken/x'));
    expect(broken.status).toBe(500);
    expect(await broken.text()).not.toContain('disk on fire');
    expect(log.text()).toContain('disk on fire');
  });

  it('a prefix matches whole segments: "/chat" takes /chat and /chat/app.js, not /chatty', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).mount('/chat', (request) => new Response(new URL(request.url).pathname));
    expect(await (await router.fetch(new Request('http://x/chat'))).text()).toBe('/chat');
    expect(await (await router.fetch(new Request('http://x/chat/app.js'))).text()).toBe('/chat/app.js');
    expect((await router.fetch(new Request('http://x/chatty'))).status).toBe(404);
  });

  it('refuses a prefix that is not a path, a second mount at the same prefix, and a handler that is not a function', () => {
    const router = createRouter();
    expect(() => router.mount('blobs', () => undefined)).toThrow('router.mount: the prefix must be a path such as "/blobs" or "/blobs/" (segments without "?", "#", "%" or spaces), not "blobs"');
    expect(() => router.mount('/a?b', () => undefined)).toThrow('not "/a?b"');
    router.mount('/blobs/', () => undefined);
    expect(() => router.mount('/blobs', () => undefined)).toThrow('router.mount: something is already mounted at /blobs');
    expect(() => router.mount('/x/', 'nope' as never)).toThrow('router.mount: the handler must be a function');
  });
});

/**
 * A stand-in for the Lambda runtime's streaming API, writing what the runtime writes for a Function URL:
 * the JSON prelude, eight NUL bytes, then the body.
 */
function streamingRuntime() {
  const runtime: LambdaStreamingRuntime = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from: (stream, metadata) => {
        stream.write(`${JSON.stringify(metadata)}\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000`);
        return stream;
      },
    },
  };
  return runtime;
}

function collect(): { stream: Writable; text: () => string; ended: Promise<void> } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8'), ended };
}

describe('toLambdaStreaming (Function URL response streaming)', () => {
  afterEach(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda;
  });

  it('writes the HTTP prelude and then the events of a stream as they come', async () => {
    const events: { current?: ReturnType<typeof controlledEvents> } = {};
    const handler = toLambdaStreaming(createRouter({ logger: memoryLogger().logger }).add(filesGroup(events)), { runtime: streamingRuntime() }) as (
      event: unknown,
      stream: Writable,
      context: object,
    ) => Promise<void>;
    const out = collect();
    const run = handler(
      { version: '2.0', routeKey: '$default', rawPath: '/events', headers: { 'content-type': 'application/json' }, requestContext: { http: { method: 'POST' } }, body: '{"topic":"t"}' },
      out.stream,
      {},
    );
    await until(() => events.current !== undefined);
    events.current?.send('chunk', { text: 'uno' });
    await until(() => out.text().includes('uno'));
    const [prelude, body] = out.text().split('\u0000'.repeat(8));
    expect(JSON.parse(prelude as string)).toEqual({ statusCode: 201, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    expect(body).toBe('event: chunk\ndata: {"text":"uno"}\n\n');
    events.current?.end();
    await run;
    await out.ended;
  });

  it('answers other events as toLambda does, as JSON, and uses the awslambda global by default', async () => {
    (globalThis as { awslambda?: unknown }).awslambda = streamingRuntime();
    const router = createRouter({ logger: memoryLogger().logger }).add(filesGroup({}));
    const handler = toLambdaStreaming(router) as (event: unknown, stream: Writable, context: object) => Promise<void>;
    const event = { messageVersion: '1.0', actionGroup: 'Files', function: 'plain', parameters: [], sessionAttributes: {}, promptSessionAttributes: {} };
    const out = collect();
    await handler(event, out.stream, {});
    await out.ended;
    expect(JSON.parse(out.text())).toEqual(await toLambda(router)(event));
  });

  it('outside the Lambda runtime it refuses at creation, saying what is missing', () => {
    expect(() => toLambdaStreaming(createRouter())).toThrow('toLambdaStreaming: the "awslambda" global of the Lambda Node.js runtime is missing; this handler runs only on Lambda (or pass options.runtime)');
  });
});
