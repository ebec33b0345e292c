import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActionGroup } from '../../src/index.js';
import { toAgentCoreTools, toFunctionSchema, toOpenApi } from '../../src/schema/index.js';
import { billing, tickets } from './fixtures/app.js';
import { cli, fixture, foreignBundle, listing, tempDir } from './support.js';

const APP = fixture('app.ts');
const SIX_FILES = [
  'Billing.agentcore.json', 'Billing.functions.json', 'Billing.openapi.json',
  'Tickets.agentcore.json', 'Tickets.functions.json', 'Tickets.openapi.json',
];
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const ADVICE = fixture('advice.ts');
const CART_FILES = ['Cart.agentcore.json', 'Cart.functions.json', 'Cart.openapi.json'];
/** What the lint prints for the broken group of bad.ts: errors first, then warnings. */
const BROKEN_REPORT = [
  'Broken__Ops: 2 errors, 1 warning',
  '  error double-underscore: Group name "Broken__Ops" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".',
  '  error parameter-description: Operation "lookup" in group "Broken__Ops": parameter "query" has no description; add .describe(\'…\') saying what the value is and its format.',
  '  warning short-description: Operation "lookup" in group "Broken__Ops": the description ("Look something up.") is under 4 words; say what it does and when the model should use it.',
];
/** What the lint prints for advice.ts: warnings only. */
const CART_REPORT = [
  'Cart: 2 warnings',
  '  warning nested-field-description: Operation "addItems" in group "Cart": field "sku" of the items of "items" has no description; add .describe(\'…\') to it so the model knows what to put there.',
  '  warning nested-field-description: Operation "addItems" in group "Cart": field "qty" of the items of "items" has no description; add .describe(\'…\') to it so the model knows what to put there.',
  '',
].join('\n');

describe('openapi', () => {
  test('writes the three schemas of every exported group once (routers included) as 2-space JSON with a final newline', async () => {
    const cwd = await tempDir();
    const run = await cli(['openapi', APP, '--out', 'schemas'], cwd);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Billing: 1 operation, no problems',
        'Tickets: 5 operations, no problems',
        'wrote schemas/Billing.openapi.json',
        'wrote schemas/Billing.functions.json',
        'wrote schemas/Billing.agentcore.json',
        'wrote schemas/Tickets.openapi.json',
        'wrote schemas/Tickets.functions.json',
        'wrote schemas/Tickets.agentcore.json',
        '',
      ].join('\n'),
    });
    const dir = join(cwd, 'schemas');
    expect(await listing(dir)).toEqual(SIX_FILES);
    expect(await readFile(join(dir, 'Tickets.openapi.json'), 'utf8')).toBe(pretty(toOpenApi(tickets)));
    expect(await readFile(join(dir, 'Tickets.functions.json'), 'utf8')).toBe(pretty(toFunctionSchema(tickets)));
    expect(await readFile(join(dir, 'Billing.agentcore.json'), 'utf8')).toBe(pretty(toAgentCoreTools(billing)));
    await SwaggerParser.validate(JSON.parse(await readFile(join(dir, 'Billing.openapi.json'), 'utf8')));
  });

  test('is deterministic: a second run writes the same bytes', async () => {
    const cwd = await tempDir();
    await cli(['openapi', APP, '--out', 'a'], cwd);
    await cli(['openapi', APP, '--out', 'b'], cwd);
    for (const file of SIX_FILES) expect(await readFile(join(cwd, 'b', file), 'utf8')).toBe(await readFile(join(cwd, 'a', file), 'utf8'));
  });

  test('defaults to openapi/ under the working directory', async () => {
    const cwd = await tempDir();
    expect((await cli(['openapi', APP], cwd)).code).toBe(0);
    expect(await listing(join(cwd, 'openapi'))).toEqual(SIX_FILES);
  });

  test('--export picks one group or one router', async () => {
    const cwd = await tempDir();
    expect((await cli(['openapi', APP, '--export', 'billing', '--out', 'one'], cwd)).code).toBe(0);
    expect(await listing(join(cwd, 'one'))).toEqual(['Billing.agentcore.json', 'Billing.functions.json', 'Billing.openapi.json']);
    expect((await cli(['openapi', APP, '-e', 'router', '-o', 'both'], cwd)).code).toBe(0);
    expect(await listing(join(cwd, 'both'))).toEqual(SIX_FILES);
  });

  test('--export of a missing name or of something else is an error naming the exports', async () => {
    const cwd = await tempDir();
    expect(await cli(['openapi', APP, '--export', 'nope'], cwd)).toEqual({
      code: 1, stdout: '', stderr: `${APP} has no export named "nope"; its exports are: billing, helper, retries, router, tickets.\n`,
    });
    expect(await cli(['openapi', APP, '--export', 'retries'], cwd)).toEqual({
      code: 1, stdout: '', stderr: `Export "retries" of ${APP} is neither an action group nor a router.\n`,
    });
    expect(await listing(join(cwd, 'openapi'))).toEqual([]);
  });

  test('a lint failure lists every problem, exits 1 and writes nothing, not even the clean group', async () => {
    const cwd = await tempDir();
    const run = await cli(['openapi', fixture('bad.ts'), '--out', 'schemas'], cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('Fine: 1 operation, no problems\n');
    expect(run.stderr).toBe([
      ...BROKEN_REPORT,
      'Nothing was written: fix the errors above and run again.',
      '',
    ].join('\n'));
    expect(await listing(join(cwd, 'schemas'))).toEqual([]);
  });

  test('warnings alone are printed and the schemas written (exit 0); --strict makes them fatal (exit 1, nothing written)', async () => {
    const cwd = await tempDir();
    expect(await cli(['openapi', ADVICE, '--out', 'strict', '--strict'], cwd)).toEqual({
      code: 1, stdout: '', stderr: `${CART_REPORT}Nothing was written: fix the problems (--strict: warnings too) above and run again.\n`,
    });
    expect(await listing(join(cwd, 'strict'))).toEqual([]);
    expect(await cli(['openapi', ADVICE, '--out', 'schemas'], cwd)).toEqual({
      code: 0, stderr: CART_REPORT, stdout: 'wrote schemas/Cart.openapi.json\nwrote schemas/Cart.functions.json\nwrote schemas/Cart.agentcore.json\n',
    });
    expect(await listing(join(cwd, 'schemas'))).toEqual(CART_FILES);
    expect(await cli(['openapi', ADVICE, '--out', 'schemas', '--check'], cwd)).toEqual({ code: 0, stderr: CART_REPORT, stdout: '3 schema files are up to date.\n' });
    expect((await cli(['openapi', ADVICE, '--out', 'schemas', '--check', '--strict'], cwd)).code).toBe(1);
  });

  test('--check passes on fresh files, names missing and differing ones, and never writes', async () => {
    const cwd = await tempDir();
    await cli(['openapi', APP, '--out', 'schemas'], cwd);
    expect(await cli(['openapi', APP, '--out', 'schemas', '--check'], cwd)).toEqual({
      code: 0, stderr: '', stdout: 'Billing: 1 operation, no problems\nTickets: 5 operations, no problems\n6 schema files are up to date.\n',
    });
    const edited = join(cwd, 'schemas', 'Tickets.functions.json');
    await writeFile(edited, '{}\n');
    await rm(join(cwd, 'schemas', 'Billing.openapi.json'));
    const run = await cli(['openapi', APP, '--out', 'schemas', '--check'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe([
      'Stale schemas:',
      '  schemas/Billing.openapi.json (missing)',
      '  schemas/Tickets.functions.json (differs)',
      `Run "bedrock-action-groups openapi ${APP} --out schemas" and commit the result.`,
      '',
    ].join('\n'));
    expect(await readFile(edited, 'utf8')).toBe('{}\n');
    expect(await listing(join(cwd, 'schemas'))).toEqual(SIX_FILES.filter((f) => f !== 'Billing.openapi.json'));
  });

  test('--check names schema files of groups the module no longer exports', async () => {
    const cwd = await tempDir();
    await cli(['openapi', APP, '--out', 'schemas'], cwd);
    await writeFile(join(cwd, 'schemas', 'Removed.openapi.json'), '{}\n');
    await writeFile(join(cwd, 'schemas', 'notes.json'), '{}\n');
    const run = await cli(['openapi', APP, '--out', 'schemas', '--check'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('  schemas/Removed.openapi.json (no such group: delete it)\n');
    expect(run.stderr).not.toContain('notes.json');
    // With --export only that group is compared, so other groups' files are not judged.
    expect((await cli(['openapi', APP, '--out', 'schemas', '--check', '--export', 'tickets'], cwd)).stderr).not.toContain('Removed');
  });

  test('--check fails on lint problems before comparing anything', async () => {
    const cwd = await tempDir();
    const run = await cli(['openapi', fixture('bad.ts'), '--check'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Broken__Ops: 2 errors, 1 warning');
    expect(run.stderr).not.toContain('Stale');
  });

  test('modules that cannot be used are reported, not thrown', async () => {
    const cwd = await tempDir();
    expect(await cli(['openapi', 'missing.mjs'], cwd)).toEqual({ code: 1, stdout: '', stderr: `Module not found: ${join(cwd, 'missing.mjs')}\n` });
    expect(await cli(['openapi', fixture('none.ts')], cwd)).toEqual({
      code: 1, stdout: '', stderr: `${fixture('none.ts')} exports no action group or router (exports: answer, config). Export the result of actionGroup(...) or createRouter(...).\n`,
    });
    expect(await cli(['openapi', fixture('clash.ts')], cwd)).toEqual({
      code: 1, stdout: '', stderr: `${fixture('clash.ts')} exports two different action groups named "Tickets"; rename one.\n`,
    });
    await writeFile(join(cwd, 'throws.mjs'), 'throw new Error("boom at import");\n');
    expect(await cli(['lint', 'throws.mjs'], cwd)).toEqual({ code: 1, stdout: '', stderr: 'Cannot import throws.mjs: boom at import (at throws.mjs:1:7)\n' });
  });

  test('a module that fails to load is reported with the line and column of the failure', async () => {
    const cwd = await tempDir();
    // Thrown while evaluating a file the module imports: the position is in that file.
    await writeFile(join(cwd, 'helper.mjs'), 'export const config = {};\nexport const port = config.server.port;\n');
    await writeFile(join(cwd, 'groups.mjs'), "import { port } from './helper.mjs';\nexport const answer = port;\n");
    expect((await cli(['lint', 'groups.mjs'], cwd)).stderr).toBe("Cannot import groups.mjs: Cannot read properties of undefined (reading 'port') (at helper.mjs:2:35)\n");
  });

  test('an --out that cannot be a folder is reported', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'taken'), 'a file\n');
    const run = await cli(['openapi', APP, '--out', 'taken'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot write into taken: EEXIST: file already exists, mkdir '.*taken'\n$/);
  });

  describe('a module built against another copy of the library (.mjs)', () => {
    let bundle: Awaited<ReturnType<typeof foreignBundle>>;
    beforeAll(async () => {
      bundle = await foreignBundle();
    });
    afterAll(() => bundle.cleanup());

    test('its groups are found by shape and give the same schemas', async () => {
      const foreign = (await import(bundle.module)) as { tickets: unknown; ActionGroup: unknown };
      expect(foreign.ActionGroup).not.toBe(ActionGroup);
      expect(foreign.tickets instanceof ActionGroup).toBe(false);
      const cwd = await tempDir();
      const run = await cli(['openapi', bundle.module, '--out', 'schemas'], cwd);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await listing(join(cwd, 'schemas'))).toEqual(SIX_FILES);
      expect(await readFile(join(cwd, 'schemas', 'Tickets.openapi.json'), 'utf8')).toBe(pretty(toOpenApi(tickets)));
      expect(await readFile(join(cwd, 'schemas', 'Tickets.agentcore.json'), 'utf8')).toBe(pretty(toAgentCoreTools(tickets)));
    });
  });
});

describe('lint', () => {
  test('reports each group and exits 0 when all are clean, writing nothing', async () => {
    const cwd = await tempDir();
    expect(await cli(['lint', APP], cwd)).toEqual({ code: 0, stderr: '', stdout: 'Billing: 1 operation, no problems\nTickets: 5 operations, no problems\n' });
    expect(await listing(cwd)).toEqual([]);
  });

  test('exits 1 listing the problems; --export narrows to one group', async () => {
    const cwd = await tempDir();
    const run = await cli(['lint', fixture('bad.ts')], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').slice(0, 4)).toEqual(BROKEN_REPORT);
    expect(await cli(['lint', fixture('bad.ts'), '--export', 'fine'], cwd)).toEqual({ code: 0, stderr: '', stdout: 'Fine: 1 operation, no problems\n' });
  });
});

describe('lint --strict', () => {
  test('warnings: exit 0 without --strict, 1 with it; errors: 1 either way; a clean module: 0 either way', async () => {
    const cwd = await tempDir();
    expect(await cli(['lint', ADVICE], cwd)).toEqual({ code: 0, stdout: '', stderr: CART_REPORT });
    expect(await cli(['lint', ADVICE, '--strict'], cwd)).toEqual({ code: 1, stdout: '', stderr: CART_REPORT });
    expect((await cli(['lint', fixture('bad.ts')], cwd)).code).toBe(1);
    expect((await cli(['lint', fixture('bad.ts'), '--strict'], cwd)).code).toBe(1);
    expect(await cli(['lint', APP, '--strict'], cwd)).toEqual({ code: 0, stderr: '', stdout: 'Billing: 1 operation, no problems\nTickets: 5 operations, no problems\n' });
    expect(await listing(cwd)).toEqual([]);
  });
});

describe('usage', () => {
  test('--help at the top and on each command prints usage to stdout and exits 0', async () => {
    const cwd = await tempDir();
    const top = await cli(['--help'], cwd);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: bedrock-action-groups <command> \[options\]\n/);
    expect(top.stdout).toContain('openapi <module>');
    expect(top.stdout).toContain('lint <module>');
    expect((await cli(['-h'], cwd)).stdout).toBe(top.stdout);
    const openapi = await cli(['openapi', '--help'], cwd);
    expect(openapi).toMatchObject({ code: 0, stderr: '' });
    expect(openapi.stdout).toMatch(/^Usage: bedrock-action-groups openapi <module> \[--out <dir>\] \[--export <name>\] \[--check\] \[--strict\]\n/);
    const lint = await cli(['lint', APP, '-h'], cwd);
    expect(lint).toMatchObject({ code: 0, stderr: '' });
    expect(lint.stdout).toMatch(/^Usage: bedrock-action-groups lint <module> \[--export <name>\] \[--strict\]\n/);
    expect(top.stdout).toContain('Exit codes:\n  0  success');
    expect(await listing(cwd)).toEqual([]);
  });

  test('bad usage prints the reason and the usage to stderr and exits 2', async () => {
    const cwd = await tempDir();
    const cases: Array<[string[], string, string]> = [
      [[], 'No command given.', 'Usage: bedrock-action-groups <command>'],
      [['generate', APP], 'Unknown command "generate".', 'Usage: bedrock-action-groups <command>'],
      [['openapi'], 'Missing <module>.', 'Usage: bedrock-action-groups openapi'],
      [['openapi', APP, APP], `Expected one <module>, got 2: ${APP} ${APP}.`, 'Usage: bedrock-action-groups openapi'],
      [['openapi', APP, '--outdir', 'x'], "Unknown option '--outdir'", 'Usage: bedrock-action-groups openapi'],
      [['lint', APP, '--check'], "Unknown option '--check'", 'Usage: bedrock-action-groups lint'],
      [['openapi', APP, '--out'], "Option '-o, --out <value>' argument missing", 'Usage: bedrock-action-groups openapi'],
    ];
    for (const [argv, reason, usage] of cases) {
      const run = await cli(argv, cwd);
      expect({ argv, code: run.code, stdout: run.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(run.stderr.split('\n')[0]).toContain(reason);
      expect(run.stderr).toContain(`\n\n${usage}`);
    }
    expect(await listing(cwd)).toEqual([]);
  });
});
