import OpenAI from 'openai';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { z } from 'zod';
import { actionGroup } from '../../../src/core/operation.js';
import { createRouter, type Router } from '../../../src/router.js';
import { memoryStore } from '../../../src/stores/memory.js';
import type { Store } from '../../../src/stores/types.js';
import { openaiOps, type OpenAiOpsOptions } from '../../../src/packs/openai/index.js';
import { memoryLogger } from '../../support/logger.js';

// The real openai client against msw at the wire: this fake answers the documented shapes of the endpoints
// the pack calls and records every request, body included, so tests assert exactly what was sent.
export const BASE = 'https://api.openai.test/v1';
export const API_KEY = 'sk-test-0123456789abcdef-SECRET';
export const ANA = { userId: 'ana', role: 'Agent', email: 'ana@example.com' };
export const BRUNO = { userId: 'bruno', role: 'Agent' };

/** One request the fake saw. */
export interface Seen {
  method: string;
  path: string;
  headers: Headers;
  /** JSON bodies parsed; multipart bodies as FormData; else undefined. */
  json?: any;
  form?: FormData;
}

/** A response object as the Responses API sends it. */
export function responseObject(id: string, output: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, object: 'response', created_at: 1_780_000_000, status: 'completed', model: 'gpt-test', output, error: null, incomplete_details: null, tools: [], parallel_tool_calls: true, ...extra };
}

/** An assistant message output item with `text`. */
export function message(text: string): Record<string, unknown> {
  return { type: 'message', id: `msg_${text.length}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

/** A function call output item. */
export function functionCall(callId: string, name: string, args: unknown): Record<string, unknown> {
  return { type: 'function_call', id: `fc_${callId}`, call_id: callId, name, arguments: typeof args === 'string' ? args : JSON.stringify(args), status: 'completed' };
}

export const JOB = {
  id: 'ftjob-abc123',
  object: 'fine_tuning.job',
  created_at: 1_780_000_000,
  model: 'gpt-4.1-mini-2025-04-14',
  training_file: 'file-train1',
  status: 'validating_files',
  estimated_finish: 1_780_003_600,
  fine_tuned_model: null,
  trained_tokens: null,
  finished_at: null,
  error: null,
  hyperparameters: {},
  organization_id: 'org-1',
  result_files: [],
  seed: 1,
  validation_file: null,
};

/** The fake OpenAI: handlers for msw, the requests seen, and the replies `responses.create` will give, in order. */
export interface FakeOpenAi {
  handlers: HttpHandler[];
  seen: Seen[];
  /** Replies of POST /responses, taken in order (a function may answer with anything, e.g. an SSE stream). */
  responses: (Record<string, unknown> | (() => Response))[];
  job: Record<string, unknown>;
}

async function record(seen: Seen[], request: Request, path: string): Promise<void> {
  const type = request.headers.get('content-type') ?? '';
  const entry: Seen = { method: request.method, path, headers: request.headers };
  if (type.startsWith('multipart/form-data')) entry.form = await request.clone().formData();
  else if (type.includes('json')) entry.json = await request.clone().json();
  seen.push(entry);
}

export function fakeOpenAi(): FakeOpenAi {
  const seen: Seen[] = [];
  const fake: FakeOpenAi = { handlers: [], seen, responses: [], job: { ...JOB } };
  const on = (method: 'get' | 'post' | 'delete', path: string, answer: (request: Request, params: Record<string, string>) => Response | Promise<Response>) =>
    http[method](`${BASE}${path}`, async ({ request, params }) => {
      await record(seen, request, new URL(request.url).pathname.replace(/^\/v1/, ''));
      return answer(request, params as Record<string, string>);
    });
  fake.handlers = [
    on('post', '/files', async (request) => {
      const form = await request.formData();
      const file = form.get('file') as File;
      return HttpResponse.json({ id: 'file-train1', object: 'file', bytes: file.size, created_at: 1_780_000_000, filename: file.name, purpose: 'fine-tune', status: 'processed' });
    }),
    on('delete', '/files/:id', (_r, p) => HttpResponse.json({ id: p.id, object: 'file', deleted: true })),
    on('post', '/fine_tuning/jobs', async (request) => HttpResponse.json({ ...fake.job, ...((await request.json()) as object) })),
    on('get', '/fine_tuning/jobs/:id', () => HttpResponse.json({ ...fake.job, status: 'running', trained_tokens: 1200 })),
    on('get', '/fine_tuning/jobs/:id/events', () =>
      HttpResponse.json({ object: 'list', has_more: false, data: [{ object: 'fine_tuning.job.event', id: 'ftevent-2', created_at: 1_780_000_600, level: 'info', message: 'Step 10/100: training loss=0.42', type: 'metrics' }, { object: 'fine_tuning.job.event', id: 'ftevent-1', created_at: 1_780_000_060, level: 'info', message: 'Fine-tuning job started', type: 'message' }] }),
    ),
    on('post', '/conversations', async (request) => HttpResponse.json({ id: 'conv_ana1', object: 'conversation', created_at: 1_780_000_000, metadata: ((await request.json()) as { metadata: unknown }).metadata })),
    on('post', '/responses', () => {
      const next = fake.responses.shift();
      if (!next) return HttpResponse.json({ error: { message: 'no scripted response left', type: 'server_error' } }, { status: 500 });
      return typeof next === 'function' ? next() : HttpResponse.json(next);
    }),
    on('get', '/models', () => HttpResponse.json({ object: 'list', data: [{ id: 'gpt-test', object: 'model', created: 1_700_000_000, owned_by: 'openai' }] })),
  ];
  return fake;
}

/** A client of the fake, without retries (each failure is seen once). */
export function client(options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ apiKey: API_KEY, baseURL: BASE, maxRetries: 0, ...options });
}

/** An agent-callable group the bots use as a tool, and one the agent doors cannot call. */
export function ordersGroup() {
  return actionGroup({ name: 'Orders', description: 'Orders of the shop' })
    .operation({
      name: 'getOrder',
      method: 'GET',
      path: '/orders/{orderId}',
      description: 'Get one order by its id',
      input: z.object({ orderId: z.string().describe('Order id'), verbose: z.boolean().optional().describe('Include the lines') }),
      handler: ({ orderId, verbose }, ctx) => ({ orderId, status: 'shipped', verbose: verbose ?? false, askedBy: ctx.caller.userId ?? null, role: ctx.caller.role ?? null }),
    })
    .operation({
      name: 'refund',
      method: 'POST',
      path: '/orders/{orderId}/refund',
      description: 'Refund an order (people only)',
      doors: { agent: false },
      input: z.object({ orderId: z.string().describe('Order id') }),
      handler: () => ({ refunded: true }),
    });
}

/** A router serving OpenAIOps (on the fake) and Orders; `call` invokes an OpenAIOps operation as a caller. */
export function harness(options: Partial<OpenAiOpsOptions> = {}): { router: Router; store: Store; log: ReturnType<typeof memoryLogger>; call: (op: string, input: unknown, caller?: object) => Promise<any> } {
  const log = memoryLogger();
  const store = options.store ?? memoryStore();
  const router: Router = createRouter({ logger: log.logger });
  router.add(ordersGroup()).add(openaiOps({ client: () => client(), store, router, ...options }));
  return { router, store, log, call: (op, input, caller = ANA) => router.invoke('OpenAIOps', op, input, { caller }) };
}

/**
 * Installs msw for a test file (unhandled requests fail) with a fresh fake OpenAI before each test. Returns the
 * server (for `server.use` overrides) and a getter of the current fake.
 */
export function useFakeOpenAi(): { server: ReturnType<typeof setupServer>; fake: () => FakeOpenAi } {
  const server = setupServer();
  let current: FakeOpenAi | undefined;
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  beforeEach(() => {
    current = fakeOpenAi();
    server.use(...current.handlers);
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return { server, fake: () => current as FakeOpenAi };
}
