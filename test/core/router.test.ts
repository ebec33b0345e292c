import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter, type InvocationRecord } from '../../src/index.js';
import { bedrockFunctionEvent, bedrockOpenApiEvent, lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

type FnReply = { response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } } };
const bodyOf = (r: unknown) => JSON.parse((r as FnReply).response.functionResponse.responseBody.TEXT.body);
const quiet = () => memoryLogger().logger;

function listGroup(count: number, options: { truncate?: boolean; timeoutMs?: number } = {}) {
  return actionGroup({ name: 'Lists', description: 'Big lists' })
    .operation({
      name: 'list',
      method: 'GET',
      path: '/items',
      description: 'List items',
      input: z.object({ n: z.number().int().default(count).describe('How many') }),
      ...(options.truncate ? { truncate: true } : {}),
      handler: ({ n }) => ({ total: n, items: Array.from({ length: n }, (_, i) => ({ id: i, text: 'x'.repeat(90) })) }),
    })
    .operation({
      name: 'slow',
      method: 'GET',
      path: '/slow',
      description: 'Slow',
      input: z.object({}),
      timeoutMs: options.timeoutMs ?? 50,
      handler: (_input, ctx) =>
        new Promise((resolve) => {
          const t = setTimeout(() => resolve({ done: true }), 5_000);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(t);
            aborted.push(ctx.signal.reason as Error);
          });
        }),
    });
}
const aborted: Error[] = [];

describe('roles', () => {
  const call = (sessionAttributes: Record<string, string>, roleAttribute?: string) =>
    createRouter({ logger: quiet(), ...(roleAttribute ? { roleAttribute } : {}) })
      .add(ordersGroup())
      .handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'addItems', parameters: { orderId: 'A', items: [{ sku: 'S', qty: 1 }] }, sessionAttributes }));

  it('fails closed without a role, naming who may call, and logs the refusal', async () => {
    const log = memoryLogger();
    const reply = await createRouter({ logger: log.logger })
      .add(ordersGroup())
      .handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'addItems', parameters: { orderId: 'A', items: [{ sku: 'S', qty: 1 }] }, sessionAttributes: { email: 'eve@example.com' } }));
    expect(log.lines.find((l) => l.message === 'access denied')).toMatchObject({ level: 'warn', status: 403, email: 'eve@example.com', operation: 'addItems' });
    expect((reply as FnReply).response.functionResponse.responseState).toBe('REPROMPT');
    expect(bodyOf(reply)).toEqual({
      error: { code: 'FORBIDDEN', message: 'addItems requires one of the roles Agent, Supervisor; the caller has no role.', details: { allowedRoles: ['Agent', 'Supervisor'] } },
    });
  });

  it('refuses another role and accepts an allowed one (case-insensitive)', async () => {
    expect(bodyOf(await call({ role: 'Guest' })).error.message).toBe('addItems requires one of the roles Agent, Supervisor; the caller\'s role is "Guest".');
    expect(bodyOf(await call({ role: 'agent' }))).toEqual({ orderId: 'A', added: [{ sku: 'S', qty: 1 }], giftWrap: false, tags: [] });
  });

  it('reads the role from a configured attribute', async () => {
    expect(bodyOf(await call({ userRole: 'Supervisor' }, 'userRole')).orderId).toBe('A');
    expect(bodyOf(await call({ role: 'Supervisor' }, 'userRole')).error.code).toBe('FORBIDDEN');
  });

  it('lets an operation list replace the group list, and an empty list allow nobody', async () => {
    const g = actionGroup({ name: 'G', description: 'g', allowedRoles: ['Supervisor'] })
      .operation({ name: 'open', method: 'GET', path: '/open', description: 'd', input: z.object({}), allowedRoles: ['Agent'], handler: () => 'ok' })
      .operation({ name: 'closed', method: 'GET', path: '/closed', description: 'd', input: z.object({}), allowedRoles: [], handler: () => 'ok' })
      .operation({ name: 'inherit', method: 'GET', path: '/inherit', description: 'd', input: z.object({}), handler: () => 'ok' });
    const r = createRouter({ logger: quiet() }).add(g);
    await expect(r.invoke('G', 'open', {}, { caller: { role: 'Agent' } })).resolves.toBe('ok');
    await expect(r.invoke('G', 'inherit', {}, { caller: { role: 'Agent' } })).rejects.toMatchObject({ status: 403 });
    await expect(r.invoke('G', 'inherit', {}, { caller: { role: 'Supervisor' } })).resolves.toBe('ok');
    await expect(r.invoke('G', 'closed', {}, { caller: { role: 'Supervisor' } })).rejects.toMatchObject({ status: 403, message: 'closed requires a role, and none is allowed; the caller\'s role is "Supervisor".' });
  });
});

describe('reply size', () => {
  it('turns an oversize reply into a 413 that tells the model to narrow the request', async () => {
    const router = createRouter({ logger: quiet(), maxResponseBytes: 2_000 }).add(listGroup(100));
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Lists', function: 'list' }));
    expect((reply as FnReply).response.functionResponse.responseState).toBe('REPROMPT');
    const body = bodyOf(reply);
    expect(body.error.code).toBe('RESPONSE_TOO_LARGE');
    expect(body.error.message).toMatch(/^The reply of list is \d+ bytes, over the 2000-byte limit an agent accepts\. Narrow the request/);
    expect(body.error.details.maxBytes).toBe(2000);
  });

  it('uses 25 000 bytes by default', async () => {
    const router = createRouter({ logger: quiet() }).add(listGroup(0));
    expect(bodyOf(await router.handle(bedrockFunctionEvent({ actionGroup: 'Lists', function: 'list', parameters: { n: 200 } }))).total).toBe(200);
    expect(bodyOf(await router.handle(bedrockFunctionEvent({ actionGroup: 'Lists', function: 'list', parameters: { n: 300 } }))).error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('truncates arrays to fit when the operation opts in, and says so', async () => {
    const router = createRouter({ logger: quiet(), maxResponseBytes: 2_000 }).add(listGroup(100, { truncate: true }));
    const reply = await router.handle(bedrockOpenApiEvent({ actionGroup: 'Lists', apiPath: '/items', httpMethod: 'GET' }));
    const text = (reply as { response: { responseBody: { 'application/json': { body: string } } } }).response.responseBody['application/json'].body;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2_000);
    const body = JSON.parse(text);
    expect(body.truncated).toBe(true);
    expect(body.total).toBe(100);
    expect(body.items.length).toBeGreaterThan(10);
    expect(body.items[0]).toEqual({ id: 0, text: 'x'.repeat(90) });
    // As much as fits is kept: one more item would overflow.
    const oneMore = JSON.stringify({ ...body, items: [...body.items, body.items[0]] });
    expect(Buffer.byteLength(oneMore)).toBeGreaterThan(2_000);
  });
});

describe('timeouts', () => {
  it('replies 504 and aborts ctx.signal when timeoutMs elapses', async () => {
    aborted.length = 0;
    const router = createRouter({ logger: quiet() }).add(listGroup(1, { timeoutMs: 30 }));
    const started = Date.now();
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Lists', function: 'slow' }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((reply as FnReply).response.functionResponse.responseState).toBe('FAILURE');
    expect(bodyOf(reply)).toEqual({ error: { code: 'TIMEOUT', message: 'slow did not finish within 30 ms. Try again, or narrow the request.' } });
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toBeInstanceOf(ActionError);
  });

  it('caps the deadline by the Lambda time left', async () => {
    const router = createRouter({ logger: quiet() }).add(listGroup(1, { timeoutMs: 60_000 }));
    const reply = await router.handle(bedrockFunctionEvent({ actionGroup: 'Lists', function: 'slow' }), lambdaContext({ remainingMs: 600 }));
    expect(bodyOf(reply).error.code).toBe('TIMEOUT');
  });
});

describe('observability', () => {
  it('calls onInvocation once per call with the outcome', async () => {
    const records: InvocationRecord[] = [];
    const router = createRouter({ logger: quiet(), onInvocation: (r) => records.push(r) }).add(ordersGroup());
    await router.handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { orderId: 'A' }, sessionAttributes: { role: 'Agent', email: 'a@x.io' } }));
    await router.handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { orderId: 'missing' } }));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ group: 'Orders', operation: 'getOrder', door: 'bedrock-function', status: 200, caller: { role: 'Agent', email: 'a@x.io' } });
    expect(records[0]?.error).toBeUndefined();
    expect(records[1]).toMatchObject({ status: 404, error: { code: 'NOT_FOUND', message: 'order missing not found' } });
    expect(typeof records[1]?.durationMs).toBe('number');
  });

  it('a throwing onInvocation does not break the reply', async () => {
    const router = createRouter({ logger: quiet(), onInvocation: () => { throw new Error('analytics down'); } }).add(ordersGroup());
    expect(bodyOf(await router.handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { orderId: 'A' } }))).orderId).toBe('A');
  });

  it('echoes the received session attributes in the body when asked (debug)', async () => {
    const router = createRouter({ logger: quiet(), echoSessionAttributes: true }).add(ordersGroup());
    const body = bodyOf(await router.handle(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { orderId: 'A' }, sessionAttributes: { role: 'Agent' } })));
    expect(body._receivedSessionAttributes).toEqual({ role: 'Agent' });
  });
});

describe('router.handle and router.invoke', () => {
  it('rejects an event no door recognises, naming the accepted shapes', async () => {
    const router = createRouter({ logger: quiet() }).add(ordersGroup());
    await expect(router.handle({ hello: 'world' })).rejects.toThrow(
      /^Unrecognised event \(an object with keys: hello\)\. This router accepts: an AgentCore Gateway Lambda-target call .*a Bedrock Agents OpenAPI-style event .*a Bedrock Agents function-style event/,
    );
    await expect(router.handle(undefined)).rejects.toThrow('Unrecognised event (undefined). This router accepts: ');
    await expect(router.handle(null)).rejects.toThrow('Unrecognised event (null). This router accepts: ');
    await expect(router.handle('{"apiPath":"/x"}')).rejects.toThrow('Unrecognised event (a string of 16 characters). This router accepts: ');
    await expect(router.handle([{}, {}])).rejects.toThrow('Unrecognised event (an array of 2 items). This router accepts: ');
  });

  it('invoke resolves with the output and rejects with the door status', async () => {
    const router = createRouter({ logger: quiet() }).add(ordersGroup());
    await expect(router.invoke('Orders', 'getOrder', { orderId: 'A', maxItems: '2' })).resolves.toEqual({ orderId: 'A', status: 'shipped', includeItems: false, maxItems: 2, caller: null });
    await expect(router.invoke('Orders', 'getOrder', { orderId: 'missing' })).rejects.toMatchObject({ name: 'ActionError', status: 404, code: 'NOT_FOUND' });
    await expect(router.invoke('Orders', 'nope', {})).rejects.toMatchObject({ status: 404, message: 'Unknown operation "nope" in "Orders"; known: getOrder, addItems, orderNote.' });
    await expect(router.invoke('Nope', 'x', {})).rejects.toMatchObject({ status: 404, message: 'Unknown action group "Nope"; served: Orders.' });
    await expect(router.invoke('Orders', 'getOrder', [1])).rejects.toMatchObject({ status: 400, message: 'Invalid input for getOrder: expected an object of named parameters, got a list.' });
  });

  it('refuses a second group with the same name', () => {
    expect(() => createRouter().add(ordersGroup()).add(ordersGroup())).toThrow('Router: a group named "Orders" was already added');
  });
});

describe('a Bedrock event naming an action group the router does not serve', () => {
  const lookup = (group: string) =>
    actionGroup({ name: group, description: group }).operation({ name: 'lookup', method: 'GET', path: '/lookup', description: 'Look up', input: z.object({}), handler: () => group });

  it('is answered by the one group that has the operation', async () => {
    const router = createRouter({ logger: quiet() }).add(lookup('Renamed'));
    const reply = (await router.handle(bedrockOpenApiEvent({ actionGroup: 'AgentSideName', apiPath: '/lookup', httpMethod: 'GET' }))) as {
      response: { actionGroup: string; httpStatusCode: number; responseBody: { 'application/json': { body: string } } };
    };
    expect(reply.response.httpStatusCode).toBe(200);
    expect(reply.response.actionGroup).toBe('AgentSideName');
    expect(reply.response.responseBody['application/json'].body).toBe('Renamed');
  });

  it('is a 404 naming the groups when several have the operation', async () => {
    const router = createRouter({ logger: quiet() }).add(lookup('One')).add(lookup('Two'), { prefix: '/two' });
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'AgentSideName', function: 'lookup' }))) as { response: { functionResponse: { responseBody: { TEXT: { body: string } } } } };
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({
      error: { code: 'UNKNOWN_OPERATION', message: 'Action group "AgentSideName" is not served here and function "lookup" exists in several groups (One, Two).' },
    });
  });
});
