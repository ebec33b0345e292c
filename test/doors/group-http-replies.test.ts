import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter, type BedrockFunctionResponse } from '../../src/index.js';
import { bedrockFunctionEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

// A web client that expects { ok, data } and { ok: false, reason, code }.
const files = actionGroup({
  name: 'Files',
  description: 'Files of a case',
  http: {
    reply: (output, info) => ({ ok: true, data: output ?? null, op: info.operation }),
    error: (error, info) => ({ ok: false, reason: error.message, code: error.code, status: info.status }),
  },
})
  .operation({
    name: 'getFile', method: 'GET', path: '/files/{fileId}', description: 'One file.',
    input: z.object({ fileId: z.string().describe('File id') }),
    handler: ({ fileId }) => {
      if (fileId === 'missing') throw new ActionError(404, `file ${fileId} not found`);
      return { fileId, name: 'a.pdf' };
    },
  })
  .operation({
    name: 'addNote', method: 'POST', path: '/files/{fileId}/notes', description: 'Add a note.', maxBodyBytes: 64,
    input: z.object({ fileId: z.string().describe('File id'), text: z.string().min(1).describe('Note') }),
    handler: () => undefined,
  });

const plain = actionGroup({ name: 'Plain', description: 'p' }).operation({
  name: 'ping', method: 'GET', path: '/ping', description: 'Ping.', input: z.object({}), handler: () => ({ pong: true }),
});

async function call(router: ReturnType<typeof createRouter>, path: string, init?: RequestInit) {
  const res = await router.fetch(new Request(`http://localhost${path}`, init));
  return [res.status, await res.json()] as const;
}

describe('actionGroup({ http: { reply, error } })', () => {
  const router = createRouter().add(files).add(plain);
  const post = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('wraps successful HTTP replies of the group, including an empty output', async () => {
    expect(await call(router, '/files/F-1')).toEqual([200, { ok: true, data: { fileId: 'F-1', name: 'a.pdf' }, op: 'getFile' }]);
    expect(await call(router, '/files/F-1/notes', post('{"text":"hi"}'))).toEqual([200, { ok: true, data: null, op: 'addNote' }]);
  });

  it('wraps every failure of the group\'s routes, keeping the status: handler errors, validation, body refusals', async () => {
    expect(await call(router, '/files/missing')).toEqual([404, { ok: false, reason: 'file missing not found', code: 'NOT_FOUND', status: 404 }]);
    const [status, body] = await call(router, '/files/F-1/notes', post('{"text":""}'));
    expect([status, body.ok, body.code]).toEqual([400, false, 'VALIDATION_FAILED']);
    expect(await call(router, '/files/F-1/notes', post('{not json'))).toEqual([400, expect.objectContaining({ ok: false, code: 'INVALID_JSON', status: 400 })]);
    expect(await call(router, '/files/F-1/notes', post(JSON.stringify({ text: 'x'.repeat(100) })))).toEqual([413, expect.objectContaining({ ok: false, code: 'PAYLOAD_TOO_LARGE' })]);
  });

  it('wraps the 401 of a route and keeps its WWW-Authenticate challenge', async () => {
    const secured = createRouter({ authenticate: () => null }).add(files);
    const res = await secured.fetch(new Request('http://localhost/files/F-1'));
    expect([res.status, res.headers.get('www-authenticate'), await res.json()]).toEqual([401, 'Bearer', expect.objectContaining({ ok: false, code: 'UNAUTHORIZED', status: 401 })]);
  });

  it('leaves other groups, unknown paths and built-in routes as they are', async () => {
    expect(await call(router, '/ping')).toEqual([200, { pong: true }]);
    expect((await call(router, '/nowhere'))[1]).toEqual({ error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    expect((await call(router, '/health'))[1]).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it('leaves the agent doors unaffected', async () => {
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Files', function: 'getFile', parameters: { fileId: 'F-1' } }))) as BedrockFunctionResponse;
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({ fileId: 'F-1', name: 'a.pdf' });
    const missing = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Files', function: 'getFile', parameters: { fileId: 'missing' } }))) as BedrockFunctionResponse;
    expect(JSON.parse(missing.response.functionResponse.responseBody.TEXT.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'file missing not found' } });
    expect(await router.invoke('Files', 'getFile', { fileId: 'F-2' })).toEqual({ fileId: 'F-2', name: 'a.pdf' });
  });

  it('answers a logged, unwrapped 500 when a wrapper throws', async () => {
    const log = memoryLogger();
    const broken = actionGroup({ name: 'Broken', description: 'b', http: { error: () => { throw new Error('oops'); } } }).operation({
      name: 'fail', method: 'GET', path: '/fail', description: 'Fails.', input: z.object({}), handler: () => { throw new ActionError(409, 'conflict'); },
    });
    expect(await call(createRouter({ logger: log.logger }).add(broken), '/fail')).toEqual([500, { error: { code: 'INTERNAL', message: 'The reply could not be written; the details were logged. Try again later.' } }]);
    expect(log.text()).toContain("the group's http.error wrapper failed");
  });

  it('checks the option when the group is defined', () => {
    expect(() => actionGroup({ name: 'G', description: 'g', http: { reply: 'x' as never } })).toThrow('actionGroup "G": "http.reply" must be a function');
    expect(() => actionGroup({ name: 'G', description: 'g', http: { body: () => 1 } as never })).toThrow('actionGroup "G": "http" has an unknown key "body"; use "reply" and "error"');
    expect(() => actionGroup({ name: 'G', description: 'g', http: [] as never })).toThrow('actionGroup "G": "http" must be an object like { reply?, error? }');
  });
});
