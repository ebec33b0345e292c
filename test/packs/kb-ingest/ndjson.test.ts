import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../../src/packs/kb-ingest/instant.js';
import { emptyStats, NdjsonLineError, scanNdjson } from '../../../src/packs/kb-ingest/ndjson.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Cuts `bytes` at the given offsets, as a network might. */
async function* chunks(bytes: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    yield new Uint8Array(bytes.subarray(from, cut)); // a plain Uint8Array, as fetch gives
    from = cut;
  }
  if (from < bytes.length) yield bytes.subarray(from);
}

async function scan(text: string, cuts: number[] = [], options: Parameters<typeof scanNdjson>[1] = { maxLineBytes: 1 << 20 }) {
  const stats = emptyStats();
  const out: Buffer[] = [];
  for await (const piece of scanNdjson(chunks(Buffer.from(text, 'utf8'), cuts), options, stats)) out.push(piece);
  return { bytes: Buffer.concat(out), stats };
}

const timestamp = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('.000Z', 'Z'));
const record = fc.record({ id: fc.string({ maxLength: 8 }), subject: fc.string({ maxLength: 40 }), closed_at: timestamp });
const ending = fc.constantFrom('\n', '\r\n');

describe('scanNdjson', () => {
  it('passes every byte through unchanged, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(record, ending, fc.boolean()), { minLength: 1, maxLength: 30 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 40 }), async (rows, finalNewline, rawCuts) => {
        let text = '';
        rows.forEach(([r, eol, blank], i) => {
          text += JSON.stringify(r) + (i === rows.length - 1 && !finalNewline ? '' : eol);
          if (blank && i < rows.length - 1) text += eol;
        });
        const size = Buffer.byteLength(text);
        const { bytes, stats } = await scan(text, rawCuts.map((c) => c % (size + 1)));
        expect(bytes.toString('utf8')).toBe(text);
        expect(stats.records).toBe(rows.length);
        const max = Math.max(...rows.map(([r]) => Date.parse(r.closed_at)));
        expect(stats.maxClosedAtMs).toBe(max);
        const atMax = rows.filter(([r]) => Date.parse(r.closed_at) === max).map(([r]) => sha(JSON.stringify(r)));
        expect([...stats.boundary].sort()).toEqual([...new Set(atMax)].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('names the bad line by its number, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), fc.nat(), fc.array(fc.nat(), { maxLength: 20 }), async (rows, at, rawCuts) => {
        const lines = rows.map((r) => JSON.stringify(r));
        const bad = at % (lines.length + 1);
        lines.splice(bad, 0, '{"id": "broken"');
        const text = lines.join('\n') + '\n';
        const size = Buffer.byteLength(text);
        const error = await scan(text, rawCuts.map((c) => c % (size + 1))).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NdjsonLineError);
        expect((error as NdjsonLineError).line).toBe(bad + 1);
      }),
      { numRuns: 100 },
    );
  });

  it('holds at most one line in memory however many lines share the largest closed_at (hashed as they stream)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const LINES = 200;
    const padding = 'x'.repeat(1 << 20); // 1 MiB of text per record
    const hashes: string[] = [];
    let baseline = 0;
    let retained = 0;
    let sent = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      gc();
      baseline = process.memoryUsage().heapUsed;
      for (let i = 0; i < LINES; i++) {
        const line = JSON.stringify({ id: `T-${i}`, closed_at: '2024-05-02T10:00:00Z', body: padding });
        hashes.push(sha(line));
        sent += line.length + 1;
        yield Buffer.from(`${line}\n`);
      }
      // Every line has been inspected; whatever the scanner still holds is on the heap now.
      gc();
      retained = process.memoryUsage().heapUsed - baseline;
    }
    const stats = emptyStats();
    let passed = 0;
    for await (const piece of scanNdjson(source(), { maxLineBytes: 2 << 20 }, stats)) passed += piece.length;

    expect(passed).toBe(sent);
    expect(stats.records).toBe(LINES);
    expect([...stats.boundary].sort()).toEqual([...new Set(hashes)].sort());
    // Before: up to 255 whole lines (here 200 MiB) waited to be hashed. Now: about one line.
    expect(retained).toBeLessThan(16 * (1 << 20));
  });

  it('drops only the identical records already delivered at the watermark instant', async () => {
    const seenLine = JSON.stringify({ id: 'A', closed_at: '2024-05-02T10:00:00Z' });
    const sameIdChanged = JSON.stringify({ id: 'A', closed_at: '2024-05-02T10:00:00Z', note: 'edited' });
    const later = JSON.stringify({ id: 'B', closed_at: '2024-05-02T11:00:00Z' });
    const text = `${seenLine}\r\n${sameIdChanged}\n${seenLine}\n${later}`;
    const { bytes, stats } = await scan(text, [3, 50, 51], { maxLineBytes: 1000, seen: { atMs: Date.parse('2024-05-02T10:00:00Z'), hashes: new Set([sha(seenLine)]) } });
    expect(bytes.toString()).toBe(`${sameIdChanged}\n${later}`);
    expect(stats).toMatchObject({ lines: 4, records: 2, skipped: 2, maxClosedAt: '2024-05-02T11:00:00Z' });
    expect([...stats.boundary]).toEqual([sha(later)]);
  });

  it('refuses a line longer than maxLineBytes, even one that never ends', async () => {
    const long = `{"id":"${'x'.repeat(300)}"}`;
    await expect(scan(`{"id":"a"}\n${long}\n`, [5, 20, 100], { maxLineBytes: 100 })).rejects.toThrow('line 2 of the export is longer than 100 bytes');
    await expect(scan(`{"id":"a"}\n${'x'.repeat(500)}`, [20, 60, 120, 180, 240], { maxLineBytes: 100 })).rejects.toThrow('line 2 of the export is longer than 100 bytes');
  });

  it('counts records without a usable closed_at but does not let them move the maximum', async () => {
    const { stats } = await scan('{"id":1}\n{"id":2,"closed_at":"soon"}\n{"id":3,"closed_at":"2024-05-02"}\n');
    expect(stats).toMatchObject({ records: 3, withoutClosedAt: 2, maxClosedAt: '2024-05-02' });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2024-05-02', Date.UTC(2024, 4, 2)],
    ['2024-05-02T10:00:00Z', Date.UTC(2024, 4, 2, 10)],
    ['2024-05-02T10:00:00', Date.UTC(2024, 4, 2, 10)],
    ['2024-05-02 10:00:00.123456', Date.UTC(2024, 4, 2, 10, 0, 0, 123)],
    ['2024-05-02T10:00+02:00', Date.UTC(2024, 4, 2, 8)],
    ['2024-05-02T10:00:00-0600', Date.UTC(2024, 4, 2, 16)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s', (text, expected) => expect(parseInstant(text)).toBe(expected));

  it.each(['', 'yesterday', '2024-02-30', '2023-02-29', '2024-13-01', '2024-05-02T25:00:00Z', '02/05/2024', '2024-05-02T10:00:00Zjunk'])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeNaN();
  });
});
