import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/index.js';
import { toLambda } from '../../src/adapters/lambda.js';
import { agentCoreContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

describe('AgentCore Gateway Lambda target', () => {
  const router = () => createRouter({ logger: memoryLogger().logger }).add(ordersGroup());

  it('strips the target prefix, validates the event as input and replies with plain JSON', async () => {
    const handler = toLambda(router());
    const reply = await handler({ orderId: 'A-9', includeItems: true, maxItems: 4 }, agentCoreContext('getOrder', { target: 'orders-target' }));
    expect(reply).toEqual({ orderId: 'A-9', status: 'shipped', includeItems: true, maxItems: 4, caller: null });
  });

  it('still coerces strings to the declared types', async () => {
    const reply = await router().handle({ orderId: 'A-9', includeItems: 'false', maxItems: '7' }, agentCoreContext('orders___getOrder'));
    expect(reply).toMatchObject({ includeItems: false, maxItems: 7 });
  });

  it('takes native arrays of objects', async () => {
    const ctx = agentCoreContext('addItems');
    const r = createRouter({ logger: memoryLogger().logger, agentCoreCaller: () => ({ role: 'Agent' }) }).add(ordersGroup());
    expect(await r.handle({ orderId: 'A', items: [{ sku: 'X', qty: 2 }] }, ctx)).toEqual({ orderId: 'A', added: [{ sku: 'X', qty: 2 }], giftWrap: false, tags: [] });
  });

  it('answers errors as { error: { code, message, details? } }', async () => {
    expect(await router().handle({ orderId: 'missing' }, agentCoreContext('getOrder'))).toEqual({ error: { code: 'NOT_FOUND', message: 'order missing not found' } });
    expect(await router().handle({}, agentCoreContext('getOrder'))).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid input for getOrder: orderId is required (text). Fix this field and call again.',
        details: [{ field: 'orderId', problem: 'is required (text)' }],
      },
    });
    const unknown = (await router().handle({}, agentCoreContext('t___refund'))) as { error: { code: string; message: string } };
    expect(unknown.error.code).toBe('UNKNOWN_OPERATION');
    expect(unknown.error.message).toContain('tool "refund"');
  });

  it('has no caller unless agentCoreCaller provides one, so role-restricted tools fail closed', async () => {
    const reply = (await router().handle({ orderId: 'A', items: [{ sku: 'X', qty: 2 }] }, agentCoreContext('addItems'))) as { error: { code: string } };
    expect(reply.error.code).toBe('FORBIDDEN');
  });
});
