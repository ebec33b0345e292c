import { createHash } from 'node:crypto';
import { parseInstant } from './instant.js';

/** A line of the export that is not a JSON object (or is too long): the run fails naming it. */
export class NdjsonLineError extends Error {
  /** 1-based line number, counting blank lines, as an editor shows it. */
  readonly line: number;
  constructor(line: number, problem: string) {
    super(`line ${line} of the export ${problem}`);
    this.name = 'NdjsonLineError';
    this.line = line;
  }
}

/** Records already delivered at the watermark instant: skipped when an inclusive `since` repeats them. */
export interface SeenAtWatermark {
  /** The watermark instant, epoch ms. */
  atMs: number;
  /** sha256 (hex) of each record line delivered at that instant. */
  hashes: ReadonlySet<string>;
}

/** What {@link scanNdjson} learned, filled in while the bytes flow. */
export interface ScanStats {
  /** Lines read, blank ones included. */
  lines: number;
  /** JSON records passed on. */
  records: number;
  /** Records dropped because they were delivered by the previous run. */
  skipped: number;
  /** Records without a `closed_at` that parses as an ISO date-time (passed on; they cannot move the watermark). */
  withoutClosedAt: number;
  /** The largest `closed_at`, as written by the source. */
  maxClosedAt?: string;
  /** `maxClosedAt` as epoch ms. */
  maxClosedAtMs?: number;
  /** sha256 (hex) of every record whose `closed_at` equals `maxClosedAt` (skipped ones included). */
  boundary: Set<string>;
}

/** Options of {@link scanNdjson}. */
export interface ScanOptions {
  /** Longest line accepted, in bytes; a longer one fails the run instead of growing memory without bound. */
  maxLineBytes: number;
  /** Records to drop because the previous run delivered them. */
  seen?: SeenAtWatermark;
}

const LF = 0x0a;
const CR = 0x0d;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Passes an NDJSON byte stream through unchanged (minus records in `seen`) while checking that every
 * non-blank line is a JSON object and tracking the largest `closed_at`. Bytes are yielded as views of the
 * incoming chunks, never copied, and a line split across chunks is joined once when it completes, so
 * memory stays at one chunk plus one line. LF and CRLF endings, blank lines and a last line without a
 * newline are accepted. Throws {@link NdjsonLineError} on the first bad line.
 */
export async function* scanNdjson(source: AsyncIterable<Uint8Array>, options: ScanOptions, stats: ScanStats): AsyncGenerator<Buffer> {
  const { maxLineBytes, seen } = options;
  let maxMs = Number.NEGATIVE_INFINITY;
  // The line that set the current maximum, hashed only once a second line shares its instant: sorted
  // exports advance the maximum on nearly every line, so they never pay for a hash, while lines that do
  // share the instant are hashed as they stream — at most one line is ever held, however many share it.
  let pending: string | undefined;
  const flush = () => {
    if (pending !== undefined) stats.boundary.add(hash(pending));
    pending = undefined;
  };

  /** Checks one line (without its LF); returns false when the record must be dropped. */
  const inspect = (line: Buffer): boolean => {
    const number = ++stats.lines;
    const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (end > maxLineBytes) throw new NdjsonLineError(number, `is longer than ${maxLineBytes} bytes`);
    const text = line.toString('utf8', 0, end);
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      if (text.trim() === '') return true; // blank line: kept as is, not a record
      throw new NdjsonLineError(number, 'is not valid JSON');
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new NdjsonLineError(number, 'is not a JSON object');
    const closedAt = (record as { closed_at?: unknown }).closed_at;
    const ms = typeof closedAt === 'string' ? parseInstant(closedAt) : Number.NaN;
    if (Number.isNaN(ms)) {
      stats.withoutClosedAt++;
      stats.records++;
      return true;
    }
    let digest: string | undefined;
    const digestOf = () => (digest ??= hash(text));
    if (ms > maxMs) {
      maxMs = ms;
      stats.maxClosedAt = closedAt as string;
      stats.maxClosedAtMs = ms;
      stats.boundary.clear();
      pending = text;
    } else if (ms === maxMs) {
      flush();
      stats.boundary.add(digestOf());
    }
    if (seen && ms === seen.atMs && seen.hashes.has(digestOf())) {
      stats.skipped++;
      return false;
    }
    stats.records++;
    return true;
  };

  let carry: Buffer[] = [];
  let carryBytes = 0;
  for await (const raw of source) {
    const chunk = asBuffer(raw);
    let nl = chunk.indexOf(LF);
    if (nl === -1) {
      carry.push(chunk);
      carryBytes += chunk.length;
      if (carryBytes > maxLineBytes + 1) throw new NdjsonLineError(stats.lines + 1, `is longer than ${maxLineBytes} bytes`);
      continue;
    }
    const out: Buffer[] = [];
    let keepFrom = 0; // start of the run of kept bytes in this chunk not yet handed on
    let lineStart = 0;
    while (nl !== -1) {
      const joined = carry.length > 0 && lineStart === 0;
      const line = joined ? Buffer.concat([...carry, chunk.subarray(0, nl)]) : chunk.subarray(lineStart, nl);
      const keep = inspect(line);
      if (joined) {
        if (keep) out.push(...carry);
        else keepFrom = nl + 1;
        carry = [];
        carryBytes = 0;
      } else if (!keep) {
        if (lineStart > keepFrom) out.push(chunk.subarray(keepFrom, lineStart));
        keepFrom = nl + 1;
      }
      lineStart = nl + 1;
      nl = chunk.indexOf(LF, lineStart);
    }
    if (lineStart > keepFrom) out.push(chunk.subarray(keepFrom, lineStart));
    if (lineStart < chunk.length) {
      carry = [chunk.subarray(lineStart)];
      carryBytes = chunk.length - lineStart;
    }
    for (const piece of out) yield piece;
  }
  if (carryBytes > 0 && inspect(Buffer.concat(carry))) yield* carry;
  flush();
}

/** An empty {@link ScanStats}. */
export function emptyStats(): ScanStats {
  return { lines: 0, records: 0, skipped: 0, withoutClosedAt: 0, boundary: new Set() };
}
