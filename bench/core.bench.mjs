// Issue 2 figures: a function-style event through toLambda vs Powertools' BedrockAgentFunctionResolver
// (which validates nothing), the OpenAPI-style door, the minified bundle of a one-operation Lambda, and
// the cold import time of `.` in a fresh process.
import { Bench } from 'tinybench';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BedrockAgentFunctionResolver } from '@aws-lambda-powertools/event-handler/bedrock-agent';
import { actionGroup, createLogger, createRouter } from '../dist/index.js';
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

const group = actionGroup({ name: 'Tickets', description: 'Tickets' }).operation({
  name: 'getTicket',
  method: 'GET',
  path: '/tickets/{ticketId}',
  description: 'Get a ticket',
  input: z.object({
    ticketId: z.string().describe('Ticket id'),
    limit: z.number().int().min(1).max(50).describe('Most items'),
    includeClosed: z.boolean().describe('Include closed ones'),
  }),
  handler: ({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed),
});
const ours = toLambda(createRouter({ logger: createLogger({ level: 'error' }) }).add(group));

const powertools = new BedrockAgentFunctionResolver({ logger: { debug() {}, warn() {}, error() {} } });
powertools.tool(({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed), { name: 'getTicket', description: 'Get a ticket' });

// Same answer from both before timing anything.
const a = JSON.parse((await ours(functionEvent, context)).response.functionResponse.responseBody.TEXT.body);
const b = JSON.parse((await powertools.resolve(functionEvent, context)).response.functionResponse.responseBody.TEXT.body);
if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`different replies: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);

// Interleaved short rounds, medians: a shared machine drifts, and drift between two long sequential
// runs would show up as a difference between the libraries.
const tasks = [
  ['bedrock-action-groups, function door (zod-validated)', () => ours(functionEvent, context)],
  ['Powertools BedrockAgentFunctionResolver (no validation)', () => powertools.resolve(functionEvent, context)],
  ['bedrock-action-groups, OpenAPI door (zod-validated)', () => ours(openApiEvent, context)],
];
const ROUNDS = 7;
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const bench = new Bench({ time: 400, warmupTime: r === 0 ? 500 : 100 });
  for (const [name, fn] of tasks) bench.add(name, fn);
  await bench.run();
  rounds.push(bench.tasks.map((t) => t.result.throughput?.mean ?? t.result.hz));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nThroughput, one event per call (3 parameters: string, integer, boolean); medians of ${ROUNDS} interleaved rounds`);
console.table(
  tasks.map(([name], i) => ({
    task: name,
    'ops/s': Math.round(median(rounds.map((r) => r[i]))),
    'vs Powertools': `${median(rounds.map((r) => r[i] / r[1])).toFixed(2)}×`,
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
