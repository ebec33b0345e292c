import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { BlobStore, PresignedUpload } from './blob-types.js';
import { checkBlobKey, checkSeconds, checkUpload } from './blob-types.js';

/** Options of {@link s3Blobs}. */
export interface S3BlobsOptions {
  bucket: string;
  /** Prefix of every object key (default `'bedrock-files/'`). */
  keyPrefix?: string;
  /** The S3 client (default: `new S3Client({})` from the environment, made on first use). */
  client?: S3Client;
  /** Lifetime of presigned URLs and uploads, in seconds (default 900). */
  presignSeconds?: number;
}

/** An S3 {@link BlobStore}: also says where each key lives in S3, for services that read the objects themselves (InvokeAgent's `sessionState.files`). */
export interface S3BlobStore extends BlobStore {
  readonly kind: 's3';
  readonly bucket: string;
  /** Prefix of every object key. */
  readonly keyPrefix: string;
  /** The S3 object key of a blob key (`keyPrefix` + key). */
  objectKey(key: string): string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * A {@link BlobStore} on S3. `put` sends a SHA-256 checksum S3 verifies; `url` is a presigned GET that
 * expires after `presignSeconds` (never a public-bucket URL); `presignUpload` is a presigned POST whose
 * policy pins the key, the content type and the size range. The AWS SDK modules (`@aws-sdk/client-s3`,
 * `@aws-sdk/s3-request-presigner`, `@aws-sdk/s3-presigned-post`) load on first use.
 */
export function s3Blobs(options: S3BlobsOptions): S3BlobStore {
  if (typeof options?.bucket !== 'string' || !BUCKET.test(options.bucket)) throw new Error('s3Blobs: "bucket" must be an S3 bucket name');
  const bucket = options.bucket;
  const keyPrefix = options.keyPrefix ?? 'bedrock-files/';
  if (typeof keyPrefix !== 'string' || keyPrefix.startsWith('/') || keyPrefix.includes('..') || keyPrefix.includes('\u0000')) throw new Error('s3Blobs: "keyPrefix" must be a relative key prefix such as "bedrock-files/"');
  const expiresIn = checkSeconds('s3Blobs', 'presignSeconds', options.presignSeconds, 900);
  let sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;
  let client: S3Client | undefined = options.client;
  const s3 = async () => {
    const module = await (sdk ??= import('@aws-sdk/client-s3'));
    client ??= new module.S3Client({});
    return { module, client };
  };
  const objectKey = (key: string) => keyPrefix + checkBlobKey(key);

  return {
    kind: 's3',
    bucket,
    keyPrefix,
    objectKey,
    async put(key, bytes, putOptions = {}) {
      const Key = objectKey(key);
      if (!(bytes instanceof Uint8Array)) throw new TypeError('s3Blobs.put: "bytes" must be a Uint8Array or Buffer');
      const digest = createHash('sha256').update(bytes).digest();
      const { module, client } = await s3();
      await client.send(new module.PutObjectCommand({ Bucket: bucket, Key, Body: bytes, ContentLength: bytes.byteLength, ContentType: putOptions.contentType ?? 'application/octet-stream', ChecksumSHA256: digest.toString('base64') }));
      return { key, size: bytes.byteLength, sha256: digest.toString('hex') };
    },
    async get(key) {
      const Key = objectKey(key);
      const { module, client } = await s3();
      try {
        const reply = await client.send(new module.GetObjectCommand({ Bucket: bucket, Key }));
        return (reply.Body as Readable | undefined) ?? null;
      } catch (error) {
        if (error instanceof module.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(key) {
      const Key = objectKey(key);
      const { module, client } = await s3();
      await client.send(new module.DeleteObjectCommand({ Bucket: bucket, Key }));
    },
    async url(key) {
      const Key = objectKey(key);
      const [{ module, client }, { getSignedUrl }] = await Promise.all([s3(), import('@aws-sdk/s3-request-presigner')]);
      return getSignedUrl(client, new module.GetObjectCommand({ Bucket: bucket, Key }), { expiresIn });
    },
    async presignUpload(input): Promise<PresignedUpload> {
      const { key, contentType, maxBytes } = checkUpload(input);
      const [{ client }, { createPresignedPost }] = await Promise.all([s3(), import('@aws-sdk/s3-presigned-post')]);
      const Key = keyPrefix + key;
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key,
        Conditions: [['content-length-range', 1, maxBytes], ['eq', '$Content-Type', contentType]],
        Fields: { 'Content-Type': contentType },
        Expires: expiresIn,
      });
      return { method: 'POST', url, fields, headers: {}, maxBytes, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
    },
    async probe() {
      const { module, client } = await s3();
      await client.send(new module.HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
