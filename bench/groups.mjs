// The operation the HTTP load benches serve (http.bench.mjs, mcp.bench.mjs): GET /orders/{orderId},
// answered with `orderReply(orderId)`, on a router built from dist/ as a user's would be.

/** `{ orderId, status }`: the reply every server of the benches gives, the bare ones included. */
export const orderReply = (orderId) => ({ orderId, status: 'shipped' });

/**
 * A router (from dist/, loaded only when called so a bare server in the same file stays bare) with the
 * one group `Orders` and its operation `getOrder`, and `options` for createRouter. Logs only errors.
 */
export async function ordersRouter(options = {}) {
  const { z } = await import('zod');
  const { actionGroup, createLogger, createRouter } = await import('../dist/index.js');
  const group = actionGroup({ name: 'Orders', description: 'Orders' }).operation({
    name: 'getOrder',
    method: 'GET',
    path: '/orders/{orderId}',
    description: 'Get an order',
    input: z.object({ orderId: z.string().describe('Order id') }),
    output: z.object({ orderId: z.string().describe('Order id'), status: z.string().describe('Stage') }),
    handler: ({ orderId }) => orderReply(orderId),
  });
  return createRouter({ logger: createLogger({ level: 'error' }), ...options }).add(group);
}
