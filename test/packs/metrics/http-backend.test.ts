import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionError } from '../../../src/core/errors.js';
import { httpMetricsBackend } from '../../../src/packs/metrics/index.js';
import { analyticsRouter, API_KEY, BASE, json, serve, SUPERVISOR } from './support.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const backend = (timeoutMs?: number) => httpMetricsBackend({ baseUrl: BASE, apiKey: API_KEY, ...(timeoutMs ? { timeoutMs } : {}) });
const CATEGORIES = [{ category: 'Facturación', count: 42 }, { category: 'Acceso', count: 17 }];

async function rejection(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe('httpMetricsBackend through the Analytics group', () => {
  it('sends the exact URL, query and headers and answers the exact reply', async () => {
    const seen = serve(server, '/analytics/categories', () => json(CATEGORIES));
    const { router } = analyticsRouter({ backend: backend() });
    const reply = await router.invoke('Analytics', 'topCategories', { range: 'la semana pasada', top: '3' }, { caller: SUPERVISOR });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${BASE}/analytics/categories?from=2025-06-09&to=2025-06-15&top=3`);
    expect(seen[0]!.headers).toMatchObject({
      accept: 'application/json',
      'x-api-key': API_KEY,
      'x-acting-role': 'Supervisor',
      'x-acting-user': 'sup@example.com',
    });
    expect(reply).toEqual({
      success: true,
      metric_id: 'metrics.top_categories',
      range: { from: '2025-06-09', to: '2025-06-15', label: 'la semana pasada' },
      data: CATEGORIES,
      chart: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: 'Categorías con más tickets',
        data: { values: CATEGORIES },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'category', title: 'Categoría', type: 'nominal', sort: '-x' },
          x: { field: 'count', type: 'quantitative', title: 'Tickets' },
        },
      },
    });
  });

  it('sends X-Acting-User as the user id when the caller has no email, percent-encodes non-ASCII, and omits what is unknown', async () => {
    const seen = serve(server, '/analytics/sources', () => json([]));
    const { router } = analyticsRouter({ backend: backend() });
    await router.invoke('Analytics', 'ticketsBySource', { from: '2025-06-01', to: '2025-06-02' }, { caller: { role: 'Supervisor', userId: 'user-7' } });
    await router.invoke('Analytics', 'ticketsBySource', { from: '2025-06-01', to: '2025-06-02' }, { caller: { role: 'Supervisor', email: 'josé@example.com' } });
    expect(seen[0]!.headers['x-acting-user']).toBe('user-7');
    expect(seen[1]!.headers['x-acting-user']).toBe('jos%C3%A9%40example.com');
    const open = analyticsRouter({ backend: httpMetricsBackend({ baseUrl: `${BASE}/` }), enforceSupervisorOnly: false }).router;
    await open.invoke('Analytics', 'ticketsBySource', { from: '2025-06-01', to: '2025-06-02' }, { caller: {} });
    expect(seen[2]!.url).toBe(`${BASE}/analytics/sources?from=2025-06-01&to=2025-06-02`);
    expect(Object.keys(seen[2]!.headers).filter((h) => h.startsWith('x-'))).toEqual([]);
  });

  it('with no dates sends no query and reports the range the service says it used', async () => {
    const seen = serve(server, '/analytics/resolution_time/avg_business', () => json({ data: { avg_hours: 7.5, tickets: 40 }, range: { from: '2025-05-19', to: '2025-06-18' } }));
    const { router } = analyticsRouter({ backend: backend(), includeSource: true });
    const reply = (await router.invoke('Analytics', 'resolutionTimeAvg', {}, { caller: SUPERVISOR, inputText: '¿cuánto tardamos en resolver?' })) as Record<string, unknown>;
    expect(seen[0]!.url).toBe(`${BASE}/analytics/resolution_time/avg_business`);
    expect(reply.range).toEqual({ from: '2025-05-19', to: '2025-06-18', label: 'predeterminado del servicio' });
    expect(reply.data).toEqual({ avg_hours: 7.5, tickets: 40 });
    expect(reply.source).toEqual({ path: '/analytics/resolution_time/avg_business', query: {}, url: `${BASE}/analytics/resolution_time/avg_business` });
  });

  it('reads { data, from, to } envelopes too, and leaves the range null when the service says nothing', async () => {
    serve(server, '/analytics/agents', () => json({ data: [{ agent: 'ana', count: 1 }], from: '2025-06-01', to: '2025-06-18' }));
    serve(server, '/analytics/closed_volume', () => json([{ date: '2025-06-18', count: 2 }]));
    const { router } = analyticsRouter({ backend: backend() });
    const agents = (await router.invoke('Analytics', 'topAgents', {}, { caller: SUPERVISOR })) as Record<string, unknown>;
    expect(agents.range).toEqual({ from: '2025-06-01', to: '2025-06-18', label: 'predeterminado del servicio' });
    const volume = (await router.invoke('Analytics', 'closedVolume', {}, { caller: SUPERVISOR })) as Record<string, unknown>;
    expect(volume.range).toEqual({ from: null, to: null, label: 'predeterminado del servicio' });
    expect(volume).not.toHaveProperty('source');
  });

  it('passes an upstream 4xx through with its status and its message', async () => {
    serve(server, '/analytics/categories', () => json({ detail: 'Unknown tenant for this key' }, 403));
    const { router } = analyticsRouter({ backend: backend() });
    const error = await rejection(router.invoke('Analytics', 'topCategories', { range: 'ayer' }, { caller: SUPERVISOR }));
    expect(error.status).toBe(403);
    expect(error.message).toBe('The metrics service refused the request (HTTP 403): Unknown tenant for this key');
    expect(error.details).toEqual({ upstreamStatus: 403 });
  });

  it.each([
    [{ detail: [{ loc: ['query', 'from'], msg: 'Input should be a valid date', type: 'date_from_datetime_parsing' }] }, 422, 'query.from: Input should be a valid date'],
    [{ message: 'top must be <= 20' }, 400, 'top must be <= 20'],
    [{ error: { message: 'range too wide' } }, 400, 'range too wide'],
    [{}, 404, '{}'],
  ])('reads the upstream message from %j', async (body, status, message) => {
    serve(server, '/analytics/agents', () => json(body, status));
    const error = await rejection(backend().fetch({ path: '/analytics/agents', query: {} }, { caller: {}, signal: new AbortController().signal } as never));
    expect(error.status).toBe(status);
    expect(error.message).toBe(`The metrics service refused the request (HTTP ${status}): ${message}`);
  });

  it('bounds the upstream message and reads plain text', async () => {
    serve(server, '/analytics/agents', () => new HttpResponse(`bad   request ${'x'.repeat(500)}`, { status: 400 }));
    const error = await rejection(backend().fetch({ path: '/analytics/agents', query: {} }, { caller: {}, signal: new AbortController().signal } as never));
    const said = error.message.slice('The metrics service refused the request (HTTP 400): '.length);
    expect(said).toHaveLength(300);
    expect(said.startsWith('bad request xxx')).toBe(true);
    expect(said.endsWith('…')).toBe(true);
  });

  it('turns an upstream 5xx into a 502 without the upstream body', async () => {
    serve(server, '/analytics/categories', () => json({ detail: 'psycopg2.OperationalError: password authentication failed' }, 500));
    const { router } = analyticsRouter({ backend: backend() });
    const error = await rejection(router.invoke('Analytics', 'topCategories', { range: 'ayer' }, { caller: SUPERVISOR }));
    expect(error.status).toBe(502);
    expect(error.message).toBe('The metrics service failed (HTTP 500); try again later.');
    expect(error.details).toEqual({ upstreamStatus: 500 });
  });

  it('turns a timeout into a 504', async () => {
    serve(server, '/analytics/categories', async () => {
      await delay(2_000);
      return json([]);
    });
    const { router } = analyticsRouter({ backend: backend(100) });
    const started = Date.now();
    const error = await rejection(router.invoke('Analytics', 'topCategories', { range: 'ayer' }, { caller: SUPERVISOR }));
    expect(error.status).toBe(504);
    expect(error.message).toBe('The metrics service did not answer within 100 ms; try again later');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('turns an unreachable service, a reply that is not JSON and an oversized reply into 502s', async () => {
    server.use(http.get(`${BASE}/analytics/agents`, () => HttpResponse.error()));
    serve(server, '/analytics/sources', () => new HttpResponse('<html>proxy</html>', { status: 200 }));
    serve(server, '/analytics/categories', () => json([{ category: 'x'.repeat(2_000), count: 1 }]));
    const ctx = { caller: {}, signal: new AbortController().signal } as never;
    const unreachable = await rejection(backend().fetch({ path: '/analytics/agents', query: {} }, ctx));
    expect([unreachable.status, unreachable.message]).toEqual([502, 'The metrics service could not be reached']);
    const html = await rejection(backend().fetch({ path: '/analytics/sources', query: {} }, ctx));
    expect([html.status, html.message]).toEqual([502, 'The metrics service sent a reply that is not JSON.']);
    const big = await rejection(httpMetricsBackend({ baseUrl: BASE, maxReplyBytes: 1_000 }).fetch({ path: '/analytics/categories', query: {} }, ctx));
    expect([big.status, big.message]).toEqual([502, 'The metrics service sent a reply larger than 1000 bytes; ask for a shorter range or a smaller top.']);
  });

  it('refuses a base URL that is not http(s) when created', () => {
    expect(() => httpMetricsBackend({ baseUrl: 'ftp://metrics' })).toThrow('httpMetricsBackend: "baseUrl" must be an absolute http(s) URL, got "ftp://metrics"');
    expect(() => httpMetricsBackend({ baseUrl: 'metrics.internal' })).toThrow('httpMetricsBackend: "baseUrl" must be an absolute http(s) URL, got "metrics.internal"');
    expect(() => httpMetricsBackend({ baseUrl: `${BASE}?k=1` })).toThrow('"baseUrl" must not carry a query or fragment');
    expect(() => httpMetricsBackend({ baseUrl: BASE, timeoutMs: 0 })).toThrow('httpMetricsBackend: "timeoutMs" must be a positive number of milliseconds, got 0');
    expect(() => httpMetricsBackend({ baseUrl: BASE, maxReplyBytes: 1.5 })).toThrow('httpMetricsBackend: "maxReplyBytes" must be a positive integer, got 1.5');
  });
});
