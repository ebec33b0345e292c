// createInvoker: router.invoke with no door behind it.
import { describe, expect, it } from 'vitest';
import { ActionError, createInvoker, createRouter } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

describe('createInvoker', () => {
  it('runs an operation with coercion, defaults and the caller it is given', async () => {
    const invoker = createInvoker(ordersGroup());
    expect(await invoker.invoke('Orders', 'getOrder', { orderId: 'A-1', maxItems: '3' }, { caller: { role: 'Agent' } })).toEqual({
      orderId: 'A-1', status: 'shipped', includeItems: false, maxItems: 3, caller: 'Agent',
    });
    expect(invoker.groups.map((g) => g.name)).toEqual(['Orders']);
  });

  it('rejects as router.invoke does: same ActionError status, code and message', async () => {
    const invoker = createInvoker([ordersGroup()]);
    const router = createRouter().add(ordersGroup());
    const calls: [string, string, unknown, object][] = [
      ['Orders', 'getOrder', { orderId: 'missing' }, {}],
      ['Orders', 'getOrder', { maxItems: 'x' }, {}],
      ['Orders', 'addItems', { orderId: 'A', items: [{ sku: 'S', qty: 1 }] }, { caller: { role: 'Guest' } }],
      ['Orders', 'nope', {}, {}],
      ['Shop', 'getOrder', {}, {}],
    ];
    for (const [group, op, input, call] of calls) {
      const mine = await invoker.invoke(group, op, input, call).catch((e: unknown) => e);
      const theirs = await router.invoke(group, op, input, call).catch((e: unknown) => e);
      expect(mine).toBeInstanceOf(ActionError);
      expect({ ...(mine as ActionError).toJSON(), status: (mine as ActionError).status }).toEqual({ ...(theirs as ActionError).toJSON(), status: (theirs as ActionError).status });
    }
    await expect(invoker.invoke('Orders', 'addItems', { orderId: 'A', items: [] }, { caller: { role: 'Agent' } })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('logs an unexpected error to its logger, never to the caller', async () => {
    const log = memoryLogger();
    const invoker = createInvoker(ordersGroup(), { logger: log.logger });
    const error = (await invoker.invoke('Orders', 'getOrder', { orderId: 'boom' }).catch((e: unknown) => e)) as ActionError;
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('hunter2');
    expect(log.lines.find((l) => l.message === 'unexpected error')).toMatchObject({ level: 'error', group: 'Orders', operation: 'getOrder', door: 'invoke' });
    expect(invoker.logger).toBe(log.logger);
  });

  it('refuses what is not a group and a repeated group name', () => {
    expect(() => createInvoker([ordersGroup(), 'Orders' as never])).toThrow(new TypeError('createInvoker: expected a group from actionGroup() or a list of them'));
    expect(() => createInvoker([ordersGroup(), ordersGroup()])).toThrow('Router: a group named "Orders" was already added');
  });
});
