import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseInstant } from './instant.js';

/**
 * The job's watermark, kept in one small S3 object so that the instant and the records seen at it change
 * together. Format (text): the first line is `last_since` exactly as the source wrote it; each further line
 * is the sha256 (hex) of one record line delivered at that instant. A file holding only a timestamp (as
 * older deployments wrote it) is read as a watermark with no records seen.
 */
export interface Watermark {
  since: string;
  sinceMs: number;
  seen: Set<string>;
}

/** The state object exists but does not hold a watermark. */
export class CorruptStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptStateError';
  }
}

const HASH = /^[0-9a-f]{64}$/;
const isMissing = (error: unknown) => error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');

/** Reads the watermark; `undefined` when the object does not exist yet. */
export async function readWatermark(s3: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<Watermark | undefined> {
  let text: string;
  try {
    const reply = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
    text = (await reply.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const [first = '', ...rest] = text.split(/\r?\n/);
  const since = first.trim();
  const sinceMs = parseInstant(since);
  if (Number.isNaN(sinceMs)) throw new CorruptStateError(`the watermark at s3://${bucket}/${key} does not start with an ISO 8601 date-time; fix or delete it`);
  return { since, sinceMs, seen: new Set(rest.map((l) => l.trim()).filter((l) => HASH.test(l))) };
}

/** Writes the watermark (see {@link Watermark} for the format). */
export async function writeWatermark(s3: S3Client, bucket: string, key: string, since: string, seen: Iterable<string>, signal?: AbortSignal): Promise<void> {
  const body = [since, ...seen].join('\n') + '\n';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' }), signal ? { abortSignal: signal } : {});
}
