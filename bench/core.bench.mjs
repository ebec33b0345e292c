// Issue 2 and 8 figures: a Bedrock Agents event through `toLambda` vs Powertools' BedrockAgentFunctionResolver
// (which validates nothing), with the same synchronous and asynchronous handler on both sides; the
// OpenAPI-style door; an API Gateway HTTP API (v2) event through `toLambda` vs Powertools' HTTP Router with
// zod validation of the body; the minified bundle of a one-operation Lambda; the cold import time of `.`.
// Every router has its default options (default logger, no timeout), as a user's `toLambda(group)` has;
// one extra row sets `timeoutMs` on the operation, to show what the deadline costs.
import { Bench } from 'tinybench';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BedrockAgentFunctionResolver } from '@aws-lambda-powertools/event-handler/bedrock-agent';
import { Router as PowertoolsHttpRouter } from '@aws-lambda-powertools/event-handler/http';
import { actionGroup } from '../dist/index.js';
import { toLambda } from '../dist/lambda.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30_000 };
const common = {
  messageVersion: '1.0',
  agent: { name: 'a', id: 'A', alias: 'TSTALIASID', version: 'DRAFT' },
  inputText: 'look up ticket 42',
  sessionId: 's-1',
  actionGroup: 'Tickets',
  sessionAttributes: { role: 'Agent' },
  promptSessionAttributes: {},
};
const params = [
  { name: 'ticketId', type: 'string', value: 'T-42' },
  { name: 'limit', type: 'integer', value: '5' },
  { name: 'includeClosed', type: 'boolean', value: 'true' },
];
const functionEvent = { ...common, function: 'getTicket', parameters: params };
const openApiEvent = { ...common, apiPath: '/tickets/{ticketId}', httpMethod: 'GET', parameters: params };

const reply = (ticketId, limit, includeClosed) => ({ ticketId, limit, includeClosed, status: 'open' });
const syncHandler = ({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed);
const asyncHandler = async ({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed);

const tickets = (handler, options = {}) =>
  actionGroup({ name: 'Tickets', description: 'Tickets' }).operation({
    name: 'getTicket',
    method: 'GET',
    path: '/tickets/{ticketId}',
    description: 'Get a ticket',
    ...options,
    input: z.object({
      ticketId: z.string().describe('Ticket id'),
      limit: z.number().int().min(1).max(50).describe('Most items'),
      includeClosed: z.boolean().describe('Include closed ones'),
    }),
    handler,
  });
const oursSync = toLambda(tickets(syncHandler));
const oursAsync = toLambda(tickets(asyncHandler));
// Not a default: an operation with a timeout, to show what the deadline costs (Powertools has none).
const oursAsyncTimeout = toLambda(tickets(asyncHandler, { timeoutMs: 10_000 }));

const quietPowertools = { debug() {}, warn() {}, error() {} };
const powertools = (handler) => {
  const app = new BedrockAgentFunctionResolver({ logger: quietPowertools });
  app.tool(handler, { name: 'getTicket', description: 'Get a ticket' });
  return (event, ctx) => app.resolve(event, ctx);
};
const ptSync = powertools(syncHandler);
const ptAsync = powertools(asyncHandler);

// HTTP: POST /orders/{orderId}/items with a JSON body, API Gateway HTTP API (v2) payload.
const Item = z.object({ sku: z.string().min(1).describe('Product code'), qty: z.number().int().min(1).describe('How many') });
const added = (orderId, sku, qty) => ({ orderId, sku, qty, status: 'added' });
const ordersGroup = actionGroup({ name: 'Orders', description: 'Orders' }).operation({
  name: 'addItem',
  method: 'POST',
  path: '/orders/{orderId}/items',
  description: 'Add an item to an order',
  input: z.object({ orderId: z.string().describe('Order id'), ...Item.shape }),
  handler: async ({ orderId, sku, qty }) => added(orderId, sku, qty),
});
const oursHttp = toLambda(ordersGroup);
const ptHttpApp = new PowertoolsHttpRouter({ logger: quietPowertools });
ptHttpApp.post('/orders/:orderId/items', async (reqCtx) => added(reqCtx.params.orderId, reqCtx.valid.req.body.sku, reqCtx.valid.req.body.qty), {
  validation: { req: { body: Item } },
});
const ptHttp = (event, ctx) => ptHttpApp.resolve(event, ctx);
const httpEvent = {
  version: '2.0',
  routeKey: 'POST /orders/{orderId}/items',
  rawPath: '/orders/A-1001/items',
  rawQueryString: '',
  headers: { 'content-type': 'application/json', 'content-length': '27', host: 'api.example.com', 'user-agent': 'bench' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    domainName: 'api.example.com',
    domainPrefix: 'api',
    http: { method: 'POST', path: '/orders/A-1001/items', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'bench' },
    requestId: 'id',
    routeKey: 'POST /orders/{orderId}/items',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  pathParameters: { orderId: 'A-1001' },
  body: JSON.stringify({ sku: 'SKU-1', qty: 2 }),
  isBase64Encoded: false,
};

// The compiled zod validators are installed in the background (see core/compile-schema.ts), as they are
// long before a Lambda's first event: let that happen before anything is measured.
await new Promise((resolve) => setTimeout(resolve, 200));

// Same answers from both sides before timing anything.
const textOf = (r) => r.response.functionResponse.responseBody.TEXT.body;
const expected = JSON.stringify(reply('T-42', 5, true));
for (const [name, fn, event] of [
  ['ours sync', oursSync, functionEvent],
  ['ours async', oursAsync, functionEvent],
  ['ours async, timeoutMs', oursAsyncTimeout, functionEvent],
  ['Powertools sync', ptSync, functionEvent],
  ['Powertools async', ptAsync, functionEvent],
]) {
  const got = textOf(await fn(event, context));
  if (got !== expected) throw new Error(`${name} answered ${got}`);
}
for (const fn of [oursSync, oursAsync]) {
  const got = (await fn(openApiEvent, context)).response;
  if (got.httpStatusCode !== 200 || got.responseBody['application/json'].body !== expected) throw new Error(`OpenAPI door answered ${JSON.stringify(got)}`);
}
for (const [name, fn] of [['ours', oursHttp], ['Powertools', ptHttp]]) {
  const got = await fn(httpEvent, context);
  if (got.statusCode !== 200 || JSON.stringify(JSON.parse(got.body)) !== JSON.stringify(added('A-1001', 'SKU-1', 2))) throw new Error(`${name} HTTP answered ${JSON.stringify(got)}`);
}

// Interleaved short rounds, medians: a shared machine drifts, and drift between two long sequential
// runs would show up as a difference between the libraries. Each row is compared with the Powertools
// row of the same handler style, round by round.
const PT_SYNC = 'Powertools BedrockAgentFunctionResolver, sync handler (no validation)';
const PT_ASYNC = 'Powertools BedrockAgentFunctionResolver, async handler (no validation)';
const PT_HTTP = 'Powertools HTTP Router, API Gateway v2, async handler (zod body)';
const tasks = [
  ['bedrock-action-groups, function door, sync handler (zod)', () => oursSync(functionEvent, context), PT_SYNC],
  ['bedrock-action-groups, function door, async handler (zod)', () => oursAsync(functionEvent, context), PT_ASYNC],
  [PT_SYNC, () => ptSync(functionEvent, context), PT_SYNC],
  [PT_ASYNC, () => ptAsync(functionEvent, context), PT_ASYNC],
  ['bedrock-action-groups, OpenAPI door, sync handler (zod)', () => oursSync(openApiEvent, context), PT_SYNC],
  ['bedrock-action-groups, OpenAPI door, async handler (zod)', () => oursAsync(openApiEvent, context), PT_ASYNC],
  ['bedrock-action-groups, function door, async handler (zod), timeoutMs 10 s', () => oursAsyncTimeout(functionEvent, context), PT_ASYNC],
  ['bedrock-action-groups, API Gateway v2, async handler (zod)', () => oursHttp(httpEvent, context), PT_HTTP],
  [PT_HTTP, () => ptHttp(httpEvent, context), PT_HTTP],
];
const ROUNDS = Number(process.env.CORE_BENCH_ROUNDS ?? 7);
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const bench = new Bench({ time: 300, warmupTime: r === 0 ? 500 : 100 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  rounds.push(new Map(bench.tasks.map((t) => [t.name, t.result.throughput?.mean ?? t.result.hz])));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nThroughput, one event per call through the Lambda handler (Bedrock: 3 parameters, string, integer, boolean;`);
console.log(`HTTP: a path parameter and a 2-field JSON body); medians of ${ROUNDS} interleaved rounds`);
console.table(
  tasks.map(([name, , vs]) => ({
    task: name,
    'ops/s': Math.round(median(rounds.map((r) => r.get(name)))),
    'vs Powertools (same handler)': name === vs ? '' : `${median(rounds.map((r) => r.get(name) / r.get(vs))).toFixed(2)}×`,
  })),
);

// Bundle size of a one-operation Lambda built on `.` + `./lambda`.
const entry = `
import { z } from 'zod';
import { actionGroup } from 'bedrock-action-groups';
import { toLambda } from 'bedrock-action-groups/lambda';
export const handler = toLambda(actionGroup({ name: 'Hello', description: 'Greets' }).operation({
  name: 'hello', method: 'GET', path: '/hello', description: 'Say hello',
  input: z.object({ name: z.string().describe('Who') }), handler: ({ name }) => 'Hello ' + name,
}));`;
// A bundle that only calls router.invoke (no Lambda adapter).
const invokeEntry = `
import { z } from 'zod';
import { actionGroup, createRouter } from 'bedrock-action-groups';
const router = createRouter().add(actionGroup({ name: 'Hello', description: 'Greets' }).operation({
  name: 'hello', method: 'GET', path: '/hello', description: 'Say hello',
  input: z.object({ name: z.string().describe('Who') }), handler: ({ name }) => 'Hello ' + name,
}));
export const hello = (name) => router.invoke('Hello', 'hello', { name });`;
const ptEntry = `
import { BedrockAgentFunctionResolver } from '@aws-lambda-powertools/event-handler/bedrock-agent';
const app = new BedrockAgentFunctionResolver();
app.tool(({ name }) => 'Hello ' + name, { name: 'hello', description: 'Say hello' });
export const handler = (e, c) => app.resolve(e, c);`;
async function bundle(contents, external = []) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node22', write: false, external, logLevel: 'error',
    alias: { 'bedrock-action-groups/lambda': `${root}dist/lambda.js`, 'bedrock-action-groups': `${root}dist/index.js` },
  });
  return out.outputFiles[0].contents;
}
const size = async (contents, external) => (await bundle(contents, external)).length;

// The bundle must work, not just be small: run it once on a function-style event.
const file = join(mkdtempSync(join(tmpdir(), 'bag-bundle-')), 'handler.mjs');
writeFileSync(file, await bundle(entry));
const { handler: bundled } = await import(file);
const hello = await bundled({ ...common, actionGroup: 'Hello', function: 'hello', parameters: [{ name: 'name', type: 'string', value: 'Ana' }] });
if (hello.response.functionResponse.responseBody.TEXT.body !== 'Hello Ana') throw new Error(`the bundled Lambda answered ${JSON.stringify(hello)}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('\nesbuild --bundle --minify, one-operation Lambda');
console.table([
  { bundle: 'bedrock-action-groups (. + ./lambda) with zod', size: kb(await size(entry)) },
  { bundle: 'bedrock-action-groups (. + ./lambda), zod external', size: kb(await size(entry, ['zod'])) },
  { bundle: 'bedrock-action-groups (.), router.invoke only, zod external', size: kb(await size(invokeEntry, ['zod'])) },
  { bundle: 'Powertools bedrock-agent (no schema library)', size: kb(await size(ptEntry)) },
]);

// Cold import in a fresh process: median of 9.
function coldImport(specifier) {
  const runs = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`], { cwd: root });
    runs.push(Number(out.toString().trim()));
  }
  return runs.sort((x, y) => x - y)[4];
}
console.log('\nCold import in a fresh process (median of 9)');
console.table([
  { module: "bedrock-action-groups ('.')", ms: coldImport(`${root}dist/index.js`).toFixed(1) },
  { module: '@aws-lambda-powertools/event-handler/bedrock-agent', ms: coldImport('@aws-lambda-powertools/event-handler/bedrock-agent').toFixed(1) },
]);
