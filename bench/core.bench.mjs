// Issue 2 and 8 figures: a Bedrock Agents event through `toLambda` vs Powertools' BedrockAgentFunctionResolver
// (which validates nothing), with the same synchronous and asynchronous handler on both sides; the
// OpenAPI-style door; an API Gateway HTTP API (v2) event through `toLambda` vs Powertools' HTTP Router with
// zod validation of the body; the minified bundles of a one-operation Lambda; the cold import time of `.`.
// Every router has its default options (default logger, no timeout), as a user's `toLambda(group)` has;
// one extra row sets `timeoutMs` on the operation, beside Powertools with the per-call timeout a user writes
// for the same job (Powertools has no timeout option), and a second table shows what the deadline costs
// against our own call without one; another row serves six operations called in turn (six tools on
// Powertools' side), as a multi-operation Lambda does.
//
// Two tables: each comparison in a process of its own (core-pair.mjs, five processes per row), as a
// Lambda runs one handler; then every subject in one process (core-together.mjs, five such processes),
// where our code serves seven routers and three event shapes at once while Powertools' serves four
// resolvers and routers and two shapes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { common } from './core-fixtures.mjs';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const PT_SYNC = 'Powertools BedrockAgentFunctionResolver, sync handler (no validation)';
const PT_ASYNC = 'Powertools BedrockAgentFunctionResolver, async handler (no validation)';
const PT_HTTP = 'Powertools HTTP Router, API Gateway v2, async handler (zod body)';
const PT_TIMEOUT = 'Powertools BedrockAgentFunctionResolver, async handler raced against a 10 s setTimeout (no validation)';
const PT_SIX = 'Powertools BedrockAgentFunctionResolver, six tools called in turn, async (no validation)';
// [row, our subject, the peer's subject, the peer's row]
const rows = [
  ['bedrock-action-groups, function door, sync handler (zod)', 'ours sync', 'Powertools sync', PT_SYNC],
  ['bedrock-action-groups, function door, async handler (zod)', 'ours async', 'Powertools async', PT_ASYNC],
  ['bedrock-action-groups, OpenAPI door, sync handler (zod)', 'ours sync, OpenAPI', 'Powertools sync', PT_SYNC],
  ['bedrock-action-groups, OpenAPI door, async handler (zod)', 'ours async, OpenAPI', 'Powertools async', PT_ASYNC],
  ['bedrock-action-groups, function door, async handler (zod), timeoutMs 10 s', 'ours async, timeoutMs', 'Powertools async, timeout', PT_TIMEOUT],
  ['bedrock-action-groups, API Gateway v2, async handler (zod)', 'ours HTTP', 'Powertools HTTP', PT_HTTP],
  ['bedrock-action-groups, function door, six operations called in turn, async (zod)', 'ours async, six operations', 'Powertools async, six tools', PT_SIX],
];

const PROCESSES = Number(process.env.CORE_BENCH_PROCESSES ?? 5);
const pairOf = (ours, peer) => JSON.parse(execFileSync(process.execPath, [join(root, 'bench/core-pair.mjs'), ours, peer], { cwd: root }).toString());
/** The median of per-process ratios and their range, as table cells. */
const ratioCells = (ratios, label) => ({
  [label]: `${median(ratios).toFixed(2)}×`,
  [`range over ${ratios.length} processes`]: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`,
});
const isolated = [];
for (const [row, ours, peer, peerRow] of rows) {
  const runs = [];
  for (let i = 0; i < PROCESSES; i++) runs.push(pairOf(ours, peer));
  const ratios = runs.map((r) => r.ratio);
  isolated.push({
    task: row,
    'ops/s': Math.round(median(runs.map((r) => r.ours))),
    [`peer ops/s`]: Math.round(median(runs.map((r) => r.peer))),
    ...ratioCells(ratios, 'vs Powertools (same handler)'),
    peer: peerRow,
  });
}
console.log('\nOne comparison per process (as a Lambda runs one handler): medians of alternating rounds, then of the processes');
console.table(isolated);

// What `timeoutMs` costs: our call with a deadline against the same call without one.
const deadline = [];
for (let i = 0; i < PROCESSES; i++) deadline.push(pairOf('ours async, timeoutMs', 'ours async').ratio);
console.log(`\nWhat the deadline costs: function door, async, timeoutMs 10 s vs no timeout (ours both sides), one pair per process`);
console.table([ratioCells(deadline, 'with timeoutMs vs without')]);

// Every subject in one process, in PROCESSES processes: where which function the JIT inlines into which
// depends on the order things warmed up, one process alone lands anywhere in about ±15 % from the next
// (0.85× to 1.14× for one row, measured), so one sample would say more about that process than about the code.
const together = [];
for (let i = 0; i < PROCESSES; i++) {
  together.push(JSON.parse(execFileSync(process.execPath, [join(root, 'bench/core-together.mjs'), JSON.stringify(rows)], { cwd: root }).toString()));
}
console.log(`\nAll in one process — throughput, one event per call through the Lambda handler (Bedrock: 3 parameters, string, integer, boolean;`);
console.log(`HTTP: a path parameter and a 2-field JSON body); medians of interleaved rounds, then of ${PROCESSES} processes`);
console.table([
  ...rows.map(([row]) => {
    return {
      task: row,
      'ops/s': Math.round(median(together.map((t) => t.ours[row]))),
      ...ratioCells(together.map((t) => t.ratios[row]), 'vs Powertools (same handler)'),
    };
  }),
  ...[...new Set(rows.map(([, , , peerRow]) => peerRow))].map((peerRow) => ({ task: peerRow, 'ops/s': Math.round(median(together.map((t) => t.peers[peerRow]))) })),
]);

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
// The same, served by toAgentLambda (the agent doors only) and by createInvoker (no door).
const agentEntry = entry.replace("import { toLambda }", "import { toAgentLambda }").replace('toLambda(', 'toAgentLambda(');
const invokerEntry = `
import { z } from 'zod';
import { actionGroup, createInvoker } from 'bedrock-action-groups';
const invoker = createInvoker(actionGroup({ name: 'Hello', description: 'Greets' }).operation({
  name: 'hello', method: 'GET', path: '/hello', description: 'Say hello',
  input: z.object({ name: z.string().describe('Who') }), handler: ({ name }) => 'Hello ' + name,
}));
export const hello = (name) => invoker.invoke('Hello', 'hello', { name });`;
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

// The bundles must work, not just be small: run each once.
const dir = mkdtempSync(join(tmpdir(), 'bag-bundle-'));
const load = async (name, contents) => {
  writeFileSync(join(dir, name), await bundle(contents));
  return import(join(dir, name));
};
for (const [name, contents] of [['handler.mjs', entry], ['agent.mjs', agentEntry]]) {
  const { handler: bundled } = await load(name, contents);
  const hello = await bundled({ ...common, actionGroup: 'Hello', function: 'hello', parameters: [{ name: 'name', type: 'string', value: 'Ana' }] });
  if (hello.response.functionResponse.responseBody.TEXT.body !== 'Hello Ana') throw new Error(`the bundled ${name} answered ${JSON.stringify(hello)}`);
}
if ((await (await load('invoker.mjs', invokerEntry)).hello('Ana')) !== 'Hello Ana') throw new Error('the bundled invoker answered wrong');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('\nesbuild --bundle --minify, one-operation Lambda');
console.table([
  { bundle: 'bedrock-action-groups (. + ./lambda) with zod', size: kb(await size(entry)) },
  { bundle: 'bedrock-action-groups (. + ./lambda), zod external', size: kb(await size(entry, ['zod'])) },
  { bundle: 'bedrock-action-groups (.), router.invoke only, zod external', size: kb(await size(invokeEntry, ['zod'])) },
  { bundle: 'bedrock-action-groups (. + ./lambda), toAgentLambda, zod external', size: kb(await size(agentEntry, ['zod'])) },
  { bundle: 'bedrock-action-groups (.), createInvoker only, zod external', size: kb(await size(invokerEntry, ['zod'])) },
  { bundle: 'Powertools bedrock-agent (no schema library)', size: kb(await size(ptEntry)) },
]);

// Cold import in a fresh process: median of 9.
function coldImport(specifier) {
  const runs = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`], { cwd: root });
    runs.push(Number(out.toString().trim()));
  }
  return median(runs);
}
console.log('\nCold import in a fresh process (median of 9)');
console.table([
  { module: "bedrock-action-groups ('.')", ms: coldImport(`${root}dist/index.js`).toFixed(1) },
  { module: '@aws-lambda-powertools/event-handler/bedrock-agent', ms: coldImport('@aws-lambda-powertools/event-handler/bedrock-agent').toFixed(1) },
]);
