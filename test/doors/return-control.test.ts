import { describe, expect, it } from 'vitest';
import { createRouter, type ReturnControlPayload } from '../../src/index.js';
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

  it('rejects a payload without invocationInputs', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    await expect(router.returnControl({} as ReturnControlPayload)).rejects.toThrow('returnControl: expected the payload InvokeAgent returned, with an "invocationInputs" list.');
  });
});
