import { describe, expect, it } from 'vitest';
import { readCapped } from '../../src/util/body.js';

/** A stream of the given chunks that counts how many were pulled. */
function chunked(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let at = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at < chunks.length) controller.enqueue(chunks[at++] as Uint8Array);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => at, cancelled: () => cancelled };
}

const bytes = (n: number, fill = 0x61) => new Uint8Array(n).fill(fill);

describe('readCapped', () => {
  it('reads a body of exactly the limit, in one chunk or several', async () => {
    expect(await readCapped(chunked([bytes(100)]).stream, 100)).toEqual(bytes(100));
    const several = await readCapped(chunked([bytes(40), bytes(60), bytes(0)]).stream, 100);
    expect(several).toEqual(bytes(100));
  });

  it('refuses a body one byte over the limit, and cancels the producer instead of reading on', async () => {
    const one = chunked([bytes(101)]);
    expect(await readCapped(one.stream, 100)).toBeUndefined();
    expect(one.cancelled()).toBe(true);
    const split = chunked([bytes(50), bytes(51), bytes(1_000), bytes(1_000)]);
    expect(await readCapped(split.stream, 100)).toBeUndefined();
    expect(split.pulled()).toBe(2);
    expect(split.cancelled()).toBe(true);
  });

  it('counts bytes, not characters: multi-byte UTF-8 text at and over the limit', async () => {
    const utf8 = new TextEncoder();
    const exact = utf8.encode('é'.repeat(50)); // 100 bytes, 50 characters
    expect(await readCapped(chunked([exact]).stream, 100)).toEqual(exact);
    expect(await readCapped(chunked([utf8.encode(`${'é'.repeat(50)}a`)]).stream, 100)).toBeUndefined();
  });

  it('reads a missing body as empty', async () => {
    expect(await readCapped(null, 10)).toEqual(new Uint8Array(0));
  });
});
