import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryStore, postgresStore, type Store } from 'bedrock-action-groups/stores';
import { actionGroup, createRouter, signedToken, signEnvelopeToken, type EnvelopeOptions, type Router, type RouterOptions } from '../../../src/index.js';
import { createServer } from '../../../src/adapters/node.js';
import { lambdaContext } from '../../../src/testing/index.js';
import { memoryLogger } from '../../support/logger.js';
import { close, listen } from '../../adapters/sockets.js';

const SECRET = 'envelope-door-secret-0123456789abcdef';
const REFUSED = { error: { code: 'UNAUTHORIZED', message: 'The envelope payload is missing, malformed, expired or not validly signed.' } };
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A ticket group; `calls` counts the handler runs, so a refusal is seen never to reach one. */
function ticketsGroup() {
  const calls: string[] = [];
  const group = actionGroup({ name: 'Tickets', description: 'Support tickets' })
    .operation({
      name: 'createTicket',
      method: 'POST',
      path: '/tickets',
      description: 'Create a ticket.',
      input: z.object({ subject: z.string().min(1).describe('What it is about'), priority: z.number().int().min(1).max(5).describe('1 (low) to 5 (urgent)') }),
      handler: (input, ctx) => {
        calls.push('createTicket');
        return { ticketId: 'T-1', ...input, caller: ctx.caller, door: ctx.door };
      },
    })
    .operation({
      name: 'closeTicket',
      method: 'POST',
      path: '/tickets/{ticketId}/close',
      description: 'Close a ticket (a supervisor\'s decision, never an agent\'s).',
      allowedRoles: ['Supervisor'],
      doors: { agent: false },
      input: z.object({ ticketId: z.string().describe('Ticket id') }),
      handler: async ({ ticketId }) => {
        calls.push('closeTicket');
        return { ticketId, closed: true };
      },
    })
    .operation({
      name: 'purge',
      method: 'DELETE',
      path: '/closed-tickets',
      description: 'Purge closed tickets (a system job, never a web client).',
      doors: { http: false },
      input: z.object({}),
      handler: () => {
        calls.push('purge');
        return { purged: 3 };
      },
    })
    .operation({
      name: 'explode',
      method: 'POST',
      path: '/explode',
      description: 'Fails.',
      input: z.object({}),
      handler: () => {
        throw new Error('connection string postgres://admin:hunter2@db');
      },
    });
  return { group, calls };
}

const EVENTS = { create_ticket: 'Tickets.createTicket', close_ticket: 'Tickets.closeTicket', purge: 'Tickets.purge', explode: 'Tickets.explode' };

function setup(envelope: Partial<EnvelopeOptions> = {}, options: RouterOptions = {}) {
  const log = memoryLogger();
  const { group, calls } = ticketsGroup();
  const router = createRouter({ logger: log.logger, ...options }).add(group).envelope({ verify: signedToken({ secret: SECRET }), events: EVENTS, ...envelope });
  return { router, calls, log, group };
}

const payload = (claims: Partial<{ sub: string; role: string; iat: number; exp: number; jti: string }> = {}) => signEnvelopeToken({ sub: 'user-1', role: 'Agent', ...claims }, SECRET);
const envelope = (body: Record<string, unknown>, pay: unknown = payload()) => ({ payload: pay, body });

/** The bad payloads of the issue, each refused with the same 401. */
function badPayloads(): Record<string, unknown> {
  const iat = now();
  const good = payload();
  const forge = (claims: unknown) => {
    const token = b64(claims);
    return { token, signature: signEnvelopeToken({ sub: 'x' }, 'some-other-secret-0123456789').signature };
  };
  const flipped = good.signature.slice(0, -1) + (good.signature.endsWith('0') ? '1' : '0');
  const malformed = Buffer.from('{"sub":"user-1",', 'utf8').toString('base64url');
  return {
    'tampered signature': { ...good, signature: flipped },
    'tampered token': { token: b64({ sub: 'admin', role: 'Supervisor', iat, exp: iat + 300 }), signature: good.signature },
    'forged token': forge({ sub: 'admin', iat, exp: iat + 300 }),
    expired: payload({ iat: iat - 400, exp: iat - 100 }),
    'future iat': payload({ iat: iat + 600, exp: iat + 900 }),
    'missing payload': undefined,
    'payload not an object': 'token',
    'malformed JSON token': { token: malformed, signature: signEnvelopeToken({ sub: 'x' }, SECRET).signature },
  };
}

describe('router.envelope over router.handle (a direct Lambda invocation)', () => {
  it('runs the event as the token\'s caller and answers with the output itself', async () => {
    const { router, calls } = setup();
    const reply = await router.handle(envelope({ event_name: 'create_ticket', subject: 'Printer on fire', priority: 5 }), lambdaContext({ awsRequestId: 'req-1' }));
    expect(reply).toEqual({ ticketId: 'T-1', subject: 'Printer on fire', priority: 5, caller: { userId: 'user-1', role: 'Agent' }, door: 'envelope' });
    expect(calls).toEqual(['createTicket']);
  });

  it('takes "event" as an alias of "event_name"', async () => {
    const { router } = setup();
    expect(await router.handle(envelope({ event: 'create_ticket', subject: 'S', priority: 1 }))).toMatchObject({ ticketId: 'T-1', subject: 'S', priority: 1 });
  });

  it('refuses every bad payload with the same 401 and message, before any handler runs', async () => {
    const { router, calls, log } = setup();
    for (const [name, pay] of Object.entries(badPayloads())) {
      const event = pay === undefined ? { body: { event_name: 'create_ticket', subject: 'S', priority: 1 } } : envelope({ event_name: 'create_ticket', subject: 'S', priority: 1 }, pay);
      expect(await router.handle(event), name).toEqual(REFUSED);
    }
    expect(calls).toEqual([]);
    expect(log.text()).not.toContain(SECRET);
  });

  it('verifies the payload before naming any event: a bad payload with an unknown event is a 401', async () => {
    const { router } = setup();
    expect(await router.handle(envelope({ event_name: 'nope' }, { token: 'x', signature: 'y' }))).toEqual(REFUSED);
  });

  it('answers an unknown event with a 404 listing the known names', async () => {
    const { router } = setup();
    expect(await router.handle(envelope({ event_name: 'delete_everything' }))).toEqual({
      error: {
        code: 'UNKNOWN_EVENT',
        message: 'Unknown event "delete_everything". Known events: create_ticket, close_ticket, purge, explode.',
        details: { events: ['create_ticket', 'close_ticket', 'purge', 'explode'] },
      },
    });
  });

  it('validates the rest of the body as the operation\'s input (400 naming the fields)', async () => {
    const { router, calls } = setup();
    expect(await router.handle(envelope({ event_name: 'create_ticket', priority: 9 }))).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^Invalid input for createTicket: subject is required \(text\); priority must be at most 5\b/),
        details: [
          { field: 'subject', problem: 'is required (text)' },
          { field: 'priority', problem: expect.stringMatching(/^must be at most 5/) },
        ],
      },
    });
    expect(calls).toEqual([]);
  });

  it('answers a body without an event name, or no body object, with a 400 naming body.event_name', async () => {
    const { router } = setup();
    expect(await router.handle(envelope({ event_name: 7 }))).toEqual({
      error: { code: 'BAD_REQUEST', message: 'The envelope\'s "body.event_name" (or its alias "body.event") must be a string naming the event.' },
    });
  });

  it('applies roles from the token: 403 without the role, the output with it', async () => {
    const { router, calls } = setup();
    const reply = (await router.handle(envelope({ event_name: 'close_ticket', ticketId: 'T-1' }))) as { error: { code: string } };
    expect(reply.error.code).toBe('FORBIDDEN');
    expect(calls).toEqual([]);
    expect(await router.handle(envelope({ event_name: 'close_ticket', ticketId: 'T-1' }, payload({ role: 'Supervisor' })))).toEqual({ ticketId: 'T-1', closed: true });
  });

  it('reaches operations with doors { agent: false } or { http: false }: the envelope is its own door', async () => {
    const { router } = setup();
    expect(await router.handle(envelope({ event_name: 'purge' }))).toEqual({ purged: 3 });
    expect((await router.fetch(new Request('http://localhost/closed-tickets', { method: 'DELETE' }))).status).toBe(404);
    expect(await router.handle(envelope({ event_name: 'close_ticket', ticketId: 'T-2' }, payload({ role: 'Supervisor' })))).toEqual({ ticketId: 'T-2', closed: true });
  });

  it('answers an unexpected failure with a generic 500 that leaks nothing', async () => {
    const { router, log } = setup();
    const reply = (await router.handle(envelope({ event_name: 'explode' }), lambdaContext({ awsRequestId: 'req-9' }))) as { error: { code: string; message: string } };
    expect(reply).toEqual({ error: { code: 'INTERNAL', message: 'explode failed unexpectedly; the details were logged (request req-9). Try again later.' } });
    expect(log.text()).toContain('hunter2');
  });

  it('serves a group as events: its operation names are the event names', async () => {
    const log = memoryLogger();
    const { group } = ticketsGroup();
    const router = createRouter({ logger: log.logger }).add(group).envelope({ verify: signedToken({ secret: SECRET }), events: group });
    expect(await router.handle(envelope({ event_name: 'createTicket', subject: 'S', priority: 2 }))).toMatchObject({ ticketId: 'T-1' });
    expect(((await router.handle(envelope({ event_name: 'create_ticket' }))) as { error: { message: string } }).error.message).toBe(
      'Unknown event "create_ticket". Known events: createTicket, closeTicket, purge, explode.',
    );
  });

  it('is not a door until router.envelope is called, and is described once it is', async () => {
    const { group } = ticketsGroup();
    const plain = createRouter({ logger: memoryLogger().logger }).add(group);
    await expect(plain.handle(envelope({ event_name: 'create_ticket' }))).rejects.toThrow(/^Unrecognised event \(an object with keys: payload, body\)\. This router accepts: /);
    const { router } = setup();
    await expect(router.handle({ nothing: true })).rejects.toThrow(
      'an event envelope { payload: { token, signature }, body: { event_name, … } } (events: create_ticket, close_ticket, purge, explode)',
    );
  });

  it('takes any verifier: its identity is the caller', async () => {
    const { router } = setup({ verify: (p) => (p === 'let-me-in' ? { sub: 'system', expiresAt: now() + 60 } : null) });
    expect(await router.handle(envelope({ event_name: 'create_ticket', subject: 'S', priority: 1 }, 'let-me-in'))).toMatchObject({ caller: { userId: 'system' } });
    expect(await router.handle(envelope({ event_name: 'create_ticket', subject: 'S', priority: 1 }, 'nope'))).toEqual(REFUSED);
    const throwing = setup({ verify: () => Promise.reject(new Error('jwks down')) });
    expect(await throwing.router.handle(envelope({ event_name: 'purge' }))).toEqual(REFUSED);
    const broken = setup({ verify: () => ({ sub: '' }) as never });
    expect(await broken.router.handle(envelope({ event_name: 'purge' }))).toEqual(REFUSED);
    expect(broken.log.lines.some((l) => l.level === 'error' && String(l.message).includes('verifier returned no valid identity'))).toBe(true);
  });
});

describe('router.envelope: what it checks when it is called', () => {
  const base = () => {
    const { group } = ticketsGroup();
    return { router: createRouter({ logger: memoryLogger().logger }).add(group), group };
  };
  const verify = signedToken({ secret: SECRET });

  it('throws for an event naming an operation that is not on the router: it never adds groups', () => {
    expect(() => base().router.envelope({ verify, events: { train: 'OpenAIOps.train' } })).toThrow(
      'router.envelope: event "train" names "OpenAIOps.train", which is not an operation on this router (add its group first; operations: Tickets.createTicket, Tickets.closeTicket, Tickets.purge, Tickets.explode)',
    );
    expect(() => base().router.envelope({ verify, events: { x: 'Tickets.missing' } })).toThrow('event "x" names "Tickets.missing", which is not an operation on this router');
    expect(() => base().router.envelope({ verify, events: { x: 'createTicket' } })).toThrow('router.envelope: event "x" must name an operation as "Group.operation", got "createTicket"');
    const other = ticketsGroup().group;
    expect(() => base().router.envelope({ verify, events: other })).toThrow('router.envelope: the group "Tickets" is not on this router; add it first (router.add(group)): the envelope never adds groups');
  });

  it('throws for an event given twice, no event, a missing verify, a bad replay store, or a second call', () => {
    const { router, group } = base();
    expect(() => router.envelope({ verify, events: [group, { createTicket: 'Tickets.closeTicket' }] })).toThrow('router.envelope: the event "createTicket" is given twice');
    expect(() => router.envelope({ verify, events: {} })).toThrow('router.envelope: "events" names no event');
    expect(() => router.envelope({ verify, events: 'Tickets' as never })).toThrow('router.envelope: "events" must map event names to "Group.operation", or be a group (or a list of those)');
    expect(() => router.envelope({ events: EVENTS } as never)).toThrow('router.envelope: "verify" must be a function, such as signedToken({ secret })');
    expect(() => router.envelope({ verify, events: EVENTS, replayStore: {} as never })).toThrow('router.envelope: "replayStore" must be a store of bedrock-action-groups/stores (with put)');
    router.envelope({ verify, events: EVENTS });
    expect(() => router.envelope({ verify, events: EVENTS, path: '/other' })).toThrow('router.envelope: already set up (at /lambda); call it once per router');
  });

  it('throws for a path a built-in route or an operation answers, or one that is not a plain path', () => {
    expect(() => base().router.envelope({ verify, events: EVENTS, path: '/health' })).toThrow('router.envelope: "path" /health is taken by a built-in route');
    expect(() => base().router.envelope({ verify, events: EVENTS, path: '/tickets' })).toThrow('router.envelope: POST /tickets is the operation "Tickets.createTicket"; choose another "path"');
    expect(() => base().router.envelope({ verify, events: EVENTS, path: 'lambda' })).toThrow('router.envelope: "path" must be a plain absolute path such as "/lambda", got "lambda"');
    expect(() => base().router.envelope({ verify, events: EVENTS, path: '/a?b' })).toThrow('"path" must be a plain absolute path');
  });
});

/** POSTs JSON to a base URL. */
function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('router.envelope over HTTP: the node adapter on a real socket', () => {
  let server: ReturnType<typeof createServer> | undefined;
  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });
  async function serve(router: Router): Promise<string> {
    server = createServer(router);
    return listen(server);
  }

  it('POST /lambda: 200 with the output; every bad payload the same 401; unknown event 404; bad input 400', async () => {
    const { router, calls } = setup();
    const base = await serve(router);
    const ok = await post(`${base}/lambda`, envelope({ event_name: 'create_ticket', subject: 'Over HTTP', priority: 3 }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toEqual({ ticketId: 'T-1', subject: 'Over HTTP', priority: 3, caller: { userId: 'user-1', role: 'Agent' }, door: 'envelope' });
    for (const [name, pay] of Object.entries(badPayloads())) {
      const res = await post(`${base}/lambda`, pay === undefined ? { body: { event_name: 'create_ticket' } } : envelope({ event_name: 'create_ticket', subject: 'S', priority: 1 }, pay));
      expect(res.status, name).toBe(401);
      expect(res.headers.get('www-authenticate'), name).toBe('Envelope');
      expect(await res.json(), name).toEqual(REFUSED);
    }
    expect(calls).toEqual(['createTicket']);
    const unknown = await post(`${base}/lambda`, envelope({ event: 'nope' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('Unknown event "nope". Known events: create_ticket, close_ticket, purge, explode.');
    const invalid = await post(`${base}/lambda`, envelope({ event_name: 'create_ticket', subject: 'S' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'Invalid input for createTicket: priority is required (a number). Fix this field and call again.', details: [{ field: 'priority', problem: 'is required (a number)' }] },
    });
    const forbidden = await post(`${base}/lambda`, envelope({ event_name: 'close_ticket', ticketId: 'T-1' }));
    expect(forbidden.status).toBe(403);
  });

  it('answers other methods 405 with Allow, a non-JSON body 415 and malformed JSON 400, like every HTTP route', async () => {
    const { router } = setup();
    const base = await serve(router);
    const get = await fetch(`${base}/lambda`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const text = await fetch(`${base}/lambda`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(envelope({ event_name: 'purge' })) });
    expect(text.status).toBe(415);
    const broken = await fetch(`${base}/lambda`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload":' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
  });

  it('serves a custom path, and needs no authenticate identity (the payload is the credential)', async () => {
    const { router } = setup({ path: '/hooks/envelope' }, { authenticate: () => null });
    const base = await serve(router);
    const res = await post(`${base}/hooks/envelope`, envelope({ event_name: 'purge' }));
    expect([res.status, await res.json()]).toEqual([200, { purged: 3 }]);
    expect((await post(`${base}/lambda`, envelope({ event_name: 'purge' }))).status).toBe(404);
    expect((await post(`${base}/tickets`, { subject: 'S', priority: 1 })).status).toBe(401);
  });
});

describe('router.envelope: outputs JSON cannot carry, and none at all', () => {
  const group = actionGroup({ name: 'Misc', description: 'Odd outputs' })
    .operation({ name: 'ack', method: 'POST', path: '/ack', description: 'Returns nothing.', input: z.object({}), handler: () => undefined })
    .operation({
      name: 'cyclic',
      method: 'POST',
      path: '/cyclic',
      description: 'Returns a cycle.',
      input: z.object({}),
      handler: () => {
        const a: Record<string, unknown> = {};
        a.self = a;
        return a;
      },
    });
  const INTERNAL = { error: { code: 'INTERNAL', message: 'The reply could not be written; the details were logged. Try again later.' } };
  const make = () => {
    const log = memoryLogger();
    return { log, router: createRouter({ logger: log.logger }).add(group).envelope({ verify: signedToken({ secret: SECRET }), events: group }) };
  };
  const request = (body: unknown) => new Request('http://localhost/lambda', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers no output with null directly and 204 over HTTP', async () => {
    const { router } = make();
    expect(await router.handle(envelope({ event_name: 'ack' }))).toBeNull();
    const res = await router.fetch(request(envelope({ event_name: 'ack' })));
    expect([res.status, await res.text()]).toEqual([204, '']);
  });

  it('answers an output JSON cannot carry with a logged 500, directly and over HTTP', async () => {
    const { router, log } = make();
    expect(await router.handle(envelope({ event_name: 'cyclic' }))).toEqual(INTERNAL);
    const res = await router.fetch(request(envelope({ event_name: 'cyclic' })));
    expect([res.status, await res.json()]).toEqual([500, INTERNAL]);
    expect(log.lines.filter((l) => l.message === 'the envelope reply could not be serialised')).toHaveLength(2);
  });
});

describe('router.envelope through API Gateway events', () => {
  // An HTTP API (payload 2.0) event as the API Gateway developer guide shows it, addressed to POST /lambda.
  const httpApiEvent = (body: unknown, stage = '$default', rawPath = '/lambda') => ({
    version: '2.0',
    routeKey: 'POST /lambda',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'id.execute-api.us-east-1.amazonaws.com' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      http: { method: 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
      requestId: 'id',
      routeKey: 'POST /lambda',
      stage,
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  });

  it('answers the envelope in the body with the output; every bad payload the 401; an unknown event the 404; the alias event', async () => {
    const { router } = setup();
    const ok = (await router.handle(httpApiEvent(envelope({ event_name: 'create_ticket', subject: 'Gateway', priority: 2 })), lambdaContext({ awsRequestId: 'gw-1' }))) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ticketId: 'T-1', subject: 'Gateway', priority: 2, caller: { userId: 'user-1', role: 'Agent' }, door: 'envelope' });
    for (const [name, pay] of Object.entries(badPayloads())) {
      const event = httpApiEvent(pay === undefined ? { body: { event_name: 'create_ticket' } } : envelope({ event_name: 'create_ticket' }, pay));
      const bad = (await router.handle(event)) as { statusCode: number; body: string; headers: Record<string, string> };
      expect([bad.statusCode, JSON.parse(bad.body), bad.headers['www-authenticate']], name).toEqual([401, REFUSED, 'Envelope']);
    }
    const unknown = (await router.handle(httpApiEvent(envelope({ event: 'nope' })))) as { statusCode: number; body: string };
    expect([unknown.statusCode, JSON.parse(unknown.body).error.code]).toEqual([404, 'UNKNOWN_EVENT']);
    const alias = (await router.handle(httpApiEvent(envelope({ event: 'purge' })))) as { statusCode: number; body: string };
    expect([alias.statusCode, JSON.parse(alias.body)]).toEqual([200, { purged: 3 }]);
  });

  it('strips a named stage from the path, base64 bodies included', async () => {
    const { router } = setup();
    const event = { ...httpApiEvent(envelope({ event_name: 'purge' }), 'prod', '/prod/lambda') };
    event.body = Buffer.from(event.body).toString('base64');
    (event as { isBase64Encoded: boolean }).isBase64Encoded = true;
    const reply = (await router.handle(event)) as { statusCode: number; body: string };
    expect([reply.statusCode, JSON.parse(reply.body)]).toEqual([200, { purged: 3 }]);
  });
});

describe('router.envelope with a replay store: each jti once', () => {
  const lite = new PGlite();
  let prefixes = 0;
  afterAll(() => lite.close());

  const stores: [string, () => Promise<Store>][] = [
    ['memoryStore', async () => memoryStore()],
    [
      'postgresStore on PGlite',
      async () => {
        const store = postgresStore({ client: lite, tablePrefix: `env${++prefixes}_` });
        await store.migrate();
        return store;
      },
    ],
  ];

  describe.each(stores)('%s', (_name, makeStore) => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('accepts a jti once, then answers the same 401, and remembers it as an envelope-jti record', async () => {
      const { router, calls } = setup({ replayStore: store });
      const pay = payload({ jti: `jti-once-${prefixes}` });
      const body = { event_name: 'create_ticket', subject: 'S', priority: 1 };
      expect(await router.handle(envelope(body, pay))).toMatchObject({ ticketId: 'T-1' });
      expect(await router.handle(envelope(body, pay))).toEqual(REFUSED);
      expect(calls).toEqual(['createTicket']);
      const record = await store.get<{ expiresAt: number }>('envelope-jti', `jti-once-${prefixes}`);
      expect(record?.value.expiresAt).toBeGreaterThan(now());
      expect(record?.value.expiresAt).toBeLessThanOrEqual(now() + 330);
      // A replay over HTTP is refused the same way.
      const res = await router.fetch(new Request('http://localhost/lambda', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope(body, pay)) }));
      expect([res.status, await res.json()]).toEqual([401, REFUSED]);
    });

    it('lets exactly one of many concurrent requests with the same jti through', async () => {
      const { router, calls } = setup({ replayStore: store });
      const pay = payload({ jti: `jti-race-${prefixes}` });
      const replies = await Promise.all(Array.from({ length: 12 }, () => router.handle(envelope({ event_name: 'purge' }, pay))));
      expect(replies.filter((r) => JSON.stringify(r) === JSON.stringify({ purged: 3 }))).toHaveLength(1);
      expect(replies.filter((r) => JSON.stringify(r) === JSON.stringify(REFUSED))).toHaveLength(11);
      expect(calls).toEqual(['purge']);
    });

    it('accepts different jtis, and refuses a payload without one (it could be replayed)', async () => {
      const { router } = setup({ replayStore: store });
      expect(await router.handle(envelope({ event_name: 'purge' }, payload({ jti: `a-${prefixes}` })))).toEqual({ purged: 3 });
      expect(await router.handle(envelope({ event_name: 'purge' }, payload({ jti: `b-${prefixes}` })))).toEqual({ purged: 3 });
      expect(await router.handle(envelope({ event_name: 'purge' }, payload()))).toEqual(REFUSED);
    });

    it('refuses a jti the store cannot keep as a key (over 256 bytes, a NUL) with the same 401', async () => {
      const { router, calls } = setup({ replayStore: store });
      expect(await router.handle(envelope({ event_name: 'purge' }, payload({ jti: 'é'.repeat(200) })))).toEqual(REFUSED);
      expect(await router.handle(envelope({ event_name: 'purge' }, payload({ jti: 'a\u0000b' })))).toEqual(REFUSED);
      expect(calls).toEqual([]);
    });
  });

  it('answers 503 (not 401, not a run) when the replay store fails', async () => {
    // A real database failure: the tables of this prefix were never created (no migrate()).
    const store = postgresStore({ client: lite, tablePrefix: 'never_migrated_' });
    const { router, calls, log } = setup({ replayStore: store });
    expect(await router.handle(envelope({ event_name: 'purge' }, payload({ jti: 'j-down' })))).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The envelope replay check is unavailable. Try again later.' },
    });
    expect(calls).toEqual([]);
    expect(log.lines.some((l) => l.message === 'the envelope replay store failed')).toBe(true);
  });
});
