import { execFile } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter } from '../../src/index.js';
import { createServer, toNodeHandler } from '../../src/adapters/node.js';
import { memoryLogger } from '../support/logger.js';
import { until } from '../support/timing.js';
import { close, listen, rawExchange } from './sockets.js';

/** A group whose `wait` operation finishes when the test says so. */
function gatedRouter() {
  const gates: Array<() => void> = [];
  const group = actionGroup({ name: 'Gate', description: 'Slow things' })
    .operation({
      name: 'wait',
      method: 'GET',
      path: '/wait',
      description: 'Waits for the test.',
      input: z.object({}),
      handler: () => new Promise<{ done: true }>((resolve) => gates.push(() => resolve({ done: true }))),
    })
    .operation({ name: 'ping', method: 'GET', path: '/ping', description: 'Pong.', input: z.object({}), handler: () => ({ pong: true }) })
    .operation({ name: 'echo', method: 'POST', path: '/echo', description: 'Echo.', input: z.object({ a: z.number().describe('A') }), handler: (input) => input });
  return { router: createRouter({ logger: memoryLogger().logger }).add(group), gates };
}

describe('node adapter: server lifecycle', () => {
  it('shutdown() stops accepting, lets in-flight requests finish (closing their connection), then resolves', async () => {
    const { router, gates } = gatedRouter();
    const server = createServer(router);
    const base = await listen(server);
    const inFlight = fetch(`${base}/wait`);
    await until(() => gates.length === 1, 'the request reached the handler');
    let closed = false;
    const shutdown = server.shutdown(5_000).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    await expect(fetch(`${base}/ping`)).rejects.toThrow(); // no longer accepting
    gates[0]!();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true });
    await shutdown;
    expect(closed).toBe(true);
    expect(server.listening).toBe(false);
  });

  it('shutdown(graceMs) cuts requests still running after the grace period', async () => {
    const { router, gates } = gatedRouter();
    const server = createServer(router);
    const base = await listen(server);
    const stuck = fetch(`${base}/wait`).then(
      () => 'answered',
      () => 'cut',
    );
    await until(() => gates.length === 1, 'the request reached the handler');
    const started = Date.now();
    await server.shutdown(150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await stuck).toBe('cut');
  });

  it('shutdown() resolves on a server that never listened', async () => {
    await expect(createServer(gatedRouter().router).shutdown()).resolves.toBeUndefined();
  });

  it('answers 408 when a request body stalls past requestTimeout, and keeps serving', async () => {
    const server = createServer(gatedRouter().router, { requestTimeout: 300 });
    const base = await listen(server);
    try {
      const started = Date.now();
      const reply = await rawExchange(base, `POST /echo HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`, 5_000);
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await fetch(`${base}/ping`)).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  it('toNodeHandler plugs into any node server', async () => {
    const server = createHttpServer(toNodeHandler(gatedRouter().router));
    const base = await listen(server);
    try {
      expect(await (await fetch(`${base}/ping`)).json()).toEqual({ pong: true });
    } finally {
      await close(server);
    }
  });

  it('refuses, when created, a router whose groups serve the same method and path', () => {
    const make = (name: string) => actionGroup({ name, description: name }).operation({ name: 'get', method: 'GET', path: '/x', description: 'x', input: z.object({}), handler: () => 1 });
    expect(() => createRouter().add(make('A')).add(make('B'))).toThrow('HTTP routes: GET /x is served by "A.get" and "B.get"');
    // A clash that appears after both groups were added (an operation defined later) fails here.
    const late = actionGroup({ name: 'B', description: 'B' });
    const router = createRouter({ logger: memoryLogger().logger }).add(make('A')).add(late);
    late.operation({ name: 'get', method: 'GET', path: '/x', description: 'x', input: z.object({}), handler: () => 1 });
    expect(() => createServer(router)).toThrow('HTTP routes: GET /x is served by "A.get" and "B.get"; mount one of the groups under a prefix (router.add(group, { prefix }))');
    expect(() => toNodeHandler(router)).toThrow('HTTP routes: GET /x');
  });
});

/** `gc()` even when node was started without --expose-gc (vitest's workers are). */
function forceGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function settledRss(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

/** Runs the autocannon CLI in its own process, so the load generator's memory is not counted as ours. */
function loadGenerator(url: string, requests: number, connections: number): Promise<{ requests: { total: number; average: number }; errors: number; timeouts: number; non2xx: number; '2xx': number; duration: number }> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, '-c', String(connections), '-a', String(requests), '-j', url], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout));
    });
  });
}

describe('node adapter: load', () => {
  it('serves 10 000 requests over 100 concurrent connections with zero errors and flat memory', async () => {
    const group = actionGroup({ name: 'Load', description: 'Load' }).operation({
      name: 'getOrder',
      method: 'GET',
      path: '/orders/{orderId}',
      description: 'Trivial.',
      input: z.object({ orderId: z.string().describe('Order id') }),
      handler: ({ orderId }) => ({ orderId, status: 'shipped' }),
    });
    const server = createServer(createRouter({ logger: memoryLogger().logger }).add(group));
    const base = await listen(server);
    try {
      const gc = forceGc();
      await loadGenerator(`${base}/orders/A-1`, 1_000, 100); // warm-up: JIT, pools
      const before = settledRss(gc);
      const started = performance.now();
      const result = await loadGenerator(`${base}/orders/A-1`, 10_000, 100);
      const seconds = (performance.now() - started) / 1000;
      const after = settledRss(gc);
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      console.log(
        `load: ${result.requests.total} requests, 100 connections, ${seconds.toFixed(2)} s (${Math.round(result.requests.total / seconds)} req/s); ` +
          `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; RSS ${mb(before)} MB -> ${mb(after)} MB (${after >= before ? '+' : ''}${mb(after - before)} MB)`,
      );
      expect(result.requests.total).toBeGreaterThanOrEqual(10_000);
      expect(result['2xx']).toBe(result.requests.total);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(result.non2xx).toBe(0);
      expect(after - before).toBeLessThan(50 * 1024 * 1024);
    } finally {
      await server.shutdown(1_000);
    }
  }, 60_000);
});
