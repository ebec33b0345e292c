import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/express/app.js';
import { close, listen } from '../adapters/sockets.js';

describe('examples/express: OrderStatus under /api with an API key', () => {
  const server = createServer(createApp('s3cret-key'));
  let url: string;
  beforeAll(async () => {
    url = await listen(server);
  });
  afterAll(() => close(server));

  const auth = { authorization: 'Bearer s3cret-key' };

  it("keeps the app's own routes and 404, and serves health and schemas without a key", async () => {
    expect(await (await fetch(`${url}/`)).json()).toEqual({ service: 'order-status', api: '/api', health: '/api/health', schema: '/api/openapi/OrderStatus.json' });
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect(((await (await fetch(`${url}/api/openapi/OrderStatus.json`)).json()) as { openapi: string }).openapi).toBe('3.0.0');
    const missing = await fetch(`${url}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Nothing here; the API is under /api.' } });
  });

  it('answers 401 without the key or with a wrong one, and runs the operations with it', async () => {
    expect((await fetch(`${url}/api/orders/A-1001`)).status).toBe(401);
    expect((await fetch(`${url}/api/orders/A-1001`, { headers: { authorization: 'Bearer s3cret-kez' } })).status).toBe(401);
    expect(await (await fetch(`${url}/api/orders/A-1003`, { headers: auth })).json()).toEqual({ orderId: 'A-1003', status: 'delivered', carrier: 'UPS' });
    const cancel = await fetch(`${url}/api/orders/A-1002/cancel`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"reason":"changed_mind"}' });
    expect(await cancel.json()).toEqual({ orderId: 'A-1002', status: 'cancelled', cancelReason: 'changed_mind' });
  });
});
