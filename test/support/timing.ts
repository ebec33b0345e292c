import { expect } from 'vitest';

/** Wall times of `runs` calls of `work`, in milliseconds, sorted. */
function timesMs(work: () => unknown, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** Median wall time of `runs` calls of `work`, in milliseconds. */
export function medianMs(work: () => unknown, runs = 3): number {
  return timesMs(work, runs)[Math.floor(runs / 2)] as number;
}

/** Below this a time is noise on a shared machine: ratios are taken against at least this much. */
const FLOOR_MS = 25;
const ATTEMPTS = 3;

/**
 * Asserts that `work` grows linearly from input `make(small)` to `make(large)` (4× the size): the large
 * input's median time is under `maxMs`, and its best time under `ratio` (6) times the small one's — a
 * quadratic pattern takes 16×. Five runs of each after a warm-up; other processes only ever add time, so
 * the ratio compares best times and a pair spoiled by noise is measured again (up to three times: a
 * super-linear pattern fails every one). A first run of either input over `maxMs` fails at once, so a
 * super-linear pattern fails in seconds rather than minutes.
 */
export function expectLinear<T>(work: (input: T) => unknown, make: (chars: number) => T, { small = 100_000, large = 400_000, maxMs = 1000, ratio = 6 } = {}): { smallMs: number; largeMs: number } {
  work(make(small / 10));
  const a = make(small);
  expect(medianMs(() => work(a), 1), `first run on ${small} characters`).toBeLessThan(maxMs);
  const b = make(large);
  expect(medianMs(() => work(b), 1), `first run on ${large} characters`).toBeLessThan(maxMs);
  for (let attempt = 1; ; attempt++) {
    const smallTimes = timesMs(() => work(a), 5);
    const largeTimes = timesMs(() => work(b), 5);
    const smallMs = smallTimes[0] as number;
    const largeMs = largeTimes[0] as number;
    if (largeMs < ratio * Math.max(smallMs, FLOOR_MS) || attempt === ATTEMPTS) {
      expect(largeTimes[2], `median on ${large} characters`).toBeLessThan(maxMs);
      expect(largeMs, `best on ${large} characters vs ${smallMs.toFixed(1)} ms on ${small}`).toBeLessThan(ratio * Math.max(smallMs, FLOOR_MS));
      return { smallMs, largeMs };
    }
  }
}

/**
 * Resolves once `condition()` holds, checking every 5 ms; rejects naming `what` after `timeoutMs`, so a
 * test waiting on something that never happens fails instead of hanging.
 */
export async function until(condition: () => boolean, what = 'the condition held', timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
