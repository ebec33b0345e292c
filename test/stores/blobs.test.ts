import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isActionError } from 'bedrock-action-groups';
import { diskBlobs, s3Blobs, type BlobStore, type DiskBlobStore } from 'bedrock-action-groups/stores';
import { BUCKET, startS3, type LocalS3 } from '../packs/kb-ingest/support.ts';
import { close, listen } from '../adapters/sockets.ts';

const bytesOf = async (stream: Readable | null) => (stream ? Buffer.concat(await stream.toArray()) : null);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.from('%PDF-1.7\n% a small test document\n');

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isActionError(error) && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected a 400');
}

const ESCAPING = ['../outside', 'a/../../outside', '/etc/passwd', 'a\\..\\b', 'a\u0000b', '', 'a//b', './a', 'C:/x', 'a/'];

/** One contract for every BlobStore; `absolute` turns what `url` returns into a URL plain fetch can use. */
function blobContract(name: string, setup: () => { blobs: BlobStore; absolute: (url: string) => string }) {
  describe(`${name}: blob contract`, () => {
    it('puts with a checksum, streams back, replaces, deletes', async () => {
      const { blobs } = setup();
      expect(await blobs.put('u1/factura.pdf', PDF, { contentType: 'application/pdf' })).toEqual({ key: 'u1/factura.pdf', size: PDF.length, sha256: sha(PDF) });
      expect(await bytesOf(await blobs.get('u1/factura.pdf'))).toEqual(PDF);
      const other = Buffer.from('second version');
      await blobs.put('u1/factura.pdf', other);
      expect(await bytesOf(await blobs.get('u1/factura.pdf'))).toEqual(other);
      await blobs.delete('u1/factura.pdf');
      expect(await blobs.get('u1/factura.pdf')).toBeNull();
      await blobs.delete('u1/factura.pdf');
      expect(await blobs.get('never/there.txt')).toBeNull();
    });

    it('keeps 1 MiB of arbitrary bytes intact', async () => {
      const { blobs } = setup();
      const big = Buffer.alloc(1024 * 1024, 0);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
      expect((await blobs.put('big.bin', big)).sha256).toBe(sha(big));
      expect(sha((await bytesOf(await blobs.get('big.bin'))) as Buffer)).toBe(sha(big));
    });

    it('refuses keys that could escape with a 400, on every method', async () => {
      const { blobs } = setup();
      for (const key of ESCAPING) {
        expect(await refusal(() => blobs.put(key, PDF))).toMatch(/^"key" /);
        expect(await refusal(() => blobs.get(key))).toMatch(/^"key" /);
        expect(await refusal(() => blobs.delete(key))).toMatch(/^"key" /);
        expect(await refusal(() => blobs.url(key))).toMatch(/^"key" /);
      }
      expect(await refusal(() => blobs.put('../x', PDF))).toBe('"key" must not contain empty, "." or ".." path segments');
      expect(await refusal(() => blobs.put('/etc/passwd', PDF))).toBe('"key" must be a relative path, not an absolute one');
      expect(await refusal(() => blobs.put('a\u0000b', PDF))).toBe('"key" must not contain NUL characters (U+0000)');
    });

    it('url(key) serves the bytes to plain fetch', async () => {
      const { blobs, absolute } = setup();
      await blobs.put('docs/guía de uso.pdf', PDF, { contentType: 'application/pdf' });
      const reply = await fetch(absolute(await blobs.url('docs/guía de uso.pdf')));
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await reply.arrayBuffer())).toEqual(PDF);
    });

    it('probe resolves while the store answers', async () => {
      await expect(setup().blobs.probe()).resolves.toBeUndefined();
    });
  });
}

// --- S3 (s3rver) --------------------------------------------------------------------------------------
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.close());

blobContract('s3Blobs on s3rver', () => ({ blobs: s3Blobs({ bucket: BUCKET, client: s3.client() }), absolute: (url) => url }));

describe('s3Blobs', () => {
  it('stores under keyPrefix and sends the SHA-256 checksum with the object', async () => {
    const blobs = s3Blobs({ bucket: BUCKET, keyPrefix: 'tenant-a/', client: s3.client() });
    await blobs.put('x/y.txt', Buffer.from('hola'), { contentType: 'text/plain' });
    expect(await s3.keys()).toContain('tenant-a/x/y.txt');
    const put = s3.commands.filter((c) => c.name === 'PutObjectCommand').pop();
    expect(put?.input).toMatchObject({ Bucket: BUCKET, Key: 'tenant-a/x/y.txt', ContentType: 'text/plain', ChecksumSHA256: createHash('sha256').update('hola').digest('base64') });
  });

  it('url is a presigned GET that expires (never a bare object URL); a tampered one is refused', async () => {
    const blobs = s3Blobs({ bucket: BUCKET, client: s3.client(), presignSeconds: 120 });
    await blobs.put('secret.txt', Buffer.from('private'));
    const url = new URL(await blobs.url('secret.txt'));
    expect(url.pathname).toBe(`/${BUCKET}/bedrock-files/secret.txt`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await fetch(url)).text()).toBe('private');
    // s3rver checks the credential and the expiry of a presigned URL (not its SigV4 signature bytes).
    const otherKey = new URL(url);
    otherKey.searchParams.set('X-Amz-Credential', otherKey.searchParams.get('X-Amz-Credential')!.replace('S3RVER', 'INTRUDER'));
    expect((await fetch(otherKey)).status).toBe(403);
    const backdated = new URL(url);
    backdated.searchParams.set('X-Amz-Date', '20200101T000000Z');
    const expired = await fetch(backdated);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('presignUpload is a presigned POST pinning key, content type and size; a browser-style form upload lands', async () => {
    const blobs = s3Blobs({ bucket: BUCKET, client: s3.client() });
    const upload = await blobs.presignUpload({ key: 'uploads/a.pdf', contentType: 'application/pdf', maxBytes: 1_000_000 });
    expect(upload).toMatchObject({ method: 'POST', maxBytes: 1_000_000, headers: {} });
    expect(upload.fields).toMatchObject({ key: 'bedrock-files/uploads/a.pdf', 'Content-Type': 'application/pdf' });
    const policy = JSON.parse(Buffer.from(upload.fields.Policy as string, 'base64').toString('utf8')) as { conditions: unknown[]; expiration: string };
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 1, 1_000_000], ['eq', '$Content-Type', 'application/pdf'], { key: 'bedrock-files/uploads/a.pdf' }]));
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'a.pdf');
    const posted = await fetch(upload.url, { method: 'POST', body: form });
    expect(posted.status).toBe(204);
    expect(await bytesOf(await blobs.get('uploads/a.pdf'))).toEqual(PDF);
    await expect(blobs.presignUpload({ key: 'x', contentType: 'not a type', maxBytes: 1 })).rejects.toThrow('"contentType" must be a media type such as application/pdf');
  });

  it('refuses a bad bucket or presignSeconds at creation', () => {
    expect(() => s3Blobs({ bucket: 'Bad_Bucket' })).toThrow('s3Blobs: "bucket" must be an S3 bucket name');
    expect(() => s3Blobs({ bucket: 'ok-bucket', presignSeconds: 0 })).toThrow('s3Blobs: "presignSeconds" must be an integer from 1 to 604800');
  });
});

// --- disk ---------------------------------------------------------------------------------------------
const root = mkdtempSync(join(tmpdir(), 'disk-blobs-'));
let current: DiskBlobStore;
let server: Server;
let base = '';
beforeAll(async () => {
  // The signed links served over a real socket: a node server handing each request to blobs.serve.
  server = createServer(async (req, res) => {
    const request = new Request(`${base}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, ...(req.method === 'PUT' ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}) } as RequestInit);
    const reply = (await current.serve(request)) ?? new Response('not mine', { status: 404 });
    reply.headers.forEach((value, name) => res.setHeader(name, value));
    res.writeHead(reply.status);
    res.end(Buffer.from(await reply.arrayBuffer()));
  });
  base = await listen(server);
});
afterAll(async () => {
  await close(server);
  rmSync(root, { recursive: true, force: true });
});
let dirs = 0;
const disk = (options: Partial<Parameters<typeof diskBlobs>[0]> = {}) => (current = diskBlobs({ dir: join(root, `d${++dirs}`), ...options }));

blobContract('diskBlobs', () => ({ blobs: disk(), absolute: (url) => base + url }));

describe('diskBlobs', () => {
  it('keeps every file inside dir, and leaves no temporary file behind', async () => {
    const blobs = disk();
    await blobs.put('a/b/c.txt', Buffer.from('x'));
    await expect(blobs.put('../../escape.txt', Buffer.from('x'))).rejects.toThrow();
    const dir = join(root, `d${dirs}`);
    expect(readdirSync(join(dir, 'objects'), { recursive: true }).sort()).toEqual(['a', 'a/b', 'a/b/c.txt']);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(readdirSync(root).some((f) => f.includes('escape'))).toBe(false);
  });

  it('url is a signed path that serves as an attachment; tampered, foreign-secret and expired links are 403', async () => {
    const blobs = disk({ secret: 'x'.repeat(32), urlSeconds: 1 });
    await blobs.put('report.html', Buffer.from('<script>alert(1)</script>'), { contentType: 'text/html' });
    const path = await blobs.url('report.html');
    expect(path).toMatch(/^\/blobs\/report\.html\?expires=\d+&signature=[\w-]{43}$/);
    const ok = await fetch(base + path);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''report.html");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const forged = [
      path.replace(/signature=./, (m) => (m.endsWith('A') ? 'signature=B' : 'signature=A')),
      path.replace('report.html?', 'other.html?'),
      path.replace(/expires=(\d+)/, (_m, n) => `expires=${Number(n) + 3600}`),
      path.replace(/&signature=.*/, ''),
    ];
    for (const link of forged) {
      const r = await fetch(base + link);
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'This file link is not valid.' } });
    }
    disk({ secret: 'y'.repeat(32), dir: join(root, `d${dirs}`) } as never);
    expect((await fetch(base + path)).status).toBe(403);
    current = blobs;
    await new Promise((r) => setTimeout(r, 2_100));
    const late = await fetch(base + path);
    expect(late.status).toBe(403);
    expect((await late.json()) as unknown).toEqual({ error: { code: 'FORBIDDEN', message: 'This file link has expired; ask for a new one.' } });
  });

  it('presignUpload is a signed PUT bounded by size and content type', async () => {
    const blobs = disk();
    const upload = await blobs.presignUpload({ key: 'in/a.pdf', contentType: 'application/pdf', maxBytes: 64 });
    expect(upload).toMatchObject({ method: 'PUT', fields: {}, headers: { 'content-type': 'application/pdf' }, maxBytes: 64 });
    const put = (body: Uint8Array<ArrayBuffer>, type = 'application/pdf', url = upload.url) => fetch(base + url, { method: 'PUT', headers: { 'content-type': type }, body: new Blob([body]) });
    expect((await put(Buffer.alloc(65))).status).toBe(413);
    expect((await put(PDF, 'text/html')).status).toBe(415);
    expect((await put(PDF, 'application/pdf', upload.url.replace('max=64', 'max=6400'))).status).toBe(403);
    const done = await put(PDF);
    expect(done.status).toBe(201);
    expect(await done.json()).toEqual({ key: 'in/a.pdf', size: PDF.length, sha256: sha(PDF) });
    expect(await bytesOf(await blobs.get('in/a.pdf'))).toEqual(PDF);
    // A GET link cannot be used to upload, nor an upload link to read.
    expect((await put(PDF, 'application/pdf', await blobs.url('in/a.pdf'))).status).toBe(403);
    expect((await fetch(base + upload.url)).status).toBe(403);
  });

  it('answers only under its prefix, and refuses bad options', async () => {
    const blobs = disk();
    expect(await blobs.serve(new Request('http://x/elsewhere/a'))).toBeUndefined();
    expect((await blobs.serve(new Request('http://x/blobs/a%2F..%2F..%2Fetc%2Fpasswd?expires=1&signature=x')))?.status).toBe(404);
    expect((await blobs.serve(new Request('http://x/blobs/a', { method: 'DELETE' })))?.status).toBe(405);
    expect(() => diskBlobs({ dir: '' })).toThrow('diskBlobs: "dir" must be a directory path');
    expect(() => diskBlobs({ dir: root, secret: 'short' })).toThrow('diskBlobs: "secret" must be at least 32 bytes');
    expect(() => diskBlobs({ dir: root, urlPrefix: 'blobs' })).toThrow('diskBlobs: "urlPrefix" must be a path');
  });
});
