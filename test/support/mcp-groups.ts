import { z } from 'zod';
import { ActionError, actionGroup, type ActionGroup } from '../../src/index.js';

/** Two groups for the MCP and Converse tests: every method, a role, a clash of names, a 5xx, an HTTP-only operation. */
export function mcpGroups(): [ActionGroup, ActionGroup] {
  const orders = actionGroup({ name: 'Orders', description: 'Customer orders' })
    .operation({
      name: 'getOrder',
      method: 'GET',
      path: '/orders/{orderId}',
      summary: 'Get an order',
      description: 'Get one order by its id. Use when the customer names an order number.',
      input: z.object({
        orderId: z.string().describe('Order id, e.g. A-1001'),
        maxItems: z.number().int().min(1).max(50).optional().describe('Most lines to include'),
      }),
      output: z.object({
        orderId: z.string().describe('Order id'),
        status: z.enum(['open', 'shipped']).nullable().describe('Stage, null when unknown'),
        total: z.number().describe('Total in euros'),
        caller: z.string().nullable().describe('Who asked'),
      }),
      handler: ({ orderId }, ctx) => {
        if (orderId === 'boom') throw new Error('database password=hunter2 exploded');
        if (orderId === 'missing') throw new ActionError(404, `Order ${orderId} does not exist; check the number with the customer.`);
        return { orderId, status: orderId === 'A-2' ? null : ('shipped' as const), total: 42.5, caller: ctx.caller.userId ?? ctx.caller.role ?? null };
      },
    })
    .operation({
      name: 'cancelOrder',
      method: 'DELETE',
      path: '/orders/{orderId}',
      description: 'Cancel an order. Use only when the customer confirms.',
      input: z.object({ orderId: z.string().describe('Order id') }),
      allowedRoles: ['Supervisor'],
      handler: ({ orderId }) => ({ orderId, cancelled: true }),
    })
    .operation({
      name: 'status',
      method: 'GET',
      path: '/orders/status',
      description: 'Whether the order service is up.',
      input: z.object({}),
      handler: () => 'orders up',
    })
    .operation({
      name: 'uploadScan',
      method: 'POST',
      path: '/orders/{orderId}/scan',
      description: 'A scan a person uploads.',
      input: z.object({ orderId: z.string().describe('Order id') }),
      doors: { agent: false },
      handler: () => ({ ok: true }),
    });
  const billing = actionGroup({ name: 'Billing', description: 'Invoices' })
    .operation({
      name: 'addCredit',
      method: 'POST',
      path: '/credits',
      description: 'Give a customer credit. Use after a failed delivery.',
      input: z.object({
        customerId: z.string().describe('Customer id'),
        amount: z.number().positive().describe('Euros'),
        reason: z.enum(['late', 'damaged']).describe('Why'),
      }),
      handler: ({ customerId, amount }) => ({ customerId, amount, balance: amount }),
    })
    .operation({
      name: 'setLimit',
      method: 'PUT',
      path: '/limits/{customerId}',
      description: 'Set the credit limit of a customer.',
      input: z.object({ customerId: z.string().describe('Customer id'), limit: z.number().describe('Euros') }),
      handler: ({ customerId, limit }) => ({ customerId, limit }),
    })
    .operation({
      name: 'status',
      method: 'GET',
      path: '/billing/status',
      description: 'Whether the billing service is up.',
      input: z.object({}),
      handler: () => 'billing up',
    });
  return [orders, billing];
}
