import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { createRouter, type Router } from '../../../src/router.js';
import { metricsOps, type MetricsOptions, type MetricRequest, type MetricsBackend } from '../../../src/packs/metrics/index.js';
import { memoryLogger } from '../../support/logger.js';

export const BASE = 'https://metrics.example.test/api';
export const API_KEY = 'metrics-key-123';
/** Wednesday 18 June 2025, 09:00 in Costa Rica. */
export const NOW = new Date('2025-06-18T15:00:00Z');
export const SUPERVISOR = { role: 'Supervisor', email: 'sup@example.com', userId: 'user-7' };

/** What the fake metrics service saw. */
export interface Seen {
  url: string;
  headers: Record<string, string>;
}

/**
 * Answers GET `{BASE}{path}` with `reply` and records every request; the handler stays until
 * `server.resetHandlers()`.
 */
export function serve(server: SetupServer, path: string, reply: () => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.get(`${BASE}${path}`, async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      seen.push({ url: request.url, headers });
      return reply();
    }),
  );
  return seen;
}

export const json = (body: unknown, status = 200) => HttpResponse.json(body as never, { status });

/** A router with only the Analytics group. */
export function analyticsRouter(options: MetricsOptions): { router: Router; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  return { router: createRouter({ logger: log.logger }).add(metricsOps({ now: () => NOW, ...options })), log };
}

/** A backend that records what it is asked and answers `data` (the pluggable interface, implemented for tests). */
export function recordingBackend(data: unknown = [{ category: 'Facturación', count: 3 }], range?: { from: string; to: string }): MetricsBackend & { calls: MetricRequest[] } {
  const calls: MetricRequest[] = [];
  return {
    calls,
    async fetch(metric) {
      calls.push(structuredClone(metric));
      return range ? { data, range } : { data };
    },
  };
}
