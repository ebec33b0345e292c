import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isActionError } from '../../src/core/errors.js';
import { callUpstream, readUpstreamJson } from '../../src/kit/upstream.js';
import { postConfirmation, preSignup, SIGN_UP_MESSAGES } from '../../src/packs/cognito/index.js';
import { openExport } from '../../src/packs/kb-ingest/download.js';
import { httpMetricsBackend } from '../../src/packs/metrics/index.js';
import { memoryLogger } from '../support/logger.js';
import { postConfirmationEvent, preSignUpEvent } from '../packs/cognito/events.js';

// Two real servers on 127.0.0.1: the configured upstream answers a redirect to `elsewhere`, another
// origin (another port), which would happily answer 200 to anyone carrying the key.
const API_KEY = 'upstream-secret-api-key';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

function start(handler: (path: string, res: import('node:http').ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      handler(req.url ?? '/', res, body);
    });
  });
  return { server, seen, base: '' };
}

async function listen(s: { server: Server; base: string }) {
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
}

const elsewhere = start((path, res) => {
  if (path.startsWith('/export')) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('{"id":"T-1","closed_at":"2024-05-02T03:00:00Z"}\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ allowed: true, role: 'Supervisor', data: [{ category: 'Facturación', count: 3 }] }));
});
let redirectStatus = 302;
const upstream = start((path, res) => {
  res.writeHead(redirectStatus, { location: `${elsewhere.base}${path}` }).end();
});
// Cognito itself, for postConfirmation's AdminAddUserToGroup, through the real SDK client.
const cognito = start((_path, res) => {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
});

beforeAll(async () => {
  await Promise.all([listen(elsewhere), listen(upstream), listen(cognito)]);
});
afterAll(async () => {
  for (const s of [elsewhere, upstream, cognito]) {
    s.server.closeAllConnections();
    await new Promise((resolve) => s.server.close(resolve));
  }
});
beforeEach(() => {
  elsewhere.seen.length = 0;
  upstream.seen.length = 0;
  cognito.seen.length = 0;
});

/** Nothing reached the other origin: no request at all, so no key either. */
function expectNothingElsewhere() {
  expect(elsewhere.seen).toEqual([]);
  expect(JSON.stringify(elsewhere.seen)).not.toContain(API_KEY);
}

describe.each([301, 302, 303, 307, 308])('a %i redirect from an upstream', (status) => {
  beforeEach(() => {
    redirectStatus = status;
  });

  it('callUpstream refuses it with a 502 and does not follow it', async () => {
    const error = await callUpstream({ service: 'allowlist', url: `${upstream.base}/v1/allowed?email=a%40b.c`, headers: { 'x-api-key': API_KEY }, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isActionError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, code: 'UPSTREAM_REDIRECT', message: `The allowlist answered with a redirect (HTTP ${status}), which is not followed; check its URL`, details: { upstreamStatus: status } });
    expect(upstream.seen.map((s) => s.headers['x-api-key'])).toEqual([API_KEY]);
    expectNothingElsewhere();
  });

  it('preSignup blocks the sign-up (fail secure) and the key stays home', async () => {
    const log = memoryLogger();
    const gate = preSignup({ allowlistUrl: `${upstream.base}/v1/allowed`, apiKey: API_KEY, timeoutMs: 2000 });
    await expect(gate.handle(preSignUpEvent(), { requestId: 'r', logger: log.logger })).rejects.toMatchObject({ name: 'SignUpBlockedError', message: SIGN_UP_MESSAGES.unavailable });
    expect(log.lines.find((l) => l.message === 'preSignup: sign-up blocked')?.reason).toBe(`The allowlist answered with a redirect (HTTP ${status}), which is not followed; check its URL`);
    expect(upstream.seen).toHaveLength(1);
    expectNothingElsewhere();
  });

  it('postConfirmation gives the default role and the key stays home', async () => {
    const client = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: cognito.base, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 1 });
    const trigger = postConfirmation({ roleResolverUrl: `${upstream.base}/v1/role`, apiKey: API_KEY, client, timeoutMs: 2000 });
    await trigger.handle(postConfirmationEvent(), { requestId: 'r', logger: memoryLogger().logger });
    expect(cognito.seen.map((s) => s.headers['x-amz-target'])).toEqual(['AWSCognitoIdentityProviderService.AdminAddUserToGroup']);
    expect(upstream.seen).toHaveLength(1);
    expectNothingElsewhere();
  });

  it('the metrics backend answers 502 and the key stays home', async () => {
    const backend = httpMetricsBackend({ baseUrl: upstream.base, apiKey: API_KEY, timeoutMs: 2000 });
    const ctx = { caller: { role: 'Supervisor' }, signal: new AbortController().signal } as unknown as Parameters<typeof backend.fetch>[1];
    await expect(backend.fetch({ path: '/analytics/categories', query: {} }, ctx)).rejects.toMatchObject({ status: 502, code: 'UPSTREAM_REDIRECT' });
    expect(upstream.seen).toHaveLength(1);
    expectNothingElsewhere();
  });

  it('the KB export download fails and the key stays home', async () => {
    await expect(openExport({ url: new URL(`${upstream.base}/export?since=x`), apiKey: API_KEY, timeoutMs: 2000 })).rejects.toMatchObject({
      name: 'DownloadError',
      message: `the ticket source answered with a redirect (HTTP ${status}), which is not followed; check API_URL`,
    });
    expect(upstream.seen).toHaveLength(1);
    expectNothingElsewhere();
  });
});

describe('bounded upstream reads', () => {
  it('reads JSON up to the cap and refuses past it without reading the rest', async () => {
    const json = (body: string) => new Response(body, { headers: { 'content-type': 'application/json' } });
    expect(await readUpstreamJson(json('{"a":1}'), 'role resolver', 7)).toEqual({ a: 1 });
    expect(await readUpstreamJson(json(''), 'role resolver', 7)).toBeUndefined();
    await expect(readUpstreamJson(json('{"a":12}'), 'role resolver', 7, 'ask for less')).rejects.toMatchObject({ status: 502, code: 'UPSTREAM_TOO_LARGE', message: 'The role resolver sent a reply larger than 7 bytes; ask for less.' });
    await expect(readUpstreamJson(json('{"a":'), 'role resolver', 7)).rejects.toMatchObject({ status: 502, code: 'UPSTREAM_ERROR', message: 'The role resolver sent a reply that is not JSON.' });

    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    await expect(readUpstreamJson(new Response(endless), 'metrics service', 10 * 1024)).rejects.toMatchObject({ code: 'UPSTREAM_TOO_LARGE' });
    expect(pulled).toBeLessThan(15);
  });
});
