// One client sending megabyte bodies that used to stall the event loop (a number field given 1 MB of
// digits and a letter: the old pattern backtracked quadratically) does not delay another client's
// GET /health. The server runs in its own process, so its event loop is measured, not the test's.
import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MB = 1_000_000;
let child: ChildProcess;
let port: number;
let dir: string;

beforeAll(async () => {
  // The fixture imports the TypeScript sources: bundle it so the child runs exactly this code.
  dir = mkdtempSync(join(tmpdir(), 'stall-'));
  const bundle = await build({ entryPoints: [fileURLToPath(new URL('./fixtures/stall-server.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent' });
  const file = join(dir, 'server.mjs');
  writeFileSync(file, bundle.outputFiles[0]!.text);
  child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    // A server stuck in a stall never sees the disconnect: stop it.
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(kill);
  }
  rmSync(dir, { recursive: true, force: true });
});

/** One request to the child server; resolves status, body and milliseconds (a 2 s timeout counts as 2 000 ms). */
function send(method: string, path: string, body?: string): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: 2_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, text: '', ms: performance.now() - started }));
    req.end(body);
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] as number;

/** Latencies of GET /health while one client sends hostile bodies, one every 20 ms after each answer. */
async function round(hostile: readonly string[]): Promise<{ busy: number[]; sent: number; statuses: Set<number> }> {
  let flooding = true;
  let sent = 0;
  const statuses = new Set<number>();
  // Bounded: at most 400 bodies, some 25 MB a second, each once enough to hold the old coercer for hours.
  const flood = (async () => {
    while (flooding && sent < 400) {
      const r = await send('POST', '/measures', hostile[sent++ % hostile.length]);
      statuses.add(r.status);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  const busy: number[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await send('GET', '/health');
    expect(r.status).toBe(200);
    busy.push(r.ms);
    await new Promise((res) => setTimeout(res, 2));
  }
  flooding = false;
  await flood;
  return { busy, sent, statuses };
}

describe('no event-loop stall from hostile bodies', () => {
  it('keeps GET /health under 50 ms p99 while another client sends 1 MB number fields', async () => {
    const hostile = [JSON.stringify({ value: '1'.repeat(MB) + 'x' }), JSON.stringify({ value: 1, flags: ','.repeat(MB - 20) })];
    for (const body of hostile) expect((await send('POST', '/measures', body)).status).toBe(400); // warm-up, and the answer
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) idle.push((await send('GET', '/health')).ms);
    // Other processes on a shared machine only ever add latency: a round under the bound shows the
    // server was never stalled (before the fix every probe timed out). Up to three rounds.
    let p99 = Infinity;
    for (let attempt = 1; attempt <= 3 && !(p99 < 50); attempt++) {
      const { busy, sent, statuses } = await round(hostile);
      p99 = percentile(busy, 99);
      console.log(
        `stall round ${attempt}: GET /health p50 ${percentile(idle, 50).toFixed(1)} / p99 ${percentile(idle, 99).toFixed(1)} ms idle; ` +
          `p50 ${percentile(busy, 50).toFixed(1)} / p99 ${p99.toFixed(1)} ms while ${sent} hostile 1 MB bodies were sent`,
      );
      expect([...statuses]).toEqual([400]);
      expect(sent).toBeGreaterThanOrEqual(10);
    }
    expect(p99).toBeLessThan(50);
  }, 120_000);
});
