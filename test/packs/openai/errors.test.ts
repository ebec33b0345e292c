import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { openAiError } from '../../../src/agents/openai-errors.js';
import { API_KEY, BASE, client, harness, useFakeOpenAi } from './support.js';

// OpenAI's failures as the real client meets them at the wire, and what the caller hears.
const { server } = useFakeOpenAi();

const error = (status: number, message: string, headers: Record<string, string> = {}) =>
  http.get(`${BASE}/models`, () => HttpResponse.json({ error: { message, type: 'error', code: null } }, { status, headers }));

const CASES: [string, ReturnType<typeof http.get>, Record<string, unknown>, RegExp][] = [
  ['401 bad key', error(401, `Incorrect API key provided: ${API_KEY.slice(0, 8)}***SECRET.`), { status: 502, code: 'OPENAI_AUTH' }, /HTTP 401, authentication failed: the API key was refused.*OPENAI_API_KEY/],
  ['403 no permission', error(403, `Key ${API_KEY} lacks scope`), { status: 502, code: 'OPENAI_AUTH' }, /HTTP 403, the API key is not allowed/],
  ['429 with retry-after', error(429, 'Rate limit reached', { 'retry-after': '7' }), { status: 503, code: 'UPSTREAM_THROTTLED', details: { upstreamStatus: 429, retryAfterSeconds: 7 } }, /retry after 7 seconds/],
  ['429 with retry-after-ms', error(429, 'Rate limit reached', { 'retry-after-ms': '1500' }), { status: 503, details: { upstreamStatus: 429, retryAfterSeconds: 2 } }, /HTTP 429/],
  ['429 without a hint', error(429, 'Rate limit reached'), { status: 503, details: { upstreamStatus: 429, retryAfterSeconds: 30 } }, /retry after 30 seconds/],
  ['500 with a request id', error(500, 'boom', { 'x-request-id': 'req_abc123' }), { status: 502, code: 'UPSTREAM_ERROR', details: { upstreamStatus: 500, requestId: 'req_abc123' } }, /HTTP 500, request id req_abc123/],
  ['503 overloaded', error(503, 'overloaded', { 'x-request-id': 'req_9' }), { status: 502, details: { upstreamStatus: 503, requestId: 'req_9' } }, /request id req_9/],
  ['404 unknown resource', error(404, 'The model gpt-x does not exist'), { status: 404, code: 'OPENAI_REFUSED' }, /HTTP 404\): The model gpt-x does not exist/],
  ['network failure', http.get(`${BASE}/models`, () => HttpResponse.error()), { status: 502, code: 'UPSTREAM_UNREACHABLE' }, /could not be reached/],
];

describe('OpenAI failures become ActionErrors that never show the key', () => {
  it.each(CASES)('%s', async (_name, handler, expected, message) => {
    server.use(handler);
    const { call } = harness();
    const failure = (await call('credentials', {}).catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(failure).toMatchObject(expected);
    expect(failure.message).toMatch(message);
    expect(JSON.stringify({ message: failure.message, details: failure.details })).not.toContain(API_KEY.slice(3, 12));
  });

  it('a client timeout is a 504', async () => {
    server.use(http.get(`${BASE}/models`, async () => {
      await delay(2_000);
      return HttpResponse.json({ object: 'list', data: [] });
    }));
    const { call } = harness({ client: () => client({ timeout: 50 }) });
    await expect(call('credentials', {})).rejects.toMatchObject({ status: 504, code: 'UPSTREAM_TIMEOUT', message: 'OpenAI did not answer in time while checking the API key; try again later.' });
  });

  it('the operation deadline aborts the call: a 504', async () => {
    server.use(http.get(`${BASE}/models`, async () => {
      await delay(2_000);
      return HttpResponse.json({ object: 'list', data: [] });
    }));
    const { call } = harness({ timeoutMs: 50 });
    await expect(call('credentials', {})).rejects.toMatchObject({ status: 504 });
  });

  it('an HTTP date in retry-after counts from now; an ActionError passes through', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    const headers = new Headers({ 'retry-after': 'Tue, 01 Dec 2026 10:01:00 GMT' });
    expect(openAiError({ status: 429, headers }, 'x', undefined, now)).toMatchObject({ status: 503, details: { retryAfterSeconds: 60 }, headers: { 'retry-after': '60' } });
    const own = openAiError({ status: 418 }, 'brewing');
    expect(own).toMatchObject({ status: 502, message: 'OpenAI answered HTTP 418 while brewing.' });
    expect(openAiError(own, 'again')).toBe(own);
  });
});
