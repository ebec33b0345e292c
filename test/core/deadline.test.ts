import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter } from '../../src/index.js';
import { STAMP_MS, unwatch, watch, watchedCount, type Deadline } from '../../src/core/deadline.js';
import { bedrockFunctionEvent, lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

type FnReply = { response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } } };
const bodyOf = (r: unknown) => JSON.parse((r as FnReply).response.functionResponse.responseBody.TEXT.body) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A 504 is never early, and late by at most the stamping delay plus the event loop's own lag; the
// machine running the suite may be loaded (the whole suite runs in parallel), so the bound is generous.
const LATE_MS = STAMP_MS + 250;

/** An operation that takes `ms` (never settles when `ms` is negative) under a 60 ms timeout, recording its signal. */
function timedGroup(signals: AbortSignal[]) {
  return actionGroup({ name: 'Timed', description: 'Timed calls' }).operation({
    name: 'wait',
    method: 'GET',
    path: '/wait',
    description: 'Waits',
    input: z.object({ ms: z.number().describe('How long the handler takes') }),
    timeoutMs: 60,
    handler: async ({ ms }, ctx) => {
      signals.push(ctx.signal);
      if (ms < 0) return new Promise<never>(() => {});
      await sleep(ms);
      return { waited: ms };
    },
  });
}

/** One group per timeout, so concurrent calls run under different deadlines. */
function routerWithTimeouts(timeouts: readonly number[], signals: AbortSignal[]) {
  const router = createRouter({ logger: memoryLogger().logger });
  for (const timeoutMs of timeouts) {
    router.add(
      actionGroup({ name: `T${timeoutMs}`, description: 'Timed' }).operation({
        name: 'wait',
        method: 'GET',
        path: '/wait',
        description: 'Waits',
        input: z.object({ ms: z.number().describe('How long the handler takes') }),
        timeoutMs,
        handler: async ({ ms }, ctx) => {
          signals.push(ctx.signal);
          await sleep(ms);
          return { waited: ms };
        },
      }),
      // The same HTTP route in every group: each under its own prefix, or adding it is refused.
      { prefix: `/t${timeoutMs}` },
    );
  }
  return router;
}

describe('operation timeouts on the shared deadline timer', () => {
  it('answers a handler that never settles with a 504 at the timeout, aborting ctx.signal with the same error', async () => {
    const signals: AbortSignal[] = [];
    const log = memoryLogger();
    const router = createRouter({ logger: log.logger }).add(timedGroup(signals));
    const started = performance.now();
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Timed', function: 'wait', parameters: { ms: -1 } }));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(59);
    expect(elapsed).toBeLessThan(60 + LATE_MS);
    expect((reply as FnReply).response.functionResponse.responseState).toBe('FAILURE');
    expect(bodyOf(reply)).toEqual({ error: { code: 'TIMEOUT', message: 'wait did not finish within 60 ms. Try again, or narrow the request.' } });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(ActionError);
    expect((signals[0]?.reason as ActionError).status).toBe(504);
    expect(log.lines.find((l) => l.message === 'operation failed')).toMatchObject({ level: 'error', status: 504, code: 'TIMEOUT', operation: 'wait' });
    expect(watchedCount()).toBe(0);
  });

  it('answers a slow handler with a 504 within tolerance and drops its late result', async () => {
    const signals: AbortSignal[] = [];
    const router = createRouter({ logger: memoryLogger().logger }).add(timedGroup(signals));
    const started = performance.now();
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Timed', function: 'wait', parameters: { ms: 200 } }));
    expect(performance.now() - started).toBeLessThan(60 + LATE_MS);
    expect(bodyOf(reply)).toMatchObject({ error: { code: 'TIMEOUT' } });
    expect(signals[0]?.aborted).toBe(true);
    await sleep(200); // the handler finishes now: nothing else happens, nothing stays watched
    expect(watchedCount()).toBe(0);
  });

  it('leaves fast handlers alone: their reply, an unaborted signal, nothing left watched', async () => {
    const signals: AbortSignal[] = [];
    const router = createRouter({ logger: memoryLogger().logger }).add(timedGroup(signals));
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Timed', function: 'wait', parameters: { ms: 5 } }));
    expect(bodyOf(reply)).toEqual({ waited: 5 });
    expect((reply as FnReply).response.functionResponse.responseState).toBeUndefined();
    await sleep(120); // well past the timeout
    expect(signals[0]?.aborted).toBe(false);
    expect(watchedCount()).toBe(0);
  });

  it('still caps the deadline by the Lambda time left, read when the call outlives the stamping delay', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(
      actionGroup({ name: 'Long', description: 'Long' }).operation({
        name: 'never',
        method: 'GET',
        path: '/never',
        description: 'Never settles',
        input: z.object({}),
        timeoutMs: 60_000,
        handler: () => new Promise<never>(() => {}),
      }),
    );
    const started = performance.now();
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Long', function: 'never' }), lambdaContext({ remainingMs: 600 }));
    const elapsed = performance.now() - started;
    // 600 ms left, less the 500 ms margin to reply.
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(100 + LATE_MS);
    expect(bodyOf(reply)).toMatchObject({ error: { code: 'TIMEOUT' } });
    // The budget is read at the stamp, a few milliseconds in: the message names what was left then.
    const within = Number(/^never did not finish within (\d+) ms\./.exec(String((bodyOf(reply).error as { message: string }).message))?.[1]);
    expect(within).toBeGreaterThan(100 - LATE_MS);
    expect(within).toBeLessThanOrEqual(100);
  });

  it('times many concurrent calls with different timeouts, each by its own deadline', async () => {
    const timeouts = [20, 45, 70, 95];
    const signals: AbortSignal[] = [];
    const router = routerWithTimeouts(timeouts, signals);
    // Durations well clear of the timeouts, so the expected answer is certain: a TIMEOUT reply itself
    // proves the expiry came before the slow handler's second.
    const calls = Array.from({ length: 240 }, (_, i) => {
      const timeoutMs = timeouts[i % timeouts.length] as number;
      const slow = i % 3 === 0;
      const ms = slow ? timeoutMs + 1_000 : Math.max(0, timeoutMs - 30 - (i % 7));
      return { timeoutMs, ms, slow };
    });
    const replies = await Promise.all(
      calls.map(async (c) => {
        const started = performance.now();
        const reply = await router.handle(bedrockFunctionEvent({ actionGroup: `T${c.timeoutMs}`, function: 'wait', parameters: { ms: c.ms } }));
        return { ...c, body: bodyOf(reply), at: performance.now() - started };
      }),
    );
    for (const r of replies) {
      if (r.slow) {
        expect(r.body).toEqual({ error: { code: 'TIMEOUT', message: `wait did not finish within ${r.timeoutMs} ms. Try again, or narrow the request.` } });
        expect(r.at).toBeGreaterThanOrEqual(r.timeoutMs - 1);
      } else {
        expect(r.body).toEqual({ waited: r.ms });
      }
    }
    // Each timeout's 504s come at that timeout: the typical one within the tolerance (the last of 20 at
    // once may also wait for the 19 replies written before it).
    for (const timeoutMs of timeouts) {
      const at = replies.filter((r) => r.slow && r.timeoutMs === timeoutMs).map((r) => r.at).sort((a, b) => a - b);
      expect(at[at.length >> 1]).toBeLessThan(timeoutMs + LATE_MS);
    }
    expect(signals.filter((s) => s.aborted)).toHaveLength(calls.filter((c) => c.slow).length);
    expect(watchedCount()).toBe(0);
  });

  it('keeps nothing behind across thousands of calls', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(
      actionGroup({ name: 'Quick', description: 'Quick' }).operation({
        name: 'quick',
        method: 'GET',
        path: '/quick',
        description: 'Quick',
        input: z.object({ n: z.number().describe('A number') }),
        timeoutMs: 10_000,
        handler: async ({ n }) => ({ n }),
      }),
    );
    const event = (n: number) => bedrockFunctionEvent({ actionGroup: 'Quick', function: 'quick', parameters: { n } });
    for (let i = 0; i < 3_000; i++) expect(bodyOf(await router.handle(event(i)))).toEqual({ n: i });
    const concurrent = await Promise.all(Array.from({ length: 3_000 }, (_, i) => router.handle(event(i))));
    expect(concurrent.map((r) => bodyOf(r).n)).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    expect(watchedCount()).toBe(0);
  });
});

/** A bare entry for the timer itself. */
function entry(ms: number, onExpire: (e: Deadline) => void, budget?: number): Deadline {
  const e: Deadline = { ms, at: 0, index: -1, stamped: false, budget: () => budget, expire: () => onExpire(e) };
  return e;
}

describe('the deadline timer', () => {
  it('expires every entry still watched, never early, and none that was unwatched in time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ ms: fc.integer({ min: 0, max: 40 }), keep: fc.boolean() }), { minLength: 1, maxLength: 40 }), async (specs) => {
        const started = performance.now();
        const expired = new Set<number>();
        const at: number[] = [];
        const entries = specs.map((spec, i) => {
          const e = entry(spec.ms, () => {
            expired.add(i);
            at[i] = performance.now() - started;
          });
          watch(e);
          return e;
        });
        // Of those not kept, half are unwatched at once (before any stamp), the rest after a stamp: by then
        // the shortest may have expired, which their unwatch must then report.
        const stopped = new Set<number>();
        specs.forEach((spec, i) => {
          if (!spec.keep && i % 2 === 0) {
            expect(unwatch(entries[i] as Deadline)).toBe(true);
            stopped.add(i);
          }
        });
        await sleep(STAMP_MS + 2);
        specs.forEach((spec, i) => {
          if (!spec.keep && i % 2 === 1 && unwatch(entries[i] as Deadline)) stopped.add(i);
        });
        await sleep(40 + LATE_MS);
        specs.forEach((spec, i) => {
          expect(expired.has(i)).toBe(!stopped.has(i));
          if (expired.has(i)) expect(at[i]).toBeGreaterThanOrEqual(spec.ms - 1);
        });
        expect(watchedCount()).toBe(0);
        for (const e of entries) expect(unwatch(e)).toBe(false);
      }),
      { numRuns: 15 },
    );
  });

  it('takes the smaller of the timeout and the outer budget', async () => {
    const expired: number[] = [];
    const started = performance.now();
    watch(entry(5_000, () => expired.push(performance.now() - started), 30));
    watch(entry(20, () => expired.push(performance.now() - started), 5_000));
    await sleep(30 + LATE_MS);
    expect(expired).toHaveLength(2);
    expect(expired[0]).toBeGreaterThanOrEqual(19);
    expect(expired[1]).toBeGreaterThanOrEqual(29);
  });

  it('never keeps the process alive, and keeps the other deadlines when an expiry throws', async () => {
    // In a child process: the exit itself is what is tested, and the throw must not reach this runner.
    const script = `
      import { watch } from ${JSON.stringify(fileURLToPath(new URL('../../src/core/deadline.ts', import.meta.url)))};
      const entry = (ms, expire) => ({ ms, at: 0, index: -1, stamped: false, budget: () => undefined, expire });
      process.on('uncaughtException', (error) => console.log('uncaught: ' + error.message));
      watch(entry(10, () => { console.log('first'); throw new Error('expiry failed'); }));
      watch(entry(40, () => console.log('second')));
      watch(entry(60000, () => console.log('never')));
      // Something else keeps the process up long enough for the short deadlines, then lets it go.
      setTimeout(() => console.log('done'), 40 + ${LATE_MS});`;
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 20_000 });
    expect(stdout.trim().split('\n')).toEqual(['first', 'uncaught: expiry failed', 'second', 'done']);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
