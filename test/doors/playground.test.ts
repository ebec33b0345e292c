import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type RouterOptions } from '../../src/index.js';
import { assets } from '../../src/playground/assets.generated.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

const PAGES = ['/playground', '/docs', '/playground/operations.json', '/playground/assets/playground.js', '/playground/assets/playground.css', '/playground/assets/docs.js', '/playground/assets/docs.css'];

/** An operation only agents may call, with an enum, for the catalog. */
const statusGroup = actionGroup({ name: 'Status', description: 'Order status for agents' }).operation({
  name: 'setStatus',
  method: 'PUT',
  path: '/status/{orderId}',
  description: 'Set the status of an order.',
  input: z.object({ orderId: z.string().describe('Order id'), status: z.enum(['open', 'closed']).describe('New status') }),
  doors: { http: false },
  handler: (input, ctx) => ({ ...input, caller: ctx.caller }),
});

function setup(options: RouterOptions = {}) {
  return createRouter({ logger: memoryLogger().logger, ...options }).add(ordersGroup(), { prefix: '/v1' }).add(statusGroup);
}

const get = (router: ReturnType<typeof setup>, path: string, init?: RequestInit) => router.fetch(new Request(`http://local${path}`, init));
const postJson = (router: ReturnType<typeof setup>, path: string, body: unknown, headers: Record<string, string> = {}) =>
  get(router, path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('playground routes', () => {
  it('are all 404 unless the router is created with playground: true, and POST /agentcore too', async () => {
    for (const router of [setup(), setup({ playground: false }), setup({ bedrockEndpoint: true })]) {
      for (const path of PAGES) expect((await get(router, path)).status, path).toBe(404);
      expect((await postJson(router, '/agentcore', { event: {}, clientContext: { custom: { bedrockAgentCoreToolName: 't___getOrder' } } })).status).toBe(404);
    }
  });

  it('serves the playground page as HTML under a strict Content-Security-Policy, loading only its own assets', async () => {
    const response = await get(setup({ playground: true }), '/playground');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<script src="playground/assets/playground.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="playground/assets/playground.css">');
    // No inline script and nothing from another origin.
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="playground/assets/playground.js">']);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves /docs as a page over /openapi.json with the same policy', async () => {
    const response = await get(setup({ playground: true }), '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<script src="playground/assets/docs.js"></script>');
    expect(assets['docs.js']).toContain('openapi.json');
  });

  it('serves the bundled assets with their content types; the chart library and Swagger UI are inside them', async () => {
    const router = setup({ playground: true });
    const js = await get(router, '/playground/assets/playground.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(assets['playground.js']);
    expect(assets['playground.js']).toContain('vega-lite');
    expect((await get(router, '/playground/assets/docs.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(assets['docs.js']).toContain('swagger');
    expect((await get(router, '/playground/assets/other.js')).status).toBe(404);
    expect((await get(router, '/playground', { method: 'POST' })).status).toBe(405);
  });

  it('lists every group and operation with its input JSON Schemas, doors, roles and the settings the page needs', async () => {
    const response = await get(setup({ playground: true, roleAttribute: 'userRole' }), '/playground/operations.json');
    expect(response.status).toBe(200);
    const catalog = (await response.json()) as { groups: { name: string; operations: Record<string, unknown>[] }[] } & Record<string, unknown>;
    expect({ authenticate: catalog.authenticate, bedrockEndpoint: catalog.bedrockEndpoint, roleAttribute: catalog.roleAttribute }).toEqual({ authenticate: false, bedrockEndpoint: false, roleAttribute: 'userRole' });
    expect(catalog.groups.map((g) => [g.name, g.operations.map((o) => o.name)])).toEqual([
      ['Orders', ['getOrder', 'addItems', 'orderNote']],
      ['Status', ['setStatus']],
    ]);
    const [getOrder, addItems] = catalog.groups[0]!.operations;
    expect(getOrder).toEqual({
      name: 'getOrder',
      description: 'Get one order by its id. Use when the customer names an order number.',
      method: 'GET',
      apiPath: '/orders/{orderId}',
      httpPath: '/v1/orders/{orderId}',
      doors: { agent: true, http: true },
      requireConfirmation: false,
      fields: [
        { name: 'orderId', in: 'path', required: true, schema: { type: 'string', description: 'Order id, e.g. A-1001' } },
        { name: 'includeItems', in: 'query', required: false, schema: { type: 'boolean', default: false, description: 'Include the order lines' } },
        { name: 'maxItems', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 50, description: 'Most lines to include' }) },
      ],
    });
    expect(addItems).toMatchObject({ allowedRoles: ['Agent', 'Supervisor'], fields: [{ name: 'orderId', in: 'path' }, { name: 'items', in: 'body', required: true, schema: { type: 'array', minItems: 1 } }, { name: 'giftWrap' }, { name: 'tags', required: false }] });
    expect(catalog.groups[1]!.operations[0]).toMatchObject({ doors: { agent: true, http: false }, fields: [{ name: 'orderId' }, { name: 'status', schema: { type: 'string', enum: ['open', 'closed'] } }] });
  });

  it('says when authenticate is set, and serves the page and the catalog without an identity', async () => {
    const router = setup({ playground: true, bedrockEndpoint: true, authenticate: () => null });
    expect((await get(router, '/playground')).status).toBe(200);
    const catalog = (await (await get(router, '/playground/operations.json')).json()) as Record<string, unknown>;
    expect({ authenticate: catalog.authenticate, bedrockEndpoint: catalog.bedrockEndpoint }).toEqual({ authenticate: true, bedrockEndpoint: true });
    expect((await get(router, '/v1/orders/A-1')).status).toBe(401);
  });
});

describe('POST /agentcore (playground: true)', () => {
  const call = (tool: string, event: unknown, custom: Record<string, unknown> = {}) => ({ event, clientContext: { custom: { bedrockAgentCoreToolName: `target___${tool}`, ...custom } } });

  it('runs an AgentCore Gateway call as the Lambda gets it and answers the bare output', async () => {
    const response = await postJson(setup({ playground: true }), '/agentcore', call('getOrder', { orderId: 'A-7', maxItems: 3 }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orderId: 'A-7', status: 'shipped', includeItems: false, maxItems: 3, caller: null });
  });

  it('answers an invalid input with the AgentCore error shape naming the field', async () => {
    const response = await postJson(setup({ playground: true }), '/agentcore', call('setStatus', { orderId: 'A-7', status: 'lost' }));
    const body = (await response.json()) as { error: { code: string; details: { field: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.field)).toEqual(['status']);
  });

  it('takes the caller from agentCoreCaller over the client context, as on Lambda', async () => {
    const router = setup({ playground: true, agentCoreCaller: (custom) => (typeof custom.role === 'string' ? { role: custom.role } : undefined) });
    const body = (await (await postJson(router, '/agentcore', call('setStatus', { orderId: 'A-7', status: 'open' }, { role: 'Agent' }))).json()) as { caller: unknown };
    expect(body.caller).toEqual({ role: 'Agent' });
  });

  it('with authenticate, needs an identity (401) and the identity is the caller, whatever the context says', async () => {
    const router = setup({
      playground: true,
      agentCoreCaller: (custom) => ({ role: String(custom.role) }),
      authenticate: (request) => (request.headers.get('authorization') === 'Bearer good' ? { role: 'Viewer', userId: 'u-1' } : null),
    });
    const request = call('setStatus', { orderId: 'A-7', status: 'open' }, { role: 'Admin' });
    const refused = await postJson(router, '/agentcore', request);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await (await postJson(router, '/agentcore', request, { authorization: 'Bearer good' })).json()) as { caller: unknown };
    expect(body.caller).toEqual({ role: 'Viewer', userId: 'u-1' });
  });

  it('refuses a request that is not an AgentCore call with a 400 saying the expected shape', async () => {
    const response = await postJson(setup({ playground: true }), '/agentcore', { toolName: 'getOrder', arguments: {} });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('"bedrockAgentCoreToolName"');
    const text = await get(setup({ playground: true }), '/agentcore', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
  });
});
