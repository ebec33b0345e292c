import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toAgentCoreTools, toFunctionSchema, toOpenApi } from '../../src/schema/index.js';
import { tickets } from './fixtures/app.js';
import { fixture, foreignBundle, listing, ROOT, tempDir } from './support.js';

const DIST_CLI = join(ROOT, 'dist/cli/main.js');
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// A TypeScript module for Node's own type stripping (Node >= 22.18): type-only imports, annotations, an
// interface and an `as` cast, importing a library copy bundled next to it.
const TYPED_MODULE = `import type { ActionGroup } from './foreign.mjs';
import { tickets } from './foreign.mjs';

interface Named {
  readonly name: string;
}

export const ticketsOnly: Named & ActionGroup = tickets as ActionGroup;
`;

let bundle: Awaited<ReturnType<typeof foreignBundle>>;
let sourceCli: string;

beforeAll(async () => {
  bundle = await foreignBundle();
  await writeFile(join(bundle.dir, 'typed.ts'), TYPED_MODULE);
  // The CLI from source as one ESM file: relative `.js` imports of .ts files are not something Node
  // resolves, so a real process needs a build; this one does not depend on the package build.
  sourceCli = join(bundle.dir, 'cli.mjs');
  await build({ entryPoints: [join(ROOT, 'src/cli/main.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node22', external: ['zod'], outfile: sourceCli, logLevel: 'silent' });
  // A module with lint warnings only, and one with errors, as the built files a user points the CLI at.
  for (const name of ['advice', 'bad']) {
    await build({ entryPoints: [fixture(`${name}.ts`)], bundle: true, format: 'esm', platform: 'node', target: 'node22', external: ['zod'], outfile: join(bundle.dir, `${name}.mjs`), logLevel: 'silent' });
  }
});
afterAll(() => bundle.cleanup());

function run(cli: string, args: string[]) {
  const child = spawnSync(process.execPath, [cli, ...args], { cwd: bundle.dir, encoding: 'utf8', timeout: 20_000 });
  // Node may warn that type stripping is experimental; that is not the CLI's output.
  const stderr = child.stderr.split('\n').filter((l) => !/ExperimentalWarning|--trace-warnings/.test(l)).join('\n');
  return { code: child.status, stdout: child.stdout, stderr };
}

async function expectTicketSchemas(dir: string) {
  expect(await listing(dir)).toEqual(['Tickets.agentcore.json', 'Tickets.functions.json', 'Tickets.openapi.json']);
  expect(await readFile(join(dir, 'Tickets.openapi.json'), 'utf8')).toBe(pretty(toOpenApi(tickets)));
  expect(await readFile(join(dir, 'Tickets.functions.json'), 'utf8')).toBe(pretty(toFunctionSchema(tickets)));
  expect(await readFile(join(dir, 'Tickets.agentcore.json'), 'utf8')).toBe(pretty(toAgentCoreTools(tickets)));
}

describe('the CLI in its own Node process (bundled from source)', () => {
  test('loads a .ts module through Node type stripping and writes its schemas', async () => {
    const out = await tempDir();
    const result = run(sourceCli, ['openapi', 'typed.ts', '--out', out]);
    expect(result.stderr.trim()).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('Tickets: 5 operations, no problems');
    await expectTicketSchemas(out);
  });

  test('sets the exit code: 1 for a stale --check, 2 for bad usage', async () => {
    const out = await tempDir();
    expect(run(sourceCli, ['openapi', 'typed.ts', '--out', out, '--check'])).toMatchObject({ code: 1 });
    expect(await listing(out)).toEqual([]);
    const usage = run(sourceCli, ['openapi', 'typed.ts', '--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--bogus'");
  });

  test('a module that does not parse is reported with the line and column', async () => {
    // A JavaScript syntax error: Node's stack does not say where; the CLI finds it.
    await writeFile(join(bundle.dir, 'syntax.mjs'), 'export const a = 1;\n  export const = 2;\n');
    expect(run(sourceCli, ['lint', 'syntax.mjs'])).toEqual({ code: 1, stdout: '', stderr: "Cannot import syntax.mjs: Unexpected token '=' (at syntax.mjs:2:16)\n" });
    // TypeScript that type stripping cannot handle: Node's own header gives the place.
    await writeFile(join(bundle.dir, 'enum.ts'), 'export const a: number = 1;\nexport enum Color { Red }\n');
    expect(run(sourceCli, ['lint', 'enum.ts'])).toEqual({ code: 1, stdout: '', stderr: 'Cannot import enum.ts: TypeScript enum is not supported in strip-only mode (at enum.ts:2:8)\n' });
  });
});

describe('exit codes of the CLI process, with and without --strict', () => {
  test('lint: warnings exit 0, or 1 with --strict; errors exit 1 either way', () => {
    const advice = run(sourceCli, ['lint', 'advice.mjs']);
    expect(advice).toMatchObject({ code: 0, stdout: '' });
    expect(advice.stderr).toMatch(/^Cart: 2 warnings\n  warning nested-field-description: /);
    expect(run(sourceCli, ['lint', 'advice.mjs', '--strict'])).toMatchObject({ code: 1, stdout: '' });
    expect(run(sourceCli, ['lint', 'bad.mjs'])).toMatchObject({ code: 1 });
    expect(run(sourceCli, ['lint', 'bad.mjs', '--strict'])).toMatchObject({ code: 1 });
  });

  test('openapi: warnings write the schemas (exit 0); --strict writes nothing (exit 1); errors write nothing (exit 1)', async () => {
    const loose = await tempDir();
    expect(run(sourceCli, ['openapi', 'advice.mjs', '--out', loose])).toMatchObject({ code: 0 });
    expect(await listing(loose)).toEqual(['Cart.agentcore.json', 'Cart.functions.json', 'Cart.openapi.json']);
    const strict = await tempDir();
    const refused = run(sourceCli, ['openapi', 'advice.mjs', '--out', strict, '--strict']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Nothing was written: fix the problems (--strict: warnings too) above and run again.');
    expect(await listing(strict)).toEqual([]);
    const broken = await tempDir();
    expect(run(sourceCli, ['openapi', 'bad.mjs', '--out', broken])).toMatchObject({ code: 1 });
    expect(await listing(broken)).toEqual([]);
  });
});

// The package's bin. It exists after the lead's `npm run build`; without it these tests are skipped.
describe.skipIf(!existsSync(DIST_CLI))('the built bin dist/cli/main.js (skipped when `npm run build` has not run)', () => {
  test('starts with a node shebang', async () => {
    expect((await readFile(DIST_CLI, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('prints help and writes the schemas of a .ts module', async () => {
    const help = run(DIST_CLI, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bedrock-action-groups <command>/);
    const out = await tempDir();
    const result = run(DIST_CLI, ['openapi', 'typed.ts', '--out', out]);
    expect(result.stderr.trim()).toBe('');
    expect(result.code).toBe(0);
    await expectTicketSchemas(out);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(DIST_CLI, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  // The machine's own older Node, when it has one (CI machines do: /usr/bin/node is Node 20).
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((node) => {
    const v = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    return /^v(\d+)\.(\d+)/.test(v) && (Number(v.slice(1).split('.')[0]) < 22 || (v.startsWith('v22.') && Number(v.split('.')[1]) < 12));
  });
  test.skipIf(!oldNode)('on a Node older than engines.node, says in one line what is needed', async () => {
    const child = spawnSync(oldNode as string, [DIST_CLI, '--help'], { cwd: bundle.dir, encoding: 'utf8', timeout: 20_000 });
    const version = spawnSync(oldNode as string, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect({ code: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: `bedrock-action-groups needs Node.js >= 22.12.0 (this is ${version}): install Node 22 or later (https://nodejs.org, or \`nvm install 22\`) and run it again.\n`,
    });
  });
});
