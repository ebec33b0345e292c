// The example group used by the examples, the README and their tests: look up an order and cancel it.
import { z } from 'zod';
import { ActionError, actionGroup } from 'bedrock-action-groups';

/** One order as the example store keeps it. */
export interface Order {
  orderId: string;
  status: 'processing' | 'shipped' | 'delivered' | 'cancelled';
  carrier?: string;
  estimatedDelivery?: string;
  cancelReason?: string;
}

const OrderSchema = z.object({
  orderId: z.string().describe('Order id'),
  status: z.enum(['processing', 'shipped', 'delivered', 'cancelled']).describe('Where the order is'),
  carrier: z.string().optional().describe('Carrier, once shipped'),
  estimatedDelivery: z.string().optional().describe('Expected delivery date (YYYY-MM-DD)'),
  cancelReason: z.string().optional().describe('Why it was cancelled'),
});

/** A few orders to play with. */
export function sampleOrders(): Map<string, Order> {
  return new Map<string, Order>([
    ['A-1001', { orderId: 'A-1001', status: 'shipped', carrier: 'DHL', estimatedDelivery: '2026-03-14' }],
    ['A-1002', { orderId: 'A-1002', status: 'processing' }],
    ['A-1003', { orderId: 'A-1003', status: 'delivered', carrier: 'UPS' }],
  ]);
}

const orderId = z.string().regex(/^[A-Z]-\d{4}$/).describe('Order id as printed on the receipt, e.g. A-1001');

function find(orders: Map<string, Order>, id: string): Order {
  const order = orders.get(id);
  if (!order) throw new ActionError(404, `Order ${id} was not found. Check the id on the receipt (e.g. A-1001).`, { code: 'ORDER_NOT_FOUND' });
  return order;
}

/** The `OrderStatus` action group over an order store (a fresh sample store by default). */
export function orderStatusGroup(orders: Map<string, Order> = sampleOrders()) {
  return actionGroup({ name: 'OrderStatus', description: 'Look up customer orders and cancel them before they ship.' })
    .operation({
      name: 'getOrderStatus',
      method: 'GET',
      path: '/orders/{orderId}',
      description: 'Get the status of one order: processing, shipped (with carrier and expected delivery), delivered or cancelled. Use when the customer asks where an order is.',
      input: z.object({ orderId }),
      output: OrderSchema,
      handler: ({ orderId: id }) => find(orders, id),
    })
    .operation({
      name: 'cancelOrder',
      method: 'POST',
      path: '/orders/{orderId}/cancel',
      description: 'Cancel an order that has not shipped yet. Use only when the customer explicitly asks to cancel; orders already shipped or delivered cannot be cancelled.',
      input: z.object({
        orderId,
        reason: z.enum(['changed_mind', 'found_cheaper', 'too_slow', 'other']).default('other').describe('Why the customer cancels'),
      }),
      output: OrderSchema,
      requireConfirmation: true,
      handler: ({ orderId: id, reason }) => {
        const order = find(orders, id);
        if (order.status === 'cancelled') return order;
        if (order.status !== 'processing') {
          throw new ActionError(409, `Order ${id} is already ${order.status} and can no longer be cancelled; offer a return instead.`, { code: 'ORDER_NOT_CANCELLABLE' });
        }
        order.status = 'cancelled';
        order.cancelReason = reason;
        return order;
      },
    });
}
