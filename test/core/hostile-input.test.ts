// Regressions of issue 9: inputs and handlers a hostile caller (or a buggy handler) produces, answered
// in the door's shape instead of injecting fields, rejecting, or ignoring the reply size cap.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createLogger, createRouter } from '../../src/index.js';
import { agentCoreContext, bedrockFunctionEvent, bedrockOpenApiEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

type FnReply = {
  response: { function: string; functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } };
  sessionAttributes: unknown;
  promptSessionAttributes: unknown;
};
type ApiReply = { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } }; sessionAttributes: unknown };

const cyclic = () => {
  const o: Record<string, unknown> = { name: 'loop' };
  o.self = o;
  return o;
};

/** One group whose `behave` operation misbehaves as told, and a `getThing` that needs `thingId`. */
function setup(options: { maxResponseBytes?: number } = {}) {
  const log = memoryLogger();
  const group = actionGroup({ name: 'Things', description: 'Things' })
    .operation({
      name: 'getThing',
      method: 'GET',
      path: '/things/{thingId}',
      description: 'Gets a thing.',
      input: z.object({ thingId: z.string().describe('Thing id') }),
      handler: ({ thingId }) => ({ thingId }),
    })
    .operation({
      name: 'saveThing',
      method: 'POST',
      path: '/things',
      description: 'Saves a thing.',
      input: z.object({ thingId: z.string().describe('Thing id'), tags: z.array(z.number()).optional().describe('Tags') }),
      handler: (input) => input,
    })
    .operation({
      name: 'behave',
      method: 'GET',
      path: '/behave',
      description: 'Misbehaves.',
      input: z.object({ how: z.string().describe('How'), touch: z.boolean().optional().describe('Touch the session') }),
      handler: async ({ how, touch }, ctx) => {
        if (touch) ctx.session.seen = 'yes';
        if (how === 'throw-cyclic') throw cyclic();
        if (how === 'throw-action-cyclic-cause') throw new ActionError(502, 'The upstream failed.', { cause: cyclic() });
        if (how === 'throw-action-cyclic-details') throw new ActionError(404, 'No such thing.', { details: cyclic() });
        if (how === 'bigint') return { total: 10n };
        if (how === 'cyclic') return cyclic();
        if (how === 'throwing-tojson') return { toJSON: () => { throw new Error('secret toJSON'); } };
        if (how === 'session-cyclic') {
          (ctx.session as Record<string, unknown>).loop = cyclic();
          return { ok: true };
        }
        if (how === 'big') return { text: 'x'.repeat(100_000) };
        return { ok: true };
      },
    });
  const router = createRouter({ logger: log.logger, ...options }).add(group);
  return { router, log };
}

const fnEvent = (fn: string, parameters: Array<{ name: string; type?: string; value: unknown }>, extra: Record<string, unknown> = {}) => ({
  ...bedrockFunctionEvent({ actionGroup: 'Things', function: fn }),
  parameters,
  ...extra,
});

describe('reserved parameter names never inject fields (__proto__, constructor, prototype)', () => {
  it('ignores a __proto__ parameter whose value is an object, on the function door', async () => {
    const { router } = setup();
    const reply = (await router.handle(fnEvent('getThing', [{ name: '__proto__', type: 'string', value: { thingId: 'INJECTED' } }]))) as FnReply;
    expect(reply.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error.details).toEqual([{ field: 'thingId', problem: 'is required (text)' }]);
    expect(({} as Record<string, unknown>).thingId).toBeUndefined();
  });

  it('ignores reserved names in requestBody properties on the OpenAPI door, and in AgentCore arguments', async () => {
    const { router } = setup();
    const event = bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/things', httpMethod: 'POST', body: {} });
    event.requestBody = { content: { 'application/json': { properties: [
      { name: '__proto__', type: 'object', value: { thingId: 'INJECTED' } as unknown as string },
      { name: 'constructor', type: 'string', value: 'x' },
      { name: 'prototype', type: 'string', value: 'y' },
    ] } } };
    const reply = (await router.handle(event)) as ApiReply;
    expect(reply.response.httpStatusCode).toBe(400);
    expect(JSON.parse(reply.response.responseBody['application/json'].body).error.details).toEqual([{ field: 'thingId', problem: 'is required (text)' }]);
    const viaAgentCore = await router.handle(JSON.parse('{"__proto__":{"thingId":"INJECTED"}}'), agentCoreContext('getThing'));
    expect(viaAgentCore).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'thingId', problem: 'is required (text)' }] } });
    expect(Object.prototype).not.toHaveProperty('thingId');
  });

  it('ignores them in router.invoke and refuses them as field names when an operation is defined', async () => {
    const { router } = setup();
    await expect(router.invoke('Things', 'getThing', JSON.parse('{"__proto__":{"thingId":"INJECTED"}}'))).rejects.toMatchObject({ status: 400 });
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(() => actionGroup({ name: 'G', description: 'G' }).operation({ name: 'op', method: 'GET', path: '/op', description: 'Op.', input: z.object({ [name]: z.string() }), handler: () => 1 })).toThrow(
        `Operation "op" in group "G": field "${name}" has a reserved name (__proto__, constructor and prototype are never read from a caller); rename it`,
      );
    }
  });
});

describe('no handler failure makes handle() reject: a 500 in the door shape, the logger never throws', () => {
  const GENERIC = /^behave failed unexpectedly; the details were logged \(request [^)]+\)\. Try again later\.$/;

  it.each(['throw-cyclic', 'bigint', 'cyclic', 'throwing-tojson'])('%s: function door FAILURE, OpenAPI 500, AgentCore {error}', async (how) => {
    const { router, log } = setup();
    const fn = (await router.handle(fnEvent('behave', [{ name: 'how', value: how }]))) as FnReply;
    expect(fn.response.functionResponse.responseState).toBe('FAILURE');
    const fnError = JSON.parse(fn.response.functionResponse.responseBody.TEXT.body).error;
    expect(fnError.code).toBe('INTERNAL');
    expect(fnError.message).toMatch(GENERIC);
    const api = (await router.handle(bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/behave', httpMethod: 'GET', parameters: { how } }))) as ApiReply;
    expect(api.response.httpStatusCode).toBe(500);
    expect(JSON.parse(api.response.responseBody['application/json'].body).error.message).toMatch(GENERIC);
    const core = (await router.handle({ how }, agentCoreContext('behave'))) as { error: { code: string; message: string } };
    expect(core.error.code).toBe('INTERNAL');
    expect(JSON.stringify(core)).not.toContain('secret');
    expect(log.lines.filter((l) => l.level === 'error').length).toBeGreaterThanOrEqual(3);
  });

  it('logs a thrown cyclic object with "[Circular]" and an ActionError with a cyclic cause, answering its own status', async () => {
    const { router, log } = setup();
    await router.handle(fnEvent('behave', [{ name: 'how', value: 'throw-cyclic' }]));
    expect(log.lines.find((l) => l.message === 'unexpected error')?.error).toEqual({ name: 'loop', self: '[Circular]' });
    const fn = (await router.handle(fnEvent('behave', [{ name: 'how', value: 'throw-action-cyclic-cause' }]))) as FnReply;
    expect(JSON.parse(fn.response.functionResponse.responseBody.TEXT.body)).toEqual({ error: { code: 'BAD_GATEWAY', message: 'The upstream failed.' } });
    expect(log.lines.find((l) => l.message === 'operation failed')?.cause).toEqual({ name: 'loop', self: '[Circular]' });
  });

  it('drops ActionError details that cannot be serialised, keeping status and message', async () => {
    const { router } = setup();
    const fn = (await router.handle(fnEvent('behave', [{ name: 'how', value: 'throw-action-cyclic-details' }]))) as FnReply;
    expect(fn.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(fn.response.functionResponse.responseBody.TEXT.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'No such thing.' } });
    const http = await router.fetch(new Request('http://x/behave?how=throw-action-cyclic-details'));
    expect(http.status).toBe(404);
    expect(await http.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such thing.' } });
  });

  it('answers HTTP with the generic 500 for an output that cannot be serialised', async () => {
    const { router } = setup();
    const http = await router.fetch(new Request('http://x/behave?how=bigint'));
    expect(http.status).toBe(500);
    expect((await http.json()).error.message).toMatch(GENERIC);
  });

  it('writes session values that cannot be serialised leniently', async () => {
    const { router } = setup();
    const fn = (await router.handle(fnEvent('behave', [{ name: 'how', value: 'session-cyclic' }]))) as FnReply;
    expect(fn.sessionAttributes).toEqual({ loop: '{"name":"loop","self":"[Circular]"}' });
  });

  it('a logger never throws: cyclic and BigInt fields, throwing getters, a failing sink', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    const getter = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
    expect(() => logger.info('cyclic', { value: cyclic(), n: 10n })).not.toThrow();
    expect(JSON.parse(lines[0] as string)).toMatchObject({ message: 'cyclic', value: { name: 'loop', self: '[Circular]' }, n: '10' });
    expect(() => logger.info('getter', { getter })).not.toThrow();
    expect(JSON.parse(lines[1] as string)).toMatchObject({ message: 'getter', fieldsError: 'the fields of this line could not be serialised' });
    const failing = createLogger({ write: () => { throw new Error('EPIPE'); } });
    expect(() => failing.error('lost', { a: 1 })).not.toThrow();
  });
});

describe('error replies obey maxResponseBytes', () => {
  it('lists the first problems of 300 bad items and says how many more there are, within the cap', async () => {
    const { router } = setup();
    const tags = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'x' : String(i)));
    const event = bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/things', httpMethod: 'POST', body: {} });
    event.requestBody = { content: { 'application/json': { properties: [{ name: 'thingId', type: 'string', value: 'T-1' }, { name: 'tags', type: 'array', value: JSON.stringify(tags) }] } } };
    const reply = (await router.handle(event)) as ApiReply;
    const body = reply.response.responseBody['application/json'].body;
    expect(reply.response.httpStatusCode).toBe(400);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(25_000);
    const error = JSON.parse(body).error;
    expect(error.details.length).toBeLessThanOrEqual(50);
    expect(error.details[0]).toEqual({ field: 'tags.0', problem: 'expected a number, got "x"' });
    expect(error.message).toMatch(/; and 90 more \(100 problems in all\)\. Fix these fields and call again\.$/);
  });

  it('cuts an error to a small cap: the message shortened, details kept as far as they fit and counted', async () => {
    const { router } = setup({ maxResponseBytes: 1_000 });
    const tags = Array.from({ length: 60 }, () => 'x');
    const event = bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/things', httpMethod: 'POST', body: {} });
    event.requestBody = { content: { 'application/json': { properties: [{ name: 'thingId', type: 'string', value: 'T-1' }, { name: 'tags', type: 'array', value: JSON.stringify(tags) }] } } };
    const reply = (await router.handle(event)) as ApiReply;
    const body = reply.response.responseBody['application/json'].body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_000);
    const error = JSON.parse(body).error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.length).toBeGreaterThan(0);
    expect(error.message).toContain(`(details cut to the first ${error.details.length} of 50 entries to fit the reply)`);
  });

  it('cuts an unknown 30 000-character function name in the 404', async () => {
    const { router } = setup();
    const reply = (await router.handle(fnEvent('f'.repeat(30_000), []))) as FnReply;
    const body = reply.response.functionResponse.responseBody.TEXT.body;
    expect(reply.response.functionResponse.responseState).toBe('REPROMPT');
    expect(body.length).toBeLessThan(1_000);
    expect(JSON.parse(body).error.message).toContain(`Unknown operation: function "${'f'.repeat(99)}…" in action group "Things".`);
  });
});

describe('session maps are always replied as string → string maps', () => {
  it.each([
    ['an array', ['a', 'b'], {}],
    ['non-string values', { role: 'Agent', n: 5, flag: true, nested: { a: 1 }, gone: null }, { role: 'Agent', n: '5', flag: 'true', nested: '{"a":1}' }],
  ])('normalises %s whether or not the handler touches ctx.session', async (_what, received, expected) => {
    const { router } = setup();
    for (const touch of [false, true]) {
      const reply = (await router.handle(fnEvent('behave', [{ name: 'how', value: 'ok' }, { name: 'touch', value: String(touch) }], { sessionAttributes: received, promptSessionAttributes: received }))) as FnReply;
      expect(reply.sessionAttributes, `touch ${touch}`).toEqual(touch ? { ...expected, seen: 'yes' } : expected);
      expect(reply.promptSessionAttributes, `touch ${touch}`).toEqual(expected);
    }
  });

  it('normalises them on a malformed event and on the OpenAPI door too', async () => {
    const { router } = setup();
    const malformed = (await router.handle(fnEvent('behave', 'not a list' as never, { sessionAttributes: { n: 1 } }))) as FnReply;
    expect(malformed.sessionAttributes).toEqual({ n: '1' });
    const api = (await router.handle({ ...bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/behave', httpMethod: 'GET', parameters: { how: 'ok' } }), sessionAttributes: [1, 2] })) as ApiReply;
    expect(api.sessionAttributes).toEqual({});
  });
});

describe('identity is read from the session attributes as received', () => {
  // Only string values name a caller; normalising a map for the reply must not turn `userId: 42` into one.
  const whoami = () =>
    createRouter({ logger: createLogger({ write: () => {} }) }).add(
      actionGroup({ name: 'Who', description: 'Who' }).operation({
        name: 'whoami',
        method: 'GET',
        path: '/whoami',
        description: 'Says who is calling.',
        input: z.object({}),
        handler: (_input, ctx) => ({ ...ctx.caller }),
      }),
    );
  const received = { role: true, userId: 42, email: 'ann@example.com' } as never;

  it('on both Bedrock styles, while the reply still carries the map string → string', async () => {
    const router = whoami();
    const fn = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Who', function: 'whoami', sessionAttributes: received }))) as FnReply;
    expect(JSON.parse(fn.response.functionResponse.responseBody.TEXT.body)).toEqual({ email: 'ann@example.com' });
    expect(fn.sessionAttributes).toEqual({ role: 'true', userId: '42', email: 'ann@example.com' });
    const api = (await router.handle({ ...bedrockOpenApiEvent({ actionGroup: 'Who', apiPath: '/whoami', httpMethod: 'GET' }), sessionAttributes: received })) as ApiReply;
    expect(JSON.parse(api.response.responseBody['application/json'].body)).toEqual({ email: 'ann@example.com' });
    expect(api.sessionAttributes).toEqual({ role: 'true', userId: '42', email: 'ann@example.com' });
  });

  it('on return of control', async () => {
    const [result] = await whoami().returnControl({ invocationInputs: [{ functionInvocationInput: { actionGroup: 'Who', function: 'whoami', parameters: [] } }] }, { sessionAttributes: received });
    expect(JSON.parse((result as { functionResult: { responseBody: { TEXT: { body: string } } } }).functionResult.responseBody.TEXT.body)).toEqual({ email: 'ann@example.com' });
  });
});
