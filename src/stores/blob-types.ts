import type { Readable } from 'node:stream';
import { ActionError } from '../core/errors.js';

/** What {@link BlobStore.put} stored. */
export interface StoredBlob {
  key: string;
  /** Bytes stored. */
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

/** How a browser uploads straight to the store: send the file within `expiresAt`, at most `maxBytes`. */
export interface PresignedUpload {
  /** `POST` a multipart form (S3: `fields` first, then the file as `file`), or `PUT` the raw bytes (disk). */
  method: 'POST' | 'PUT';
  /** Absolute URL (S3) or a path on this service (disk). */
  url: string;
  /** Form fields to send with a POST, in order. */
  fields: Record<string, string>;
  /** Headers to send with a PUT. */
  headers: Record<string, string>;
  maxBytes: number;
  /** ISO time after which the upload is refused. */
  expiresAt: string;
}

/** Options of {@link BlobStore.presignUpload}. */
export interface PresignUploadOptions {
  key: string;
  /** The only media type accepted for this upload. */
  contentType: string;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
}

/**
 * Where file bytes live: `s3Blobs()` or `diskBlobs()`, one interface checked by one contract suite.
 * Keys are relative paths (`a/b.pdf`): no `..` or `.` segments, no leading `/`, no `\`, no NUL.
 */
export interface BlobStore {
  /** `'s3'` or `'disk'`. */
  readonly kind: 's3' | 'disk';
  /** Stores the bytes under `key` (replacing any), with an integrity checksum. */
  put(key: string, bytes: Uint8Array, options?: { contentType?: string }): Promise<StoredBlob>;
  /** The bytes as a stream, or null when there is no such key. */
  get(key: string): Promise<Readable | null>;
  /** Removes the key; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** A short-lived URL that serves the bytes: presigned GET on S3, a signed path on disk. */
  url(key: string): Promise<string>;
  /** Lets a browser upload one file straight to the store. */
  presignUpload(options: PresignUploadOptions): Promise<PresignedUpload>;
  /** A cheap check that the store answers (HeadBucket, the directory); rejects when it does not. For `/health`. */
  probe(): Promise<void>;
}

/** Longest key, in UTF-8 bytes (S3's limit, prefix included, is 1024). */
export const MAX_KEY_BYTES = 900;

/** Checks a blob key: a relative path that cannot escape its root. */
export function checkBlobKey(key: unknown): string {
  const bad = (why: string) => new ActionError(400, `"key" ${why}`, { code: 'BAD_REQUEST' });
  if (typeof key !== 'string' || key === '') throw bad('must be a non-empty string');
  if (key.includes('\u0000')) throw bad('must not contain NUL characters (U+0000)');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw bad(`must be at most ${MAX_KEY_BYTES} bytes`);
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw bad('must be a relative path, not an absolute one');
  if (key.includes('\\')) throw bad('must use "/" as its only separator');
  if (key.split('/').some((s) => s === '' || s === '.' || s === '..')) throw bad('must not contain empty, "." or ".." path segments');
  return key;
}

/** Checks presignUpload options. */
export function checkUpload(options: PresignUploadOptions): PresignUploadOptions {
  const bad = (message: string) => new ActionError(400, message, { code: 'BAD_REQUEST' });
  if (typeof options !== 'object' || options === null) throw bad('presignUpload takes { key, contentType, maxBytes }');
  const key = checkBlobKey(options.key);
  if (typeof options.contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(options.contentType)) throw bad('"contentType" must be a media type such as application/pdf');
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1) throw bad('"maxBytes" must be a whole number of bytes, 1 or more');
  return { key, contentType: options.contentType, maxBytes: options.maxBytes };
}

/** Checks a `…Seconds` option: whole seconds from 1 to 604 800 (S3's presign limit, 7 days). */
export function checkSeconds(owner: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 604_800) throw new Error(`${owner}: "${name}" must be an integer from 1 to 604800`);
  return value as number;
}
