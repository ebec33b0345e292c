import { z } from 'zod';
import { ActionError, actionGroup } from '../../src/index.js';

/** A small realistic group used across the door tests. */
export function ordersGroup() {
  return actionGroup({ name: 'Orders', description: 'Look up and change customer orders' })
    .operation({
      name: 'getOrder',
      method: 'GET',
      path: '/orders/{orderId}',
      description: 'Get one order by its id. Use when the customer names an order number.',
      input: z.object({
        orderId: z.string().describe('Order id, e.g. A-1001'),
        includeItems: z.boolean().default(false).describe('Include the order lines'),
        maxItems: z.number().int().min(1).max(50).optional().describe('Most lines to include'),
      }),
      handler: ({ orderId, includeItems, maxItems }, ctx) => {
        if (orderId === 'missing') throw new ActionError(404, `order ${orderId} not found`);
        if (orderId === 'boom') throw new Error('database password=hunter2 exploded');
        ctx.session.lastOrder = orderId;
        return { orderId, status: 'shipped', includeItems, ...(maxItems !== undefined ? { maxItems } : {}), caller: ctx.caller.role ?? null };
      },
    })
    .operation({
      name: 'addItems',
      method: 'POST',
      path: '/orders/{orderId}/items',
      description: 'Add lines to an order. Use when the customer asks to add products.',
      input: z.object({
        orderId: z.string().describe('Order id'),
        items: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })).min(1).describe('Lines to add'),
        giftWrap: z.boolean().optional().describe('Wrap as a gift'),
        tags: z.array(z.string()).default([]).describe('Free tags'),
      }),
      allowedRoles: ['Agent', 'Supervisor'],
      handler: ({ orderId, items, giftWrap, tags }) => ({ orderId, added: items, giftWrap: giftWrap ?? false, tags }),
    })
    .operation({
      name: 'orderNote',
      method: 'GET',
      path: '/orders/{orderId}/note',
      description: 'Get the free-text note of an order.',
      input: z.object({ orderId: z.string().describe('Order id') }),
      handler: ({ orderId }) => `Note for ${orderId}: leave at the door`,
    });
}
