import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type ReturnControlPayload } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

// The `returnControl` payload shape of InvokeAgent's response stream.
const payload: ReturnControlPayload = {
  invocationId: '79e0feaa-c6f7-49bf-814d-b7c498505172',
  invocationInputs: [
    {
      apiInvocationInput: {
        actionGroup: 'Orders',
        apiPath: '/orders/{orderId}',
        httpMethod: 'GET',
        actionInvocationType: 'RESULT',
        parameters: [{ name: 'orderId', type: 'string', value: 'A-1' }],
      },
    },
    {
      functionInvocationInput: {
        actionGroup: 'Orders',
        function: 'addItems',
        actionInvocationType: 'RESULT',
        parameters: [
          { name: 'orderId', type: 'string', value: 'A-1' },
          { name: 'items', type: 'array', value: '[{"sku":"MUG","qty":1}]' },
        ],
      },
    },
    { functionInvocationInput: { actionGroup: 'Orders', function: 'getOrder', parameters: [{ name: 'orderId', type: 'string', value: 'missing' }] } },
  ],
};

describe('return of control', () => {
  it('runs every invocation input and returns results in Bedrock shapes', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    const results = await router.returnControl(payload, { sessionAttributes: { role: 'Agent' } });
    expect(results).toEqual([
      {
        apiResult: {
          actionGroup: 'Orders',
          apiPath: '/orders/{orderId}',
          httpMethod: 'GET',
          httpStatusCode: 200,
          responseBody: { 'application/json': { body: JSON.stringify({ orderId: 'A-1', status: 'shipped', includeItems: false, caller: 'Agent' }) } },
        },
      },
      {
        functionResult: {
          actionGroup: 'Orders',
          function: 'addItems',
          responseBody: { TEXT: { body: JSON.stringify({ orderId: 'A-1', added: [{ sku: 'MUG', qty: 1 }], giftWrap: false, tags: [] }) } },
        },
      },
      {
        functionResult: {
          actionGroup: 'Orders',
          function: 'getOrder',
          responseState: 'REPROMPT',
          responseBody: { TEXT: { body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'order missing not found' } }) } },
        },
      },
    ]);
  });

  it('enforces roles: without a caller the restricted function is refused', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    const results = await router.returnControl({ invocationInputs: [payload.invocationInputs[1]!] });
    expect(results[0]).toMatchObject({ functionResult: { responseState: 'REPROMPT' } });
  });

  it('keeps responseState on an apiResult: REPROMPT for a 4xx, FAILURE for a 5xx', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    const api = (orderId: string) => ({ apiInvocationInput: { actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', parameters: [{ name: 'orderId', type: 'string', value: orderId }] } });
    const [missing, boom] = await router.returnControl({ invocationInputs: [api('missing'), api('boom')] });
    expect(missing).toEqual({
      apiResult: {
        actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', httpStatusCode: 404, responseState: 'REPROMPT',
        responseBody: { 'application/json': { body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'order missing not found' } }) } },
      },
    });
    expect(boom).toMatchObject({ apiResult: { httpStatusCode: 500, responseState: 'FAILURE' } });
    expect((boom as { apiResult: { responseBody: { 'application/json': { body: string } } } }).apiResult.responseBody['application/json'].body).not.toContain('hunter2');
  });

  it('refuses a payload with a malformed entry with a 400, running none of its entries (not skipping the bad one)', async () => {
    const calls: string[] = [];
    const counter = actionGroup({ name: 'Counter', description: 'Counts calls' }).operation({
      name: 'bump', method: 'POST', path: '/bump', description: 'Count one call of the counter.', input: z.object({ by: z.string().describe('Who bumps it') }),
      handler: ({ by }) => {
        calls.push(by);
        return { count: calls.length };
      },
    });
    const router = createRouter({ logger: memoryLogger().logger }).add(counter);
    const bump = { functionInvocationInput: { actionGroup: 'Counter', function: 'bump', parameters: [{ name: 'by', type: 'string', value: 'first' }] } };
    for (const bad of [{ apiInvocation: {} }, null, 'bump', { functionInvocationInput: 'bump' }]) {
      const rejection = router.returnControl({ invocationInputs: [bump, bad] as ReturnControlPayload['invocationInputs'] });
      await expect(rejection).rejects.toMatchObject({ status: 400, message: 'returnControl: every invocation input needs an "apiInvocationInput" or a "functionInvocationInput".' });
    }
    expect(calls).toEqual([]);
    expect(await router.returnControl({ invocationInputs: [bump] })).toEqual([{ functionResult: { actionGroup: 'Counter', function: 'bump', responseBody: { TEXT: { body: '{"count":1}' } } } }]);
  });

  it('rejects a payload without invocationInputs', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    await expect(router.returnControl({} as ReturnControlPayload)).rejects.toThrow('returnControl: expected the payload InvokeAgent returned, with an "invocationInputs" list.');
  });
});
