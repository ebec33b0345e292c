import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter, type RouterOptions } from '../../src/index.js';
import { toFunctionSchema } from '../../src/schema/function-schema.js';
import { toOpenApi } from '../../src/schema/openapi.js';
import { bedrockOpenApiEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

/** A GET with list and number query fields, a body-size-limited upload and a static route beside a parameter. */
function catalogGroup() {
  return actionGroup({ name: 'Catalog', description: 'Products' })
    .operation({
      name: 'searchProducts',
      method: 'GET',
      path: '/products',
      description: 'Search products by tags.',
      input: z.object({
        tags: z.array(z.string()).default([]).describe('Tags, all required'),
        limit: z.number().int().min(1).max(20).default(10).describe('Most results'),
        q: z.string().optional().describe('Free text'),
      }),
      handler: (input) => input,
    })
    .operation({
      name: 'newestProduct',
      method: 'GET',
      path: '/products/newest',
      description: 'The newest product.',
      input: z.object({}),
      handler: () => ({ sku: 'NEW-1' }),
    })
    .operation({
      name: 'getProduct',
      method: 'GET',
      path: '/products/{sku}',
      description: 'One product.',
      input: z.object({ sku: z.string().describe('SKU') }),
      handler: ({ sku }) => ({ sku }),
    })
    .operation({
      name: 'uploadNotes',
      method: 'PUT',
      path: '/products/{sku}/notes',
      description: 'Replace the notes of a product.',
      input: z.object({ sku: z.string().describe('SKU'), notes: z.string().describe('Notes') }),
      maxBodyBytes: 10_000,
      handler: ({ sku, notes }) => ({ sku, length: notes.length }),
    })
    .operation({
      name: 'forget',
      method: 'DELETE',
      path: '/products/{sku}',
      description: 'Forget a product.',
      input: z.object({ sku: z.string().describe('SKU') }),
      handler: () => undefined,
    });
}

function setup(options: RouterOptions = {}) {
  const log = memoryLogger();
  const router = createRouter({ logger: log.logger, ...options }).add(ordersGroup()).add(catalogGroup());
  return { router, log };
}

interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
}

function headerObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

async function call(router: ReturnType<typeof createRouter>, path: string, sent: Sent = {}) {
  const init: RequestInit & { duplex?: 'half' } = { method: sent.method ?? 'GET', headers: sent.headers ?? {} };
  if (sent.body !== undefined) {
    init.body = sent.body;
    init.duplex = 'half';
  }
  const res = await router.fetch(new Request(`http://api.test${path}`, init));
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as any) : undefined };
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('router.fetch: routing and input', () => {
  it('serves an operation at its OpenAPI path, coercing the query like Bedrock strings', async () => {
    const { router } = setup();
    const r = await call(router, '/orders/A-1001?includeItems=true&maxItems=5');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json).toEqual({ orderId: 'A-1001', status: 'shipped', includeItems: true, maxItems: 5, caller: null });
  });

  it('turns repeated query keys into lists, and a comma list into a list too', async () => {
    const { router } = setup();
    expect((await call(router, '/products?tags=red&tags=wool&limit=3')).json).toEqual({ tags: ['red', 'wool'], limit: 3 });
    expect((await call(router, '/products?tags=red,wool')).json).toEqual({ tags: ['red', 'wool'], limit: 10 });
    expect((await call(router, '/products?q=a+b%26c')).json).toEqual({ tags: [], limit: 10, q: 'a b&c' });
  });

  it('lists every invalid field in one 400, as on the Bedrock doors', async () => {
    const { router } = setup();
    const r = await call(router, '/orders/A-1001?includeItems=maybe&maxItems=abc');
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('VALIDATION_FAILED');
    expect(r.json.error.details).toEqual([
      { field: 'includeItems', problem: 'expected true or false, got "maybe"' },
      { field: 'maxItems', problem: 'expected a number, got "abc"' },
    ]);
    // A repeated key for a single-valued field is a list, which the field refuses.
    const twice = await call(router, '/products?limit=1&limit=2');
    expect(twice.status).toBe(400);
    expect(twice.json.error.details).toEqual([{ field: 'limit', problem: 'expected a number, got a list of 2' }]);
  });

  it('prefers a static segment over a parameter, and mounts groups under prefixes', async () => {
    const { router } = setup();
    expect((await call(router, '/products/newest')).json).toEqual({ sku: 'NEW-1' });
    expect((await call(router, '/products/SKU-9')).json).toEqual({ sku: 'SKU-9' });
    const prefixed = createRouter({ logger: memoryLogger().logger }).add(catalogGroup(), { prefix: '/v1/' });
    expect((await call(prefixed, '/v1/products/SKU-9')).json).toEqual({ sku: 'SKU-9' });
    expect((await call(prefixed, '/products/SKU-9')).status).toBe(404);
  });

  it('decodes percent-encoded path parameters', async () => {
    const { router } = setup();
    expect((await call(router, '/products/caf%C3%A9%20cr%C3%A8me')).json).toEqual({ sku: 'café crème' });
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path with another method', async () => {
    const { router } = setup();
    const unknown = await call(router, '/tickets/1');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: { code: 'NOT_FOUND', message: 'No operation at GET /tickets/1. The HTTP API is described at GET /openapi.json (groups: Orders, Catalog).' },
    });
    expect((await call(router, '/orders/A-1001/')).status).toBe(404);
    const wrong = await call(router, '/products/SKU-1', { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('DELETE, GET');
    expect(wrong.json.error).toEqual({ code: 'METHOD_NOT_ALLOWED', message: 'POST is not allowed on /products/SKU-1; allowed: DELETE, GET.' });
  });

  it('answers 204 with no body when the handler returns nothing', async () => {
    const { router } = setup();
    const r = await call(router, '/products/SKU-1', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('refuses path parameters carrying an encoded "/", a backslash or a ".." (traversal) with a 400', async () => {
    const { router } = setup();
    for (const path of ['/products/..%2F..%2Fetc%2Fpasswd', '/products/a%2fb', '/products/..%5C..%5Cwin.ini', '/products/%2E%2E%2F', '/products/a%00b']) {
      const r = await call(router, path);
      expect(r.status, path).toBe(400);
      expect(r.json.error.code).toBe('BAD_REQUEST');
      expect(r.json.error.message).toContain('Path parameter "sku" may not contain "/"');
    }
    const malformed = await call(router, '/products/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toContain('malformed percent-encoding');
  });
});

describe('router.fetch: bodies', () => {
  it('merges the JSON body with the path; the path wins over a body field of the same name', async () => {
    const { router } = setup({ authenticate: () => ({ role: 'Agent' }) });
    const r = await call(router, '/orders/A-1001/items', {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ orderId: 'B-666', items: [{ sku: 'S1', qty: '2' }], tags: ['gift'] }),
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ orderId: 'A-1001', added: [{ sku: 'S1', qty: 2 }], giftWrap: false, tags: ['gift'] });
  });

  it('answers 415 for a body without a content type (a cross-site simple request) and accepts JSON media types with a UTF-8 charset', async () => {
    const { router } = setup();
    const bytes = new TextEncoder().encode(JSON.stringify({ notes: 'fragile' }));
    const untyped = await call(router, '/products/S1/notes', { method: 'PUT', body: bytes });
    expect(untyped.status).toBe(415);
    expect(untyped.json.error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The request has no Content-Type: send the body as JSON in UTF-8 with Content-Type: application/json (an empty body needs it too).',
    });
    // A no-cors fetch from another site sends no content type and may send no body: still a 415.
    expect((await call(router, '/products/S1/notes', { method: 'PUT' })).status).toBe(415);
    expect((await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: bytes })).json).toEqual({ sku: 'S1', length: 7 });
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json', 'Application/JSON']) {
      const r = await call(router, '/products/S1/notes', { method: 'PUT', headers: { 'content-type': type }, body: '{"notes":"x"}' });
      expect(r.status, type).toBe(200);
    }
  });

  it('answers 415 for a body that is not JSON in UTF-8', async () => {
    const { router } = setup();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
      const r = await call(router, '/products/S1/notes', { method: 'PUT', headers: { 'content-type': type }, body: 'notes=x' });
      expect(r.status, type).toBe(415);
      expect(r.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(r.json.error.message).toContain('send the body as JSON in UTF-8 (Content-Type: application/json)');
    }
  });

  it('answers 400 for malformed JSON, a JSON value that is not an object, or bytes that are not UTF-8', async () => {
    const { router } = setup();
    const bad = await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: '{"notes": "x",' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_JSON');
    expect(bad.json.error.message).toMatch(/^The request body is not valid JSON \(.+\)\. Send one JSON object of named fields\.$/);
    const list = await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: '["x"]' });
    expect(list.json.error).toEqual({ code: 'INVALID_JSON', message: 'The JSON body must be an object of named fields, got a list.' });
    const latin1 = await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]) });
    expect(latin1.json.error).toEqual({ code: 'INVALID_JSON', message: 'The request body is not valid UTF-8 text.' });
  });

  it('reports missing fields of an empty body through validation', async () => {
    const { router } = setup();
    const r = await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE });
    expect(r.status).toBe(400);
    expect(r.json.error.details).toEqual([{ field: 'notes', problem: 'is required (text)' }]);
  });

  it('answers 413 above the router limit, from Content-Length before reading and while reading a stream', async () => {
    const { router } = setup({ maxBodyBytes: 100, authenticate: () => ({ role: 'Agent' }) });
    // Content-Length says too much: the answer comes before a single body byte is asked for.
    let bodyPulls = 0;
    const neverRead = new ReadableStream<Uint8Array>({ pull: () => void bodyPulls++ }, { highWaterMark: 0 });
    const declared = await call(router, '/orders/A-1/items', { method: 'POST', headers: { ...JSON_TYPE, 'content-length': '200' }, body: neverRead });
    expect(declared.status).toBe(413);
    expect(bodyPulls).toBe(0);
    expect(declared.json.error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than 100 bytes, the limit of addItems. Send less data.',
      details: { limitBytes: 100 },
    });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('{"items":['.padEnd(64, ' ')));
      },
    });
    const streamed = await call(router, '/orders/A-1/items', { method: 'POST', headers: JSON_TYPE, body: endless });
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10); // stopped just past the limit, not read to the end
  });

  describe('at the body limit (uploadNotes: 10 000 bytes)', () => {
    /** A JSON body of exactly `size` bytes: {"notes":"nnn…"}. */
    const bodyOf = (size: number) => `{"notes":"${'n'.repeat(size - '{"notes":""}'.length)}"}`;
    /** A body sent as a stream of 1000-byte chunks, without Content-Length. */
    const streamOf = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + 1000));
          at += 1000;
        },
      });
    };
    const put = (body: BodyInit, headers: Record<string, string> = {}) => call(setup().router, '/products/S1/notes', { method: 'PUT', headers: { ...JSON_TYPE, ...headers }, body });
    const TOO_LARGE = { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 10000 bytes, the limit of uploadNotes. Send less data.', details: { limitBytes: 10_000 } };

    it('accepts exactly the limit, declared by Content-Length or streamed', async () => {
      const exact = bodyOf(10_000);
      expect(exact.length).toBe(10_000);
      expect(await put(exact, { 'content-length': '10000' })).toMatchObject({ status: 200, json: { sku: 'S1', length: 9_988 } });
      expect(await put(streamOf(exact))).toMatchObject({ status: 200, json: { sku: 'S1', length: 9_988 } });
    });

    it('refuses the limit + 1, declared by Content-Length or streamed', async () => {
      const over = bodyOf(10_001);
      expect(await put(over, { 'content-length': '10001' })).toMatchObject({ status: 413, json: { error: TOO_LARGE } });
      expect(await put(streamOf(over))).toMatchObject({ status: 413, json: { error: TOO_LARGE } });
    });
  });

  it("lets an operation's own maxBodyBytes override the router's", async () => {
    const { router } = setup({ maxBodyBytes: 100 });
    const notes = 'n'.repeat(5_000);
    expect((await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ notes }) })).json).toEqual({ sku: 'S1', length: 5_000 });
    const over = await call(router, '/products/S1/notes', { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ notes: 'n'.repeat(10_000) }) });
    expect(over.status).toBe(413);
    expect(over.json.error.message).toBe('The request body is larger than 10000 bytes, the limit of uploadNotes. Send less data.');
  });

  it('ignores a __proto__ key in the query or the body', async () => {
    const { router } = setup();
    const r = await call(router, '/products/S1/notes?__proto__=x&__proto__=y', { method: 'PUT', headers: JSON_TYPE, body: '{"__proto__":{"notes":"injected"},"notes":"real"}' });
    expect(r.json).toEqual({ sku: 'S1', length: 4 });
  });
});

describe('router.fetch: identity', () => {
  it('takes no caller from headers or the body: a role-restricted operation is a 403 without authenticate', async () => {
    const { router } = setup();
    const r = await call(router, '/orders/A-1/items', { method: 'POST', headers: { ...JSON_TYPE, 'x-role': 'Agent' }, body: JSON.stringify({ role: 'Agent', items: [{ sku: 'S', qty: 1 }] }) });
    expect(r.status).toBe(403);
    expect(r.json.error).toEqual({ code: 'FORBIDDEN', message: 'addItems requires one of the roles Agent, Supervisor; the caller has no role.', details: { allowedRoles: ['Agent', 'Supervisor'] } });
  });

  const authenticate = (request: Request) => {
    const token = request.headers.get('authorization');
    if (token === 'Bearer agent') return { role: 'Agent', userId: 'u-1' };
    if (token === 'Bearer viewer') return { role: 'Viewer' };
    if (token === 'Bearer broken') throw new Error('signature mismatch');
    if (token === 'Bearer jwks-down') throw new ActionError(503, 'The identity provider is unreachable; try again shortly.');
    return null;
  };

  it('answers 401 with a Bearer challenge when authenticate answers null or throws, 403 for the wrong role, never mixed up', async () => {
    const { router, log } = setup({ authenticate });
    const body = { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ items: [{ sku: 'S', qty: 1 }] }) };
    for (const headers of [{}, { authorization: 'Bearer nobody' }, { authorization: 'Bearer broken' }] as Record<string, string>[]) {
      const r = await call(router, '/orders/A-1/items', { ...body, headers: { ...body.headers, ...headers } });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(r.json.error).toEqual({ code: 'UNAUTHORIZED', message: 'Authentication required: send valid credentials (for example Authorization: Bearer <token>).' });
    }
    expect(log.text()).not.toContain('Bearer broken');
    const viewer = await call(router, '/orders/A-1/items', { ...body, headers: { ...body.headers, authorization: 'Bearer viewer' } });
    expect(viewer.status).toBe(403);
    expect(viewer.headers.get('www-authenticate')).toBeNull();
    expect(viewer.json.error.message).toBe('addItems requires one of the roles Agent, Supervisor; the caller\'s role is "Viewer".');
    const agent = await call(router, '/orders/A-1/items', { ...body, headers: { ...body.headers, authorization: 'Bearer agent' } });
    expect(agent.status).toBe(200);
    // Every operation needs an identity once authenticate is set, role-restricted or not.
    expect((await call(router, '/orders/A-1')).status).toBe(401);
    expect((await call(router, '/orders/A-1', { headers: { authorization: 'Bearer viewer' } })).json.caller).toBe('Viewer');
  });

  it('gives the handler the HTTP door, the identity, the x-request-id and empty session maps', async () => {
    let seen: Record<string, unknown> | undefined;
    const group = actionGroup({ name: 'Ctx', description: 'Context' }).operation({
      name: 'whoami',
      method: 'GET',
      path: '/whoami',
      description: 'Echo the context.',
      input: z.object({}),
      handler: (_input, ctx) => {
        seen = { door: ctx.door, caller: ctx.caller, requestId: ctx.requestId, session: { ...ctx.session }, promptSession: { ...ctx.promptSession } };
        ctx.session.sticky = 'nope';
        return { ok: true };
      },
    });
    const router = createRouter({ logger: memoryLogger().logger, authenticate: () => ({ role: 'Agent', email: 'ana@example.com', extra: 'dropped' }) as never }).add(group);
    const r = await call(router, '/whoami', { headers: { 'x-request-id': 'req-42', cookie: 'role=Supervisor' } });
    expect(r.json).toEqual({ ok: true });
    expect(seen).toEqual({ door: 'http', caller: { role: 'Agent', email: 'ana@example.com' }, requestId: 'req-42', session: {}, promptSession: {} });
    const unsafeId = await call(router, '/whoami', { headers: { 'x-request-id': 'a b<script>' } });
    expect(unsafeId.status).toBe(200);
    expect(seen?.requestId).not.toBe('a b<script>');
  });

  it('passes a 5xx thrown by authenticate through (the provider is down, not the caller wrong)', async () => {
    const { router } = setup({ authenticate });
    const r = await call(router, '/orders/A-1', { headers: { authorization: 'Bearer jwks-down' } });
    expect(r.status).toBe(503);
    expect(r.json.error.message).toBe('The identity provider is unreachable; try again shortly.');
  });

  it('does not authenticate before refusing an unknown path, nor for the built-in routes', async () => {
    let calls = 0;
    const { router } = setup({ authenticate: () => (calls++, null) });
    expect((await call(router, '/health')).status).toBe(200);
    expect((await call(router, '/openapi/Orders.json')).status).toBe(200);
    expect((await call(router, '/functions/Orders.json')).status).toBe(200);
    expect((await call(router, '/nowhere')).status).toBe(404);
    expect(calls).toBe(0);
  });
});

describe('router.fetch: built-in routes', () => {
  it('GET /health reports the version and the groups', async () => {
    const { router } = setup({ version: '2.4.1' });
    const r = await call(router, '/health');
    expect(r.json).toEqual({ status: 'healthy', version: '2.4.1', timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), services: {}, groups: ['Orders', 'Catalog'] });
    expect(r.headers.get('cache-control')).toBe('no-store');
    const post = await call(router, '/health', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('serves the generated OpenAPI and function schemas of each group', async () => {
    const { router } = setup();
    const group = router.group('Catalog')!;
    expect((await call(router, '/openapi/Catalog.json')).json).toEqual(toOpenApi(group));
    expect((await call(router, '/functions/Catalog.json')).json).toEqual(toFunctionSchema(group));
    const missing = await call(router, '/openapi/Tickets.json');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('No action group named "Tickets"; served: Orders, Catalog.');
  });

  it('keeps POST /bedrock off (404) unless bedrockEndpoint is true', async () => {
    const event = bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', parameters: { orderId: 'A-7' }, sessionAttributes: { role: 'Agent' } });
    const off = setup().router;
    expect((await call(off, '/bedrock', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(event) })).status).toBe(404);
    const { router } = setup({ bedrockEndpoint: true });
    const r = await call(router, '/bedrock', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(event) });
    expect(r.status).toBe(200);
    expect(r.json).toEqual(await router.handle(event));
    expect(r.json.response.httpStatusCode).toBe(200);
    expect(JSON.parse(r.json.response.responseBody['application/json'].body).caller).toBe('Agent');
  });

  it('POST /bedrock takes Bedrock Agents events only', async () => {
    const { router } = setup({ bedrockEndpoint: true });
    const r = await call(router, '/bedrock', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ version: '2.0', rawPath: '/orders/A-1', requestContext: { http: { method: 'GET' } } }) });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('POST /bedrock takes a Bedrock Agents action group event');
  });

  it('with authenticate, POST /bedrock needs an identity whose role replaces the one in the event', async () => {
    const { router } = setup({ bedrockEndpoint: true, authenticate: (req) => (req.headers.get('authorization') === 'Bearer v' ? { role: 'Viewer', userId: 'u-9' } : null) });
    const event = bedrockOpenApiEvent({
      actionGroup: 'Orders',
      apiPath: '/orders/{orderId}/items',
      httpMethod: 'POST',
      parameters: { orderId: 'A-7' },
      body: { items: [{ sku: 'S', qty: 1 }] },
      sessionAttributes: { role: 'Supervisor', sub: 'spoofed' },
    });
    expect((await call(router, '/bedrock', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(event) })).status).toBe(401);
    const r = await call(router, '/bedrock', { method: 'POST', headers: { ...JSON_TYPE, authorization: 'Bearer v' }, body: JSON.stringify(event) });
    expect(r.json.response.httpStatusCode).toBe(403);
    expect(r.json.sessionAttributes).toEqual({ role: 'Viewer', userId: 'u-9' });
  });
});

describe('router.fetch: CORS', () => {
  const preflight = (origin: string) => ({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('is off by default: no CORS headers, and OPTIONS is a 405', async () => {
    const { router } = setup();
    const get = await call(router, '/orders/A-1', { headers: { origin: 'https://app.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    expect(get.headers.get('vary')).toBeNull();
    const options = await call(router, '/orders/A-1', preflight('https://app.example'));
    expect(options.status).toBe(405);
    expect(options.headers.get('allow')).toBe('GET');
  });

  it('answers preflights for allowed origins only, and marks actual replies for them', async () => {
    const { router } = setup({ cors: { origins: ['https://app.example'], credentials: true } });
    const ok = await call(router, '/orders/A-1/items', preflight('https://app.example'));
    expect(ok.status).toBe(204);
    expect(headerObject(ok.headers)).toEqual({
      vary: 'Origin, Access-Control-Request-Headers',
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
    });
    const evil = await call(router, '/orders/A-1/items', preflight('https://evil.example'));
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('vary')).toBe('Origin');
    const actual = await call(router, '/orders/A-1', { headers: { origin: 'https://app.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-allow-credentials')).toBe('true');
    expect(actual.headers.get('vary')).toBe('Origin');
    const other = await call(router, '/orders/A-1', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');
    // Errors carry the headers too, so a browser can read them.
    expect((await call(router, '/nowhere', { headers: { origin: 'https://app.example' } })).headers.get('access-control-allow-origin')).toBe('https://app.example');
    const plain = await call(router, '/orders/A-1', { method: 'OPTIONS' });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toBe('GET, OPTIONS');
  });

  it("allows any origin with '*' (without credentials), and refuses '*' with credentials at creation", async () => {
    const { router } = setup({ cors: { origins: '*' } });
    expect((await call(router, '/orders/A-1', preflight('https://x.example'))).headers.get('access-control-allow-origin')).toBe('*');
    expect(() => createRouter({ cors: { origins: '*', credentials: true } })).toThrow('"cors.origins" "*" cannot be combined with "credentials"; list the origins');
  });
});

describe('router.fetch: failures', () => {
  it('never sends a stack or a secret: an unexpected error is a generic 500, logged', async () => {
    const { router, log } = setup();
    const r = await call(router, '/orders/boom');
    expect(r.status).toBe(500);
    expect(r.json.error.code).toBe('INTERNAL');
    expect(r.text).not.toContain('hunter2');
    expect(r.text).not.toMatch(/at .+\.ts:\d+/);
    expect(log.text()).toContain('hunter2');
  });

  it('refuses, when it is added, a group serving the same method and path as another, naming both operations', () => {
    const { router } = setup();
    const shop = actionGroup({ name: 'Shop', description: 'Shop' }).operation({ name: 'getProduct', method: 'GET', path: '/products/{key}', description: 'x', input: z.object({ key: z.string().describe('key') }), handler: () => 1 });
    expect(() => router.add(shop)).toThrow('HTTP routes: GET /products/{key} is served by "Catalog.getProduct" and "Shop.getProduct"; mount one of the groups under a prefix (router.add(group, { prefix }))');
    expect(router.groups.map((g) => g.name)).not.toContain('Shop');
    router.add(shop, { prefix: '/shop' });
    expect(router.groups.map((g) => g.name)).toContain('Shop');
  });

  it('answers a generic 500, and logs why, when a clash appears after the groups were added', async () => {
    const { router, log } = setup();
    const shop = actionGroup({ name: 'Shop', description: 'Shop' });
    router.add(shop);
    shop.operation({ name: 'getProduct', method: 'GET', path: '/products/{id}', description: 'x', input: z.object({ id: z.string().describe('id') }), handler: () => 1 });
    const r = await call(router, '/products/1');
    expect(r.status).toBe(500);
    expect(log.text()).toContain('GET /products/{id} is served by \\"Catalog.getProduct\\" and \\"Shop.getProduct\\"; mount one of the groups under a prefix');
  });

  it('checks the HTTP options when the router is created', () => {
    expect(() => createRouter({ maxBodyBytes: 0 })).toThrow('"maxBodyBytes" must be a positive integer');
    expect(() => createRouter({ cors: { origins: 'https://a.example' as never } })).toThrow('"cors.origins" must be "*" or a list of origins');
  });

  it('picks up operations added after the first request', async () => {
    const group = catalogGroup();
    const router = createRouter({ logger: memoryLogger().logger }).add(group);
    expect((await call(router, '/late')).status).toBe(404);
    group.operation({ name: 'late', method: 'GET', path: '/late', description: 'Late', input: z.object({}), handler: () => 'here' });
    expect((await call(router, '/late')).json).toBe('here');
  });
});
