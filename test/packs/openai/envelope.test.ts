// The old contract end to end: `{ payload: { token, signature }, body: { event_name, … } }` dispatched by the
// envelope door to OpenAIOps, over router.handle (a direct Lambda invocation) and over HTTP on a real socket,
// with the real openai client against msw. The caller is the token's subject: ownership follows it.
import { http, passthrough } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { createRouter } from '../../../src/router.js';
import { createServer } from '../../../src/adapters/node.js';
import { signEnvelopeToken, signedToken } from '../../../src/index.js';
import { memoryStore } from '../../../src/stores/memory.js';
import { openaiOps } from '../../../src/packs/openai/index.js';
import { close, listen } from '../../adapters/sockets.js';
import { client, message, responseObject, useFakeOpenAi, type FakeOpenAi } from './support.js';

const SECRET = 'envelope-secret-0123456789abcdef';
const { server: msw, fake: current } = useFakeOpenAi();
let fake: FakeOpenAi;
beforeEach(() => {
  fake = current();
  // The test's own socket is real; only OpenAI is intercepted.
  msw.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
});

function setUp() {
  const store = memoryStore();
  const ops = openaiOps({ client: client(), store });
  const router = createRouter({ logger: createLogger({ level: 'silent' }) })
    .add(ops)
    .envelope({ verify: signedToken({ secret: SECRET }), events: ops, replayStore: store });
  return { router, store };
}

const envelope = (sub: string, body: Record<string, unknown>, jti?: string) => ({ payload: signEnvelopeToken({ sub, role: 'Agent', ...(jti ? { jti } : { jti: crypto.randomUUID() }) }, SECRET), body });

describe('the signed envelope in front of OpenAIOps', () => {
  it('over router.handle: new_thread then messaging answer the outputs themselves, as the token\'s subject', async () => {
    const { router } = setUp();
    const thread = (await router.handle(envelope('ana', { event_name: 'new_thread' }))) as { thread_id: string };
    expect(thread).toEqual({ thread_id: 'conv_ana1' });
    expect(fake.seen[0]?.json).toMatchObject({ metadata: { owner: 'ana' } });
    fake.responses.push(responseObject('resp_1', [message('Tu pedido salió ayer.')]));
    const reply = await router.handle(envelope('ana', { event: 'messaging', thread_id: 'conv_ana1', message: '¿Y mi pedido?' }));
    expect(reply).toEqual({ thread_id: 'conv_ana1', response_id: 'resp_1', reply: 'Tu pedido salió ayer.' });
    expect(fake.seen[1]?.json).toMatchObject({ conversation: 'conv_ana1', input: '¿Y mi pedido?' });
    // Another subject on ana's thread: refused before anything reaches OpenAI.
    const stolen = await router.handle(envelope('bruno', { event_name: 'messaging', thread_id: 'conv_ana1', message: 'hola' }));
    expect(stolen).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(fake.seen).toHaveLength(2);
  });

  it('over HTTP: POST /lambda with a good token runs the event; a replayed, tampered or unknown one does not', async () => {
    const { router } = setUp();
    const server = createServer(router);
    const base = await listen(server);
    const post = (body: unknown) => fetch(`${base}/lambda`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const once = envelope('ana', { event_name: 'credentials' }, 'jti-1');
      const ok = await post(once);
      expect([ok.status, await ok.json()]).toEqual([200, { ok: true }]);
      const replayed = await post(once);
      expect(replayed.status).toBe(401);
      const tampered = envelope('ana', { event_name: 'credentials' });
      tampered.payload.signature = tampered.payload.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expect((await post(tampered)).status).toBe(401);
      const unknown = await post(envelope('ana', { event_name: 'assistant_create' }));
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('check_train');
      // Only the first request reached OpenAI.
      expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /models']);
    } finally {
      await close(server);
    }
  });
});

