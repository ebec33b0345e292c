import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { http, HttpResponse, delay, passthrough } from 'msw';
import type { JobContext } from '../../../src/doors/schedule/types.js';
import { memoryLogger } from '../../support/logger.js';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver ships no types; loaded through require so no ambient declaration is needed.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;

export const BUCKET = 'kb-bucket';
export const REGION = 'us-east-1';
export const KB_ID = 'KBID123456';
export const DS_ID = 'DSID654321';
export const SOURCE_URL = 'https://tickets.example.test/export/resolved';
export const API_KEY = 'source-secret-key';
// s3rver accepts only its own fixed pair; Bedrock under msw accepts anything.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-protocol server (s3rver) on 127.0.0.1 with one bucket, in a temp dir removed on close. */
export interface LocalS3 {
  endpoint: string;
  directory: string;
  /** A fresh client; `commands` records the name (and input) of every command it sends. */
  client(): S3Client;
  commands: { name: string; input: Record<string, unknown> }[];
  keys(): Promise<string[]>;
  get(key: string): Promise<{ body: Buffer; contentType: string | undefined; etag: string | undefined }>;
  put(key: string, body: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'kb-ingest-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const commands: LocalS3['commands'] = [];
  const client = () => {
    const c = new S3Client({
      endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    c.middlewareStack.add(
      (next, context) => (args) => {
        const { Body: _body, ...input } = args.input as Record<string, unknown>;
        commands.push({ name: context.commandName ?? '?', input });
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    return c;
  };
  const admin = client();
  return {
    endpoint,
    directory,
    client,
    commands,
    async keys() {
      const reply = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (reply.Contents ?? []).map((o) => o.Key as string).sort();
    },
    async get(key) {
      const reply = await admin.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return { body: Buffer.from(await reply.Body!.transformToByteArray()), contentType: reply.ContentType, etag: reply.ETag };
    },
    async put(key, body) {
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A Bedrock Agent control-plane client that msw can intercept. */
export function bedrockClient(): BedrockAgentClient {
  return new BedrockAgentClient({ region: REGION, credentials, maxAttempts: 1 });
}

/** A job context with a memory logger. */
export function jobContext(signal: AbortSignal = new AbortController().signal): JobContext & { log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  return { requestId: 'req-1', logger: log.logger, signal, log };
}

/** One ticket record as the source exports it. */
export interface Ticket {
  id: string;
  subject: string;
  closed_at: string;
  [key: string]: unknown;
}

/** `text` as a body stream of 64 KiB chunks, as a network delivers it (lines split across chunks). */
export function chunked(text: string, size = 64 * 1024): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

/**
 * A real ticket source on 127.0.0.1 that writes what `produce` yields, honouring backpressure, so a test
 * can pause it mid-export. Used for the multi-MB tests: msw's socket emulation does not model a paused
 * reader (undici asserts when the mocked socket ends while its parser is paused).
 */
export async function localSource(produce: () => AsyncGenerator<string | Uint8Array>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    try {
      for await (const piece of produce()) {
        if (!res.write(piece)) await once(res, 'drain');
      }
      res.end();
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/export`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits `text` into 64 KiB strings-as-bytes chunks. */
export function* pieces(text: string, size = 64 * 1024): Generator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/**
 * A fake ticket source behind msw: `GET SOURCE_URL?since&limit` answers the tickets with
 * `closed_at >= since` (inclusive, as the job requires), sorted, at most `limit`, as NDJSON.
 * `raw` replaces the body when set. Every request is recorded.
 */
export function ticketSource() {
  const state = {
    tickets: [] as Ticket[],
    raw: undefined as string | undefined,
    requests: [] as { url: URL; apiKey: string | null }[],
  };
  const handler = http.get(SOURCE_URL, ({ request }) => {
    const url = new URL(request.url);
    state.requests.push({ url, apiKey: request.headers.get('x-api-key') });
    if (state.raw !== undefined) return new HttpResponse(chunked(state.raw), { headers: { 'content-type': 'application/x-ndjson' } });
    const since = Date.parse(url.searchParams.get('since') ?? '');
    const limit = Number(url.searchParams.get('limit') ?? Infinity);
    const rows = state.tickets
      .filter((t) => Date.parse(t.closed_at) >= since)
      .sort((a, b) => Date.parse(a.closed_at) - Date.parse(b.closed_at))
      .slice(0, limit);
    return new HttpResponse(chunked(rows.map((t) => JSON.stringify(t) + '\n').join('')), { headers: { 'content-type': 'application/x-ndjson' } });
  });
  return { state, handler };
}

/** StartIngestionJob behind msw (PUT /knowledgebases/{kb}/datasources/{ds}/ingestionjobs/, 202). */
export function ingestionApi() {
  const state = {
    calls: [] as { path: string; body: Record<string, unknown> }[],
    fail: undefined as { status: number; type: string; message: string } | undefined,
    nextId: 1,
  };
  const handler = http.put(`https://bedrock-agent.${REGION}.amazonaws.com/knowledgebases/:kb/datasources/:ds/ingestionjobs/`, async ({ request, params }) => {
    const body = (await request.json()) as Record<string, unknown>;
    state.calls.push({ path: new URL(request.url).pathname, body });
    if (state.fail) {
      return HttpResponse.json({ message: state.fail.message }, { status: state.fail.status, headers: { 'x-amzn-errortype': state.fail.type } });
    }
    const now = '2024-05-03T12:35:00Z';
    return HttpResponse.json(
      {
        ingestionJob: {
          knowledgeBaseId: params.kb,
          dataSourceId: params.ds,
          ingestionJobId: `IJOB${String(state.nextId++).padStart(6, '0')}`,
          status: 'STARTING',
          startedAt: now,
          updatedAt: now,
        },
      },
      { status: 202 },
    );
  });
  return { state, handler };
}

/** Lets the traffic to the local S3 server through msw untouched. */
export const localPassthrough = http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough());

export { delay };
