import { expect } from 'vitest';

/** Median wall time of `runs` calls of `work`, in milliseconds. */
export function medianMs(work: () => unknown, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

/** Below this a time is noise on a shared machine: ratios are taken against at least this much. */
const FLOOR_MS = 25;

/**
 * Asserts that `work` grows linearly over inputs `make(small)` and `make(large)` (4× the size): the large
 * input takes under `maxMs` and under `ratio` (6) times the small one (a quadratic pattern takes 16×).
 * Medians of five runs after a warm-up; a first run of the small input over `maxMs` fails at once, so a
 * super-linear pattern fails in seconds rather than minutes.
 */
export function expectLinear<T>(work: (input: T) => unknown, make: (chars: number) => T, { small = 100_000, large = 400_000, maxMs = 1000, ratio = 6 } = {}): { smallMs: number; largeMs: number } {
  work(make(small / 10));
  const a = make(small);
  const first = medianMs(() => work(a), 1);
  expect(first, `first run on ${small} characters`).toBeLessThan(maxMs);
  const b = make(large);
  const smallMs = medianMs(() => work(a), 5);
  const largeMs = medianMs(() => work(b), 5);
  expect(largeMs, `${large} characters`).toBeLessThan(maxMs);
  expect(largeMs, `${large} characters vs ${smallMs.toFixed(1)} ms for ${small}`).toBeLessThan(ratio * Math.max(smallMs, FLOOR_MS));
  return { smallMs, largeMs };
}
