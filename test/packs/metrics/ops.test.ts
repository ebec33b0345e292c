import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ActionError } from '../../../src/core/errors.js';
import { metricsOps } from '../../../src/packs/metrics/index.js';
import { bedrockFunctionEvent, bedrockOpenApiEvent } from '../../../src/testing/index.js';
import { analyticsRouter, API_KEY, BASE, json, recordingBackend, serve, SUPERVISOR } from './support.js';

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe('metricsOps — the Analytics group', () => {
  it('has the nine GET operations at their paths, each with described date inputs and top/order where listed', () => {
    const group = metricsOps();
    expect(group.name).toBe('Analytics');
    expect(group.allowedRoles).toEqual(['Supervisor']);
    const ops = group.operations.map((op) => ({
      name: op.name,
      method: op.method,
      path: op.path,
      inputs: op.fields.map((f) => f.name),
    }));
    const dates = ['from', 'to', 'range', 'when', 'dateRange'];
    expect(ops).toEqual([
      { name: 'topCategories', method: 'GET', path: '/analytics/categories', inputs: [...dates, 'top'] },
      { name: 'topSubcategories', method: 'GET', path: '/analytics/subcategories', inputs: [...dates, 'top'] },
      { name: 'ticketsBySource', method: 'GET', path: '/analytics/sources', inputs: dates },
      { name: 'topAgents', method: 'GET', path: '/analytics/agents', inputs: [...dates, 'top'] },
      { name: 'closedVolume', method: 'GET', path: '/analytics/closed_volume', inputs: dates },
      { name: 'resolutionTimeByAgent', method: 'GET', path: '/analytics/resolution_time/by_agent_business', inputs: [...dates, 'top'] },
      { name: 'resolutionTimeAvg', method: 'GET', path: '/analytics/resolution_time/avg_business', inputs: dates },
      { name: 'resolutionTimeBySource', method: 'GET', path: '/analytics/resolution_time/by_source_business', inputs: [...dates, 'order'] },
      { name: 'slowCases', method: 'GET', path: '/analytics/resolution_time/slow_cases_business', inputs: [...dates, 'top'] },
    ]);
    for (const op of group.operations) {
      expect(op.description.length).toBeLessThanOrEqual(1200);
      for (const f of op.fields) {
        expect(f.required).toBe(false);
        expect(f.description?.length ?? 0).toBeGreaterThan(20);
        expect(f.description!.length).toBeLessThanOrEqual(500);
      }
    }
    const field = (op: string, name: string) => group.get(op)!.fields.find((f) => f.name === name)!;
    expect(field('topCategories', 'top').description).toBe('How many categories to return: default 5, at most 25 (larger values are reduced to 25, smaller than 1 become 1).');
    expect(field('resolutionTimeByAgent', 'top').description).toBe('How many agents to return: default 25, at most 25 (larger values are reduced to 25, smaller than 1 become 1).');
    expect(field('slowCases', 'top').description).toBe('How many tickets to return: default 10, at most 25 (larger values are reduced to 25, smaller than 1 become 1).');
    expect(field('resolutionTimeBySource', 'order')).toMatchObject({ kind: 'string', values: ['asc', 'desc'] });
    expect(field('topAgents', 'when').description).toContain('Same as range (alias).');
  });

  it('refuses a zone that is not IANA and a hard limit that is not a positive integer', () => {
    expect(() => metricsOps({ timezone: 'Costa Rica' })).toThrow('metricsOps: "timezone" must be an IANA zone such as America/Costa_Rica, got "Costa Rica"');
    expect(() => metricsOps({ topHardLimit: 0 })).toThrow('metricsOps: "topHardLimit" must be a positive integer, got 0');
  });
});

describe('metricsOps — roles', () => {
  it('answers only supervisors by default (403 otherwise, nothing sent)', async () => {
    const backend = recordingBackend();
    const { router } = analyticsRouter({ backend });
    const agent = await rejection(router.invoke('Analytics', 'topCategories', { range: 'ayer' }, { caller: { role: 'Agent', email: 'a@example.com' } }));
    expect([agent.status, agent.message]).toEqual([403, 'topCategories requires one of the roles Supervisor; the caller\'s role is "Agent".']);
    const nobody = await rejection(router.invoke('Analytics', 'slowCases', {}, { caller: {} }));
    expect([nobody.status, nobody.message]).toEqual([403, 'slowCases requires one of the roles Supervisor; the caller has no role.']);
    expect(backend.calls).toEqual([]);
    await router.invoke('Analytics', 'topCategories', { range: 'ayer' }, { caller: { role: 'supervisor' } });
    expect(backend.calls).toHaveLength(1);
  });

  it('opens to every caller with enforceSupervisorOnly: false, and allows other role lists', async () => {
    const open = analyticsRouter({ backend: recordingBackend(), enforceSupervisorOnly: false }).router;
    await expect(open.invoke('Analytics', 'topAgents', {}, { caller: {} })).resolves.toMatchObject({ success: true });
    const custom = analyticsRouter({ backend: recordingBackend(), allowedRoles: ['Manager'] }).router;
    await expect(custom.invoke('Analytics', 'topAgents', {}, { caller: { role: 'Manager' } })).resolves.toMatchObject({ success: true });
    expect((await rejection(custom.invoke('Analytics', 'topAgents', {}, { caller: SUPERVISOR }))).status).toBe(403);
  });
});

describe('metricsOps — top and order', () => {
  const tops = async (options: { topHardLimit?: number }, op: string, input: Record<string, unknown>) => {
    const backend = recordingBackend();
    await analyticsRouter({ backend, ...options }).router.invoke('Analytics', op, input, { caller: SUPERVISOR });
    return backend.calls[0]!.query.top;
  };

  it.each([
    [{}, 'topCategories', {}, 5],
    [{}, 'topCategories', { top: '3' }, 3],
    [{}, 'topCategories', { top: 100 }, 25],
    [{}, 'topCategories', { top: 0 }, 1],
    [{}, 'topCategories', { top: -4 }, 1],
    [{ topHardLimit: 10 }, 'topAgents', { top: 12 }, 10],
    [{}, 'resolutionTimeByAgent', {}, 25],
    [{ topHardLimit: 100 }, 'resolutionTimeByAgent', {}, 50],
    [{ topHardLimit: 100 }, 'resolutionTimeByAgent', { top: 80 }, 80],
    [{}, 'slowCases', {}, 10],
    [{ topHardLimit: 100 }, 'slowCases', { top: 40 }, 25],
    [{ topHardLimit: 3 }, 'slowCases', {}, 3],
  ])('with %j, %s %j sends top=%i', async (options, op, input, expected) => {
    expect(await tops(options, op, input)).toBe(expected);
  });

  it('refuses a top that is not an integer, naming the field', async () => {
    const { router } = analyticsRouter({ backend: recordingBackend() });
    const error = await rejection(router.invoke('Analytics', 'topCategories', { top: 'muchos' }, { caller: SUPERVISOR }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('top');
  });

  it('sends order asc by default, desc when asked, and nothing else', async () => {
    const backend = recordingBackend();
    const { router } = analyticsRouter({ backend });
    await router.invoke('Analytics', 'resolutionTimeBySource', { range: 'ayer' }, { caller: SUPERVISOR });
    await router.invoke('Analytics', 'resolutionTimeBySource', { range: 'ayer', order: 'desc' }, { caller: SUPERVISOR });
    expect(backend.calls.map((c) => c.query)).toEqual([
      { from: '2025-06-17', to: '2025-06-17', order: 'asc' },
      { from: '2025-06-17', to: '2025-06-17', order: 'desc' },
    ]);
    const bad = await rejection(router.invoke('Analytics', 'resolutionTimeBySource', { order: 'up' }, { caller: SUPERVISOR }));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('order');
  });
});

describe('metricsOps — which dates', () => {
  const run = async (input: Record<string, unknown>, inputText?: string) => {
    const backend = recordingBackend();
    const reply = (await analyticsRouter({ backend }).router.invoke('Analytics', 'closedVolume', input, { caller: SUPERVISOR, ...(inputText ? { inputText } : {}) })) as { range: unknown };
    return { query: backend.calls[0]!.query, range: reply.range };
  };

  it('explicit from/to win over range and inputText', async () => {
    expect(await run({ from: '2025-03-01', to: '2025-03-15', range: 'ayer' }, 'el mes pasado')).toEqual({
      query: { from: '2025-03-01', to: '2025-03-15' },
      range: { from: '2025-03-01', to: '2025-03-15', label: 'del 1 al 15 de marzo de 2025' },
    });
  });

  it('range wins over inputText; when and dateRange are aliases of range, in that order', async () => {
    expect((await run({ range: 'ayer' }, 'el mes pasado')).range).toEqual({ from: '2025-06-17', to: '2025-06-17', label: 'ayer' });
    expect((await run({ when: 'esta semana' }, 'el mes pasado')).range).toEqual({ from: '2025-06-16', to: '2025-06-18', label: 'esta semana' });
    expect((await run({ dateRange: 'últimos 7 días' })).range).toEqual({ from: '2025-06-12', to: '2025-06-18', label: 'últimos 7 días' });
    expect((await run({ range: 'hoy', when: 'ayer', dateRange: 'anteayer' })).range).toMatchObject({ label: 'hoy' });
  });

  it('inputText is read when no date field is given', async () => {
    expect(await run({}, '¿Cuántos tickets cerramos el mes pasado?')).toEqual({
      query: { from: '2025-05-01', to: '2025-05-31' },
      range: { from: '2025-05-01', to: '2025-05-31', label: 'el mes pasado' },
    });
  });

  it('with no date anywhere (or none readable in inputText) the service default applies and the reply says so', async () => {
    const none = { query: {}, range: { from: null, to: null, label: 'predeterminado del servicio' } };
    expect(await run({})).toEqual(none);
    expect(await run({}, 'muéstrame el volumen de cierres')).toEqual(none);
    expect(await run({ range: '   ' })).toEqual(none);
  });

  it('from alone runs to today in the zone', async () => {
    expect((await run({ from: '2025-06-01' })).range).toEqual({ from: '2025-06-01', to: '2025-06-18', label: 'del 1 al 18 de junio de 2025' });
  });

  it('answers 400 for a range it cannot read, naming the field and giving examples', async () => {
    const { router } = analyticsRouter({ backend: recordingBackend() });
    const error = await rejection(router.invoke('Analytics', 'closedVolume', { when: 'cuando llovió mucho' }, { caller: SUPERVISOR }));
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'when "cuando llovió mucho" is not a date range I can read. Use a Spanish phrase such as "hoy", "ayer", "esta semana", "la semana pasada", "este mes", "el mes pasado", "últimos 7 días", "últimos 3 meses", "marzo de 2025", "del 1 al 15 de marzo", "primer trimestre", "2025-03-01", or give from and to as YYYY-MM-DD.',
    );
    expect(error.details).toEqual([{ field: 'when', problem: 'not a recognised date range' }]);
  });

  it.each([
    [{ to: '2025-03-15' }, 'to (2025-03-15) was given without from: give from too (YYYY-MM-DD), or use range.'],
    [{ from: '2025-03-15', to: '2025-03-01' }, 'from (2025-03-15) is after to (2025-03-01): from must be on or before it.'],
    [{ from: '2025-07-01' }, 'from (2025-07-01) is after today (2025-06-18): from must be on or before it.'],
  ])('answers 400 for %j', async (input, message) => {
    const { router } = analyticsRouter({ backend: recordingBackend() });
    const error = await rejection(router.invoke('Analytics', 'closedVolume', input, { caller: SUPERVISOR }));
    expect([error.status, error.message]).toEqual([400, message]);
  });

  it.each(['2024-02-30', '15/03/2025', '2025-3-1'])('answers 400 naming from for the date %s', async (from) => {
    const { router } = analyticsRouter({ backend: recordingBackend() });
    const error = await rejection(router.invoke('Analytics', 'closedVolume', { from }, { caller: SUPERVISOR }));
    expect(error.status).toBe(400);
    expect(error.message).toBe(`Invalid input for closedVolume: from must be a date as YYYY-MM-DD, got "${from}". Fix this field and call again.`);
    expect(error.details).toEqual([{ field: 'from', problem: `must be a date as YYYY-MM-DD, got "${from}"` }]);
  });
});

describe('metricsOps — not configured', () => {
  it('answers 503 naming FAST_API_BASE_URL when there is no backend, before reading any input', async () => {
    const { router } = analyticsRouter({});
    const error = await rejection(router.invoke('Analytics', 'topCategories', { range: 'cuando sea' }, { caller: SUPERVISOR }));
    expect([error.status, error.code, error.message]).toEqual([503, 'NOT_CONFIGURED', 'The metrics service is not configured: set FAST_API_BASE_URL to its base URL.']);
  });
});

describe('metricsOps.fromEnv', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    vi.useRealTimers();
  });
  afterAll(() => server.close());

  const routerFor = async (env: Record<string, string>) => {
    const { createRouter } = await import('../../../src/router.js');
    const { memoryLogger } = await import('../../support/logger.js');
    return createRouter({ logger: memoryLogger().logger }).add(metricsOps.fromEnv(env));
  };

  it('reads FAST_API_BASE_URL and INGEST_API_KEY (trimmed), and is supervisor-only with sources hidden by default', async () => {
    const seen = serve(server, '/analytics/agents', () => json([{ agent: 'ana', count: 3 }]));
    const router = await routerFor({ FAST_API_BASE_URL: ` ${BASE} `, INGEST_API_KEY: ` ${API_KEY}\n` });
    const reply = (await router.invoke('Analytics', 'topAgents', { from: '2025-06-01', to: '2025-06-02', top: 99 }, { caller: SUPERVISOR })) as Record<string, unknown>;
    expect(seen[0]!.url).toBe(`${BASE}/analytics/agents?from=2025-06-01&to=2025-06-02&top=25`);
    expect(seen[0]!.headers['x-api-key']).toBe(API_KEY);
    expect(reply).not.toHaveProperty('source');
    expect((await rejection(router.invoke('Analytics', 'topAgents', {}, { caller: { role: 'Agent' } }))).status).toBe(403);
  });

  it('reads ENFORCE_SUPERVISOR_ONLY, INCLUDE_SOURCE and TOP_HARD_LIMIT; STRINGIFY_BODY changes nothing', async () => {
    const seen = serve(server, '/analytics/agents', () => json([{ agent: 'ana', count: 3 }]));
    const env = { FAST_API_BASE_URL: BASE, ENFORCE_SUPERVISOR_ONLY: 'false', INCLUDE_SOURCE: 'true', TOP_HARD_LIMIT: '3' };
    const input = { from: '2025-06-01', to: '2025-06-02', top: 10 };
    const plain = await (await routerFor(env)).invoke('Analytics', 'topAgents', input, { caller: { role: 'Agent' } });
    const stringified = await (await routerFor({ ...env, STRINGIFY_BODY: 'true' })).invoke('Analytics', 'topAgents', input, { caller: { role: 'Agent' } });
    expect(stringified).toEqual(plain);
    expect(seen.map((s) => s.url)).toEqual([`${BASE}/analytics/agents?from=2025-06-01&to=2025-06-02&top=3`, `${BASE}/analytics/agents?from=2025-06-01&to=2025-06-02&top=3`]);
    expect((plain as Record<string, unknown>).source).toEqual({
      path: '/analytics/agents',
      query: { from: '2025-06-01', to: '2025-06-02', top: 3 },
      url: `${BASE}/analytics/agents?from=2025-06-01&to=2025-06-02&top=3`,
    });
  });

  it('keeps the group closed for any ENFORCE_SUPERVISOR_ONLY that is not a clear no', async () => {
    serve(server, '/analytics/agents', () => json([]));
    for (const value of ['true', 'TRUE', 'flase', '']) {
      const router = await routerFor({ FAST_API_BASE_URL: BASE, ENFORCE_SUPERVISOR_ONLY: value });
      expect((await rejection(router.invoke('Analytics', 'topAgents', {}, { caller: { role: 'Agent' } }))).status).toBe(403);
    }
  });

  it('reads DEFAULT_TZ (default America/Costa_Rica) for date phrases', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-30T16:00:00Z')); // 10:00 on 30 June in Costa Rica, 01:00 on 1 July in Tokyo
    const seen = serve(server, '/analytics/closed_volume', () => json([]));
    await (await routerFor({ FAST_API_BASE_URL: BASE })).invoke('Analytics', 'closedVolume', { range: 'hoy' }, { caller: SUPERVISOR });
    await (await routerFor({ FAST_API_BASE_URL: BASE, DEFAULT_TZ: 'Asia/Tokyo' })).invoke('Analytics', 'closedVolume', { range: 'hoy' }, { caller: SUPERVISOR });
    expect(seen.map((s) => new URL(s.url).search)).toEqual(['?from=2025-06-30&to=2025-06-30', '?from=2025-07-01&to=2025-07-01']);
  });

  it('creates the group without FAST_API_BASE_URL (or with a bad one) and answers 503 naming the variable', async () => {
    for (const [env, message] of [
      [{}, 'The metrics service is not configured: set FAST_API_BASE_URL to its base URL.'],
      [{ FAST_API_BASE_URL: 'metrics.internal' }, 'The metrics service is misconfigured: FAST_API_BASE_URL is not an http(s) URL.'],
    ] as const) {
      const router = await routerFor(env);
      expect(router.group('Analytics')!.operations).toHaveLength(9);
      const error = await rejection(router.invoke('Analytics', 'closedVolume', {}, { caller: SUPERVISOR }));
      expect([error.status, error.message]).toEqual([503, message]);
    }
  });

  it('refuses a TOP_HARD_LIMIT that is not a positive integer', () => {
    expect(() => metricsOps.fromEnv({ TOP_HARD_LIMIT: 'diez' })).toThrow('TOP_HARD_LIMIT must be a positive integer, got "diez"');
  });
});

describe('metricsOps through both Bedrock doors', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const session = { role: 'Supervisor', email: 'sup@example.com' };
  const data = [{ source: 'chat', avg_hours: 2.5 }, { source: 'email', avg_hours: 11 }];
  const reply = {
    success: true,
    metric_id: 'metrics.resolution_time.by_source_business',
    range: { from: '2025-06-09', to: '2025-06-15', label: 'la semana pasada' },
    data,
    chart: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Tiempo medio de resolución por canal (horas hábiles)',
      data: { values: data },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'source', title: 'Canal', type: 'nominal', sort: null },
        x: { field: 'avg_hours', type: 'quantitative', title: 'Horas hábiles (promedio)' },
      },
    },
  };

  it('OpenAPI door: the full Bedrock reply, with the dates read from inputText', async () => {
    const seen = serve(server, '/analytics/resolution_time/by_source_business', () => json(data));
    const { router } = analyticsRouter({ backend: (await import('../../../src/packs/metrics/index.js')).httpMetricsBackend({ baseUrl: BASE, apiKey: API_KEY }) });
    const event = bedrockOpenApiEvent({
      actionGroup: 'Analytics',
      apiPath: '/analytics/resolution_time/by_source_business',
      httpMethod: 'GET',
      parameters: { order: 'desc' },
      sessionAttributes: session,
      inputText: '¿Qué canal fue más lento la semana pasada?',
    });
    expect(await router.handle(event)).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'Analytics',
        apiPath: '/analytics/resolution_time/by_source_business',
        httpMethod: 'GET',
        httpStatusCode: 200,
        responseBody: { 'application/json': { body: JSON.stringify(reply) } },
      },
      sessionAttributes: session,
      promptSessionAttributes: {},
    });
    expect(seen[0]!.url).toBe(`${BASE}/analytics/resolution_time/by_source_business?from=2025-06-09&to=2025-06-15&order=desc`);
    expect(seen[0]!.headers).toMatchObject({ 'x-api-key': API_KEY, 'x-acting-role': 'Supervisor', 'x-acting-user': 'sup@example.com' });
  });

  it('function door: the full Bedrock reply, with the range as a parameter', async () => {
    const seen = serve(server, '/analytics/resolution_time/by_source_business', () => json(data));
    const { router } = analyticsRouter({ backend: (await import('../../../src/packs/metrics/index.js')).httpMetricsBackend({ baseUrl: BASE, apiKey: API_KEY }) });
    const event = bedrockFunctionEvent({ actionGroup: 'Analytics', function: 'resolutionTimeBySource', parameters: { range: 'la semana pasada' }, sessionAttributes: session });
    expect(await router.handle(event)).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'Analytics',
        function: 'resolutionTimeBySource',
        functionResponse: { responseBody: { TEXT: { body: JSON.stringify(reply) } } },
      },
      sessionAttributes: session,
      promptSessionAttributes: {},
    });
    expect(seen[0]!.url).toBe(`${BASE}/analytics/resolution_time/by_source_business?from=2025-06-09&to=2025-06-15&order=asc`);
  });

  it('both doors: an agent is refused (403) and an unreadable range re-prompts (400)', async () => {
    const { router } = analyticsRouter({ backend: recordingBackend() });
    const openApi = (await router.handle(
      bedrockOpenApiEvent({ actionGroup: 'Analytics', apiPath: '/analytics/categories', httpMethod: 'GET', parameters: { range: 'ayer' }, sessionAttributes: { role: 'Agent' } }),
    )) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
    expect(openApi.response.httpStatusCode).toBe(403);
    expect(JSON.parse(openApi.response.responseBody['application/json'].body)).toEqual({
      error: { code: 'FORBIDDEN', message: 'topCategories requires one of the roles Supervisor; the caller\'s role is "Agent".', details: { allowedRoles: ['Supervisor'] } },
    });
    const fn = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Analytics', function: 'topCategories', parameters: { range: 'pronto' }, sessionAttributes: session }))) as {
      response: { functionResponse: { responseState: string; responseBody: { TEXT: { body: string } } } };
    };
    expect(fn.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(fn.response.functionResponse.responseBody.TEXT.body).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'range', problem: 'not a recognised date range' }] });
  });
});
