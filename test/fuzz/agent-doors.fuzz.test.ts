// Fuzzing every agent door with events it recognises but whose contents are anything a hostile or buggy
// caller could send, against handlers that misbehave in every way a handler can: `handle` (and
// `returnControl`) never reject, the reply always has the door's shape with a status in 200–599, no 5xx
// leaks a stack or a handler's own message, and Object.prototype is never touched.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter } from '../../src/index.js';
import { agentCoreContext, lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

const RUNS = 300;
const SECRET = 'HANDLER-SECRET';
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

const cyclic = () => {
  const o: Record<string, unknown> = { secret: SECRET };
  o.self = o;
  return o;
};

/** What a handler does, chosen by the caller's `mode` (any other value: a normal reply). */
function misbehave(mode: unknown, ctx: { session: Record<string, string> }): unknown {
  switch (mode) {
    case 'throw':
      throw new Error(`${SECRET}: database password is hunter2`);
    case 'throw-cyclic':
      throw cyclic();
    case 'throw-string':
      throw SECRET;
    case 'throw-action':
      throw new ActionError(503, 'The service is busy; try again later.', { cause: cyclic(), details: { retryAfter: 5 } });
    case 'throw-action-bad-details':
      throw new ActionError(409, 'Conflict.', { details: { n: 1n } });
    case 'bigint':
      return { n: 1n };
    case 'cyclic':
      return cyclic();
    case 'function':
      return { f: () => SECRET, items: [1, 2, 3] };
    case 'huge':
      return { items: Array.from({ length: 5_000 }, (_, i) => ({ i, text: 'x'.repeat(20) })) };
    case 'undefined':
      return undefined;
    case 'text':
      return 'plain text';
    case 'session':
      Object.assign(ctx.session, { obj: cyclic(), n: 5, gone: null, big: 2n });
      return { ok: true };
    default:
      return { ok: true };
  }
}

const group = actionGroup({ name: 'Fuzz', description: 'Fuzzing target' })
  .operation({
    name: 'getThing',
    method: 'GET',
    path: '/things/{thingId}',
    description: 'Gets a thing.',
    input: z.object({
      thingId: z.string().describe('Id'),
      mode: z.string().optional().describe('Mode'),
      count: z.number().int().optional().describe('Count'),
      exact: z.boolean().optional().describe('Exact'),
      kind: z.enum(['a', 'b']).optional().describe('Kind'),
      ids: z.array(z.number()).optional().describe('Ids'),
    }),
    handler: (input, ctx) => misbehave(input.mode, ctx),
  })
  .operation({
    name: 'saveThing',
    method: 'POST',
    path: '/things',
    description: 'Saves a thing.',
    input: z.object({
      mode: z.string().optional().describe('Mode'),
      lines: z.array(z.object({ sku: z.string(), qty: z.number() })).optional().describe('Lines'),
      note: z.string().max(20).optional().describe('Note'),
    }),
    handler: async (input, ctx) => misbehave(input.mode, ctx),
  })
  .operation({
    name: 'adminOnly',
    method: 'DELETE',
    path: '/things/{thingId}',
    description: 'Deletes a thing.',
    allowedRoles: ['Supervisor'],
    timeoutMs: 50,
    input: z.object({ thingId: z.string().describe('Id'), mode: z.string().optional().describe('Mode') }),
    handler: async (input, ctx) => misbehave(input.mode, ctx),
  });

const log = memoryLogger();
const router = createRouter({ logger: log.logger, maxResponseBytes: 4_000 }).add(group);

// ---- what callers send ------------------------------------------------------------------------------

const MODES = ['throw', 'throw-cyclic', 'throw-string', 'throw-action', 'throw-action-bad-details', 'bigint', 'cyclic', 'function', 'huge', 'undefined', 'text', 'session', 'ok'];
const FIELD_NAMES = ['thingId', 'mode', 'count', 'exact', 'kind', 'ids', 'lines', 'note', '__proto__', 'constructor', 'prototype', 'toString'];

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('', '42', '-1.5e3', 'true', 'FALSE', 'NaN', 'Infinity', '0x1A', '[1, 2]', '[{sku=a, qty=2}]', '[{"sku":"a","qty":"2"}]', '{k=v}', 'a,b,c', '[[[[', '}}}'),
  fc.tuple(fc.constantFrom('1', ',', '[', '{', ' ', '1.'), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('', 'x', ']')).map(([u, n, s]) => u.repeat(n) + s),
);
const value = fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: fc.anything() });
const parameter = fc.oneof(
  { weight: 8, arbitrary: fc.record({ name: fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'array'), value }) },
  { weight: 2, arbitrary: fc.record({ name: fc.constant('mode'), type: fc.constant('string'), value: fc.constantFrom(...MODES) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom('__proto__', 'constructor', 'prototype'), value: fc.constant({ thingId: 'INJECTED', mode: 'ok' }) }) },
  { weight: 1, arbitrary: fc.anything() },
);
const parameters = fc.oneof({ weight: 8, arbitrary: fc.array(parameter, { maxLength: 8 }) }, { weight: 1, arbitrary: fc.anything() });
const attributes = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('role', 'userId', 'email', '__proto__'), fc.string()), fc.string()) },
  { weight: 1, arbitrary: fc.constant({ role: 'Supervisor' }) },
  { weight: 2, arbitrary: fc.anything() },
);
const groupName = fc.oneof(fc.constant('Fuzz'), fc.string(), fc.constant('x'.repeat(30_000)));
const operationName = fc.oneof(fc.constantFrom('getThing', 'saveThing', 'adminOnly'), fc.string(), fc.constant('f'.repeat(30_000)));
const apiPath = fc.oneof(fc.constantFrom('/things/{thingId}', '/things'), fc.string());
const httpMethod = fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE', 'get', 'PATCH'), fc.anything());
const requestBody = fc.oneof(
  fc.record({ content: fc.record({ 'application/json': fc.record({ properties: parameters }) }) }),
  fc.record({ content: fc.anything() }),
  fc.anything(),
);
const common = { agent: fc.anything(), inputText: fc.anything(), sessionId: fc.anything(), sessionAttributes: attributes, promptSessionAttributes: attributes };

// Half the events reach a handler: a call that names a real operation, with the fields it needs and a mode.
const reaching = fc.tuple(fc.constantFrom(...MODES), fc.array(parameter, { maxLength: 3 })).map(([mode, extra]) => [
  { name: 'thingId', type: 'string', value: 'T-1' },
  { name: 'mode', type: 'string', value: mode },
  ...extra,
]);
const reachingAttributes = fc.oneof(attributes, fc.constant({ role: 'Supervisor' }));
const functionEvent = fc.oneof(
  fc.record({ messageVersion: fc.constant('1.0'), actionGroup: groupName, function: operationName, parameters, ...common }, { requiredKeys: ['messageVersion', 'actionGroup', 'function'] }),
  fc.record({ messageVersion: fc.constant('1.0'), actionGroup: fc.constant('Fuzz'), function: fc.constantFrom('getThing', 'saveThing', 'adminOnly'), parameters: reaching, sessionAttributes: reachingAttributes }),
);
const openApiEvent = fc.oneof(
  fc.record({ messageVersion: fc.constant('1.0'), actionGroup: groupName, apiPath, httpMethod, parameters, requestBody, ...common }, { requiredKeys: ['messageVersion', 'actionGroup', 'apiPath'] }),
  fc
    .tuple(fc.constantFrom(['/things/{thingId}', 'GET'], ['/things', 'POST'], ['/things/{thingId}', 'DELETE']), reaching, reachingAttributes)
    .map(([[path, method], list, sessionAttributes]) => ({
      messageVersion: '1.0',
      actionGroup: 'Fuzz',
      apiPath: path as string,
      httpMethod: method as string,
      sessionAttributes,
      ...(method === 'POST' ? { requestBody: { content: { 'application/json': { properties: list } } } } : { parameters: list }),
    })),
);
const withContext = fc.option(fc.constant(lambdaContext()), { nil: undefined });

// ---- what every reply must be -----------------------------------------------------------------------

function expectStringMap(map: unknown): void {
  expect(map !== null && typeof map === 'object' && !Array.isArray(map)).toBe(true);
  for (const v of Object.values(map as object)) expect(typeof v).toBe('string');
}

/** An error body (when the body is one) has a code and a message, and a 5xx leaks nothing. */
function expectSafeBody(body: string, status: number): void {
  expect(typeof body).toBe('string');
  if (status >= 500) {
    expect(body).not.toContain(SECRET);
    expect(body).not.toMatch(/\n\s+at /);
    expect(body).not.toContain('hunter2');
  }
  if (status >= 400) {
    const error = JSON.parse(body).error;
    expect(typeof error.code).toBe('string');
    expect(typeof error.message).toBe('string');
  }
}

function expectPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).thingId).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** The status class a function-style reply stands for: its `responseState` is all it carries. */
function statusOf(state: unknown): number {
  if (state === undefined) return 200;
  expect(['REPROMPT', 'FAILURE']).toContain(state);
  return state === 'FAILURE' ? 500 : 400;
}

afterAll(() => {
  // Fuzzing exercised the misbehaving handlers: their failures went to the log, never to a reply.
  expect(log.text()).toContain('unexpected error');
});

describe('fuzzing the agent doors', () => {
  it('Bedrock function door: never rejects, always the function reply shape', async () => {
    await fc.assert(
      fc.asyncProperty(functionEvent, withContext, async (event, context) => {
        const reply = (await router.handle(event, context)) as Record<string, any>;
        expect(reply.messageVersion).toBe('1.0');
        expect(reply.response.actionGroup).toBe(event.actionGroup);
        expect(reply.response.function).toBe(event.function);
        const fr = reply.response.functionResponse;
        const body = fr.responseBody.TEXT.body;
        expectSafeBody(body, statusOf(fr.responseState));
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4_000);
        expectStringMap(reply.sessionAttributes);
        expectStringMap(reply.promptSessionAttributes);
        expectPrototypeUntouched();
      }),
      { numRuns: RUNS },
    );
  });

  it('Bedrock OpenAPI door: never rejects, always the OpenAPI reply shape with a status in 200–599', async () => {
    await fc.assert(
      fc.asyncProperty(openApiEvent, withContext, async (event, context) => {
        const reply = (await router.handle(event, context)) as Record<string, any>;
        expect(reply.messageVersion).toBe('1.0');
        expect(reply.response.actionGroup).toBe(event.actionGroup);
        expect(reply.response.apiPath).toBe(event.apiPath);
        expect(typeof reply.response.httpMethod).toBe('string');
        const status = reply.response.httpStatusCode;
        expect(Number.isInteger(status) && status >= 200 && status <= 599).toBe(true);
        const body = reply.response.responseBody['application/json'].body;
        expectSafeBody(body, status);
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4_000);
        expectStringMap(reply.sessionAttributes);
        expectStringMap(reply.promptSessionAttributes);
        expectPrototypeUntouched();
      }),
      { numRuns: RUNS },
    );
  });

  it('AgentCore Gateway door: never rejects, always plain JSON (errors as { error: { code, message } })', async () => {
    const args = fc.oneof(
      fc.dictionary(fc.constantFrom(...FIELD_NAMES), value),
      fc.record({ thingId: fc.string(), mode: fc.constantFrom(...MODES) }),
      fc.record({ thingId: fc.string(), mode: fc.constantFrom(...MODES) }),
      fc.constant(JSON.parse('{"__proto__":{"thingId":"INJECTED","mode":"ok"}}')),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(args, fc.oneof(operationName, fc.constantFrom('getThing', 'saveThing')), fc.string(), async (event, tool, target) => {
        const reply = await router.handle(event, agentCoreContext(tool, { target: target.replaceAll('_', '') || 't' }));
        const text = JSON.stringify(reply);
        expect(text === undefined || typeof text === 'string').toBe(true);
        if (reply !== null && typeof reply === 'object' && 'error' in reply) {
          const error = (reply as { error: { code: unknown; message: unknown } }).error;
          expect(typeof error.code).toBe('string');
          expect(typeof error.message).toBe('string');
          if (error.code === 'INTERNAL') expectSafeBody(text, 500);
        }
        expect(text ?? '').not.toContain('hunter2');
        expectPrototypeUntouched();
      }),
      { numRuns: RUNS },
    );
  });

  it('return of control: never rejects for a payload of invocation inputs, one result in Bedrock shape per input', async () => {
    const api = fc.oneof(
      fc.record({ apiInvocationInput: fc.record({ actionGroup: groupName, apiPath, httpMethod, parameters, requestBody }, { requiredKeys: [] }) }),
      reaching.map((parameters) => ({ apiInvocationInput: { actionGroup: 'Fuzz', apiPath: '/things/{thingId}', httpMethod: 'GET', parameters } })),
    );
    const fn = fc.oneof(
      fc.record({ functionInvocationInput: fc.record({ actionGroup: groupName, function: operationName, parameters }, { requiredKeys: [] }) }),
      reaching.map((parameters) => ({ functionInvocationInput: { actionGroup: 'Fuzz', function: 'adminOnly', parameters } })),
    );
    const payload = fc.record({ invocationId: fc.string(), invocationInputs: fc.array(fc.oneof(api, fn), { maxLength: 4 }) });
    const options = fc.record({ sessionAttributes: attributes, inputText: fc.string(), sessionId: fc.string() }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(payload, options, async (p, o) => {
        const results = await router.returnControl(p as never, o as never);
        expect(results).toHaveLength(p.invocationInputs.length);
        results.forEach((result, i) => {
          const input = p.invocationInputs[i] as Record<string, unknown>;
          if ('apiInvocationInput' in input) {
            const r = (result as { apiResult: Record<string, any> }).apiResult;
            for (const key of ['actionGroup', 'apiPath', 'httpMethod']) expect(typeof r[key]).toBe('string');
            expect(Number.isInteger(r.httpStatusCode) && r.httpStatusCode >= 200 && r.httpStatusCode <= 599).toBe(true);
            expectSafeBody(r.responseBody['application/json'].body, r.httpStatusCode);
          } else {
            const r = (result as { functionResult: Record<string, any> }).functionResult;
            for (const key of ['actionGroup', 'function']) expect(typeof r[key]).toBe('string');
            const body = r.responseBody.TEXT.body;
            expectSafeBody(body, statusOf(r.responseState));
          }
        });
        expectPrototypeUntouched();
      }),
      { numRuns: RUNS },
    );
  });
});
