import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ActionError } from '../core/errors.js';
import { readCapped } from '../util/body.js';
import type { BlobStore, PresignedUpload } from './blob-types.js';
import { checkBlobKey, checkSeconds, checkUpload } from './blob-types.js';
import { encodeKey, grantValid, signGrant, type Grant } from './signed-path.js';

/** Options of {@link diskBlobs}. */
export interface DiskBlobsOptions {
  /** Root directory; every key resolves inside it (objects under `objects/`, their media types under `meta/`). */
  dir: string;
  /**
   * Secret that signs the paths `url` and `presignUpload` return (at least 32 bytes). Default: random per
   * process, so links die on restart; give one to share links between processes.
   */
  secret?: string | Uint8Array;
  /** Path prefix of the signed links (default `'/blobs/'`); `serve` answers under it. */
  urlPrefix?: string;
  /** Lifetime of signed links, in seconds (default 900). */
  urlSeconds?: number;
}

/** A disk {@link BlobStore}, plus the web handler that serves its signed links. */
export interface DiskBlobStore extends BlobStore {
  readonly kind: 'disk';
  /**
   * Serves a signed link: GET/HEAD streams the bytes (as an attachment, `nosniff`), PUT takes a presigned
   * upload. Resolves `undefined` for a path outside `urlPrefix`, so a router serves it with
   * `router.mount(urlPrefix, blobs.serve, { maxBodyBytes })`, `maxBodyBytes` at least the largest upload
   * presigned (the mount reads no larger body). A missing, tampered or expired signature is a 403.
   */
  serve(request: Request): Promise<Response | undefined>;
}

/**
 * A {@link BlobStore} on the local disk, for local development and single-host deployments. Keys never
 * leave `dir` (`..`, `.`, absolute paths, `\` and NUL are refused); writes go to a temporary file renamed
 * into place, so a failed write leaves the old bytes. `url(key)` is a path signed with HMAC-SHA256 that
 * expires: the signature is the authentication, like an S3 presigned URL, and `serve` checks it.
 */
export function diskBlobs(options: DiskBlobsOptions): DiskBlobStore {
  if (typeof options?.dir !== 'string' || options.dir === '') throw new Error('diskBlobs: "dir" must be a directory path');
  const root = resolve(options.dir);
  const objects = join(root, 'objects');
  const meta = join(root, 'meta');
  const tmp = join(root, 'tmp');
  const secret = options.secret === undefined ? randomBytes(32) : typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
  if (!(secret instanceof Uint8Array) || secret.byteLength < 32) throw new Error('diskBlobs: "secret" must be at least 32 bytes');
  const prefix = options.urlPrefix ?? '/blobs/';
  if (typeof prefix !== 'string' || !/^\/([\w.-]+\/)+$/.test(prefix)) throw new Error('diskBlobs: "urlPrefix" must be a path such as "/blobs/" (starting and ending with "/")');
  const seconds = checkSeconds('diskBlobs', 'urlSeconds', options.urlSeconds, 900);

  const pathOf = (base: string, key: string) => {
    const path = resolve(base, checkBlobKey(key));
    // Belt and braces: checkBlobKey already refuses every escaping form.
    if (!path.startsWith(base + sep)) throw new ActionError(400, '"key" must stay inside the store', { code: 'BAD_REQUEST' });
    return path;
  };
  const writeAtomically = async (path: string, data: Uint8Array | string) => {
    await mkdir(tmp, { recursive: true });
    const temporary = join(tmp, randomUUID());
    try {
      await writeFile(temporary, data);
      await mkdir(dirname(path), { recursive: true });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  };
  const link = (grant: Grant, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({ expires: String(grant.expires), ...extra, signature: signGrant(secret, grant) });
    return `${prefix}${encodeKey(grant.key)}?${query}`;
  };
  const expiry = () => Math.floor(Date.now() / 1000) + seconds;

  const store: DiskBlobStore = {
    kind: 'disk',
    async put(key, bytes, putOptions = {}) {
      const path = pathOf(objects, key);
      if (!(bytes instanceof Uint8Array)) throw new TypeError('diskBlobs.put: "bytes" must be a Uint8Array or Buffer');
      await writeAtomically(path, bytes);
      await writeAtomically(pathOf(meta, key), JSON.stringify({ contentType: putOptions.contentType ?? 'application/octet-stream' }));
      return { key, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    async get(key) {
      const path = pathOf(objects, key);
      try {
        return (await open(path)).createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(objects, key), { force: true });
      await rm(pathOf(meta, key), { force: true });
    },
    async url(key) {
      return link({ method: 'GET', key: checkBlobKey(key), expires: expiry() });
    },
    async presignUpload(input): Promise<PresignedUpload> {
      const { key, contentType, maxBytes } = checkUpload(input);
      const expires = expiry();
      const url = link({ method: 'PUT', key, expires, maxBytes, contentType }, { max: String(maxBytes), type: contentType });
      return { method: 'PUT', url, fields: {}, headers: { 'content-type': contentType }, maxBytes, expiresAt: new Date(expires * 1000).toISOString() };
    },
    async probe() {
      await mkdir(root, { recursive: true });
      await access(root, constants.R_OK | constants.W_OK);
    },
    serve: (request) => serveLink(request),
  };

  async function serveLink(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(prefix)) return undefined;
    let key: string;
    try {
      key = checkBlobKey(url.pathname.slice(prefix.length).split('/').map(decodeURIComponent).join('/'));
    } catch {
      return problem(404, 'NOT_FOUND', 'No file at this link.');
    }
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && method !== 'PUT') return problem(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on a file link; allowed: GET, HEAD, PUT.`, { allow: 'GET, HEAD, PUT' });
    const q = url.searchParams;
    const expires = Number(q.get('expires'));
    const grant: Grant = method === 'PUT' ? { method: 'PUT', key, expires, maxBytes: Number(q.get('max')), contentType: q.get('type') ?? '' } : { method: 'GET', key, expires };
    if (!Number.isSafeInteger(expires) || !grantValid(secret, grant, q.get('signature') ?? '')) return problem(403, 'FORBIDDEN', 'This file link is not valid.');
    if (expires < Date.now() / 1000) return problem(403, 'FORBIDDEN', 'This file link has expired; ask for a new one.');
    return method === 'PUT' ? receive(request, grant) : send(key, method === 'HEAD', expires);
  }

  async function send(key: string, headOnly: boolean, expires: number): Promise<Response> {
    let handle;
    try {
      handle = await open(pathOf(objects, key));
    } catch {
      return problem(404, 'NOT_FOUND', 'No file at this link.');
    }
    const size = (await handle.stat()).size;
    let contentType = 'application/octet-stream';
    try {
      contentType = (JSON.parse(await readFile(pathOf(meta, key), 'utf8')) as { contentType: string }).contentType;
    } catch {
      // No media type recorded: served as bytes.
    }
    const headers = {
      'content-type': contentType,
      'content-length': String(size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(key.slice(key.lastIndexOf('/') + 1))}`,
      'x-content-type-options': 'nosniff',
      'cache-control': `private, max-age=${Math.max(0, Math.floor(expires - Date.now() / 1000))}`,
    };
    if (headOnly) {
      await handle.close();
      return new Response(null, { status: 200, headers });
    }
    return new Response(Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>, { status: 200, headers });
  }

  async function receive(request: Request, grant: Grant): Promise<Response> {
    const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== grant.contentType?.toLowerCase()) return problem(415, 'UNSUPPORTED_MEDIA_TYPE', `This upload link takes ${grant.contentType} only.`);
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) > (grant.maxBytes as number)) return problem(413, 'PAYLOAD_TOO_LARGE', `The file is larger than the ${grant.maxBytes} bytes this link allows.`);
    const bytes = await readCapped(request.body, grant.maxBytes as number);
    if (bytes === undefined) return problem(413, 'PAYLOAD_TOO_LARGE', `The file is larger than the ${grant.maxBytes} bytes this link allows.`);
    if (bytes.byteLength === 0) return problem(400, 'BAD_REQUEST', 'The upload is empty.');
    const stored = await store.put(grant.key, bytes, { contentType: grant.contentType as string });
    return new Response(JSON.stringify(stored), { status: 201, headers: { 'content-type': 'application/json' } });
  }

  return store;
}

function problem(status: number, code: string, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...extra } });
}
