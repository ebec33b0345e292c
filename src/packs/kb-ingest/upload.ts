import { Readable } from 'node:stream';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const pad = (n: number) => String(n).padStart(2, '0');

/** `resolved_tickets_yyyyMMdd_HHmmss.jsonl` in UTC. */
export function exportFileName(at: Date, suffix = ''): string {
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}_${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `resolved_tickets_${stamp}${suffix}.jsonl`;
}

const MAX_SAME_SECOND = 100;

/**
 * A key under `prefix` for an export taken at `at` that no object uses yet. Two runs in the same second
 * would otherwise get the same key and the second would overwrite (and so drop from the knowledge base)
 * the first one's records; the later run gets `_2`, `_3`, … appended.
 */
export async function freeExportKey(s3: S3Client, bucket: string, prefix: string, at: Date, signal?: AbortSignal): Promise<string> {
  for (let n = 1; n <= MAX_SAME_SECOND; n++) {
    const key = prefix + exportFileName(at, n === 1 ? '' : `_${n}`);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
    } catch (error) {
      if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return key;
      throw error;
    }
  }
  throw new Error(`more than ${MAX_SAME_SECOND} exports already exist for ${exportFileName(at)}`);
}

/** Options of {@link streamToS3}. */
export interface StreamUpload {
  s3: S3Client;
  bucket: string;
  key: string;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
  /** Bytes per multipart part (≥ 5 MiB). */
  partSize: number;
  /** Parts uploaded at once; memory use is about `partSize × (queueSize + 1)`. */
  queueSize: number;
  signal?: AbortSignal;
}

/**
 * Uploads a byte stream with lib-storage while it is produced: parts go out as they fill, so memory holds
 * a few parts, never the whole object. When the stream throws, lib-storage aborts the multipart upload
 * (no partial object is left) and this rejects with the stream's error.
 */
export async function streamToS3(request: StreamUpload): Promise<void> {
  const body = Readable.from(request.body, { objectMode: false });
  const upload = new Upload({
    client: request.s3,
    params: { Bucket: request.bucket, Key: request.key, Body: body, ContentType: request.contentType },
    partSize: request.partSize,
    queueSize: request.queueSize,
    leavePartsOnError: false,
  });
  const onAbort = () => void upload.abort();
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await upload.done();
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    body.destroy(); // when S3 failed first, this ends the download too
  }
}
