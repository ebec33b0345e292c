// router.mount hands its handler the whole body, read only up to a limit: the mount's `maxBodyBytes`,
// else the router's. Over real sockets, through the node adapter and Express behind express.json().
import { createServer as createNodeServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type Router } from '../../src/index.js';
import { createServer } from '../../src/adapters/node.js';
import { toExpress } from '../../src/adapters/express.js';
import { diskBlobs } from '../../src/stores/index.js';
import { memoryLogger } from '../support/logger.js';
import { close, listen, rawRequest } from '../adapters/sockets.js';

const LIMIT = 1000;

/** A compact JSON object of exactly `size` bytes (a body parser's re-serialisation gives the same bytes). */
function jsonOf(size: number): string {
  const text = `{"t":"${'x'.repeat(size - 8)}"}`;
  expect(Buffer.byteLength(text)).toBe(size);
  return text;
}

const tooLarge = (limit: number, prefix: string) => ({
  error: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${limit} bytes, the limit of the handler mounted at ${prefix}. Send less data.`, details: { limitBytes: limit } },
});

/** A router whose `/upload` mount reports what it was handed; `seen` lists every call of the handler. */
function echoRouter() {
  const seen: { method: string; length: number; contentLength: string | null }[] = [];
  const router = createRouter({ logger: memoryLogger().logger }).mount(
    '/upload',
    async (request) => {
      const length = (await request.arrayBuffer()).byteLength;
      seen.push({ method: request.method, length, contentLength: request.headers.get('content-length') });
      return Response.json({ length });
    },
    { maxBodyBytes: LIMIT },
  );
  return { router, seen };
}

const SERVERS: { name: string; serve: (router: Router) => Server }[] = [
  { name: 'node adapter', serve: (router) => createServer(router) },
  {
    name: 'Express behind express.json()',
    serve: (router) => {
      const app = express();
      app.use(express.json({ limit: '1mb' }));
      app.use(toExpress(router));
      return createNodeServer(app);
    },
  },
];

for (const { name, serve } of SERVERS) {
  describe(`router.mount body limit over a real socket: ${name}`, () => {
    const { router, seen } = echoRouter();
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = serve(router);
      base = await listen(server);
    });
    afterAll(() => close(server));

    const send = (size: number, chunked: boolean) => {
      const body = jsonOf(size);
      const headers = { 'content-type': 'application/json' };
      // Chunked: no Content-Length, the body in pieces, so the limit is found while reading.
      return chunked
        ? rawRequest(base, { method: 'POST', path: '/upload', headers, chunks: [body.slice(0, 400), body.slice(400, 800), body.slice(800)] })
        : rawRequest(base, { method: 'POST', path: '/upload', headers: { ...headers, 'content-length': String(size) }, body });
    };

    for (const chunked of [false, true]) {
      const how = chunked ? 'chunked' : 'declared by Content-Length';
      it(`${how}: exactly the limit reaches the handler whole; one byte more is a 413 and the handler is not called`, async () => {
        const before = seen.length;
        const ok = await send(LIMIT, chunked);
        expect([ok.status, JSON.parse(ok.text)]).toEqual([200, { length: LIMIT }]);
        expect(seen.slice(before)).toEqual([{ method: 'POST', length: LIMIT, contentLength: String(LIMIT) }]);
        const over = await send(LIMIT + 1, chunked);
        expect(over.status).toBe(413);
        expect(over.headers['content-type']).toBe('application/json');
        expect(JSON.parse(over.text)).toEqual(tooLarge(LIMIT, '/upload'));
        expect(seen.length).toBe(before + 1);
      });
    }

    it('a GET is handed over without waiting for a body', async () => {
      const got = await rawRequest(base, { path: '/upload' });
      expect([got.status, JSON.parse(got.text)]).toEqual([200, { length: 0 }]);
    });
  });
}

describe('router.mount body limit: defaults, options and the routes behind a mount', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bag-mount-limit-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("without its own maxBodyBytes a mount takes the router's; with it, a presigned disk upload larger than the JSON limit goes through", async () => {
    const blobs = diskBlobs({ dir });
    const file = new Uint8Array(3000).fill(7);
    for (const [mountLimit, status] of [[undefined, 413], [4000, 201]] as const) {
      const router = createRouter({ logger: memoryLogger().logger, maxBodyBytes: LIMIT }).mount('/blobs/', blobs.serve, mountLimit ? { maxBodyBytes: mountLimit } : {});
      const server = createServer(router);
      const base = await listen(server);
      try {
        const upload = await blobs.presignUpload({ key: `u1/f-${status}.bin`, contentType: 'application/octet-stream', maxBytes: 5000 });
        const put = await fetch(`${base}${upload.url}`, { method: 'PUT', headers: upload.headers, body: file });
        expect(put.status).toBe(status);
        if (status === 413) expect(await put.json()).toEqual(tooLarge(LIMIT, '/blobs'));
        else expect(await put.json()).toMatchObject({ key: 'u1/f-201.bin', size: 3000 });
      } finally {
        await close(server);
      }
    }
  });

  it('router.fetch: a streamed body over the limit is a 413 before the handler runs', async () => {
    const { router, seen } = echoRouter();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(jsonOf(LIMIT + 1)));
        controller.close();
      },
    });
    const res = await router.fetch(new Request('http://x/upload', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit));
    expect([res.status, await res.json()]).toEqual([413, tooLarge(LIMIT, '/upload')]);
    expect(seen).toEqual([]);
  });

  it('a handler that passes (undefined) leaves the body it was handed to the route behind it', async () => {
    const echo = actionGroup({ name: 'Echo', description: 'Echo' }).operation({
      name: 'echo', method: 'POST', path: '/app/echo', description: 'Echo the text.',
      input: z.object({ t: z.string().describe('Text') }), handler: ({ t }) => ({ t }),
    });
    const router = createRouter({ logger: memoryLogger().logger }).add(echo).mount('/app', () => undefined);
    const server = createServer(router);
    const base = await listen(server);
    try {
      for (const chunks of [undefined, ['{"t":', '"hola"}']]) {
        const reply = await rawRequest(base, { method: 'POST', path: '/app/echo', headers: { 'content-type': 'application/json' }, ...(chunks ? { chunks } : { body: '{"t":"hola"}' }) });
        expect([reply.status, JSON.parse(reply.text)]).toEqual([200, { t: 'hola' }]);
      }
    } finally {
      await close(server);
    }
  });

  it('refuses a maxBodyBytes that is not a positive integer, naming it', () => {
    const router = createRouter();
    for (const bad of [0, -1, 1.5, '10' as never]) {
      expect(() => router.mount('/x', () => undefined, { maxBodyBytes: bad })).toThrow(`router.mount: "maxBodyBytes" must be a positive integer (bytes), not ${JSON.stringify(bad)}`);
    }
  });
});
