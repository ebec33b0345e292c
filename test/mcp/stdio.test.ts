import { Client, ProtocolError } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/support.js';

// The SDK's client spawning the built CLI, `bedrock-action-groups mcp <module>`, on a module with two
// groups that imports the installed package by name (it resolves to dist/, as in a user's project).
const DIST_CLI = join(ROOT, 'dist/cli/main.js');
let dir: string;
let module: string;

beforeAll(async () => {
  expect(existsSync(DIST_CLI), 'run `npm run build` first').toBe(true);
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.tmp', 'mcp-stdio-'));
  const entry = join(dir, 'entry.ts');
  await writeFile(entry, `import { mcpGroups } from ${JSON.stringify(join(ROOT, 'test/support/mcp-groups.ts'))};\n// A module that prints while it loads: that must not reach the client.\nconsole.log('tools module loaded');\nexport const [orders, billing] = mcpGroups();\n`);
  module = join(dir, 'tools.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: module,
    logLevel: 'silent',
    external: ['zod', 'bedrock-action-groups'],
    // The fixture imports the library source; the module a user writes imports the package.
    plugins: [{ name: 'package', setup: (b) => b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: 'bedrock-action-groups', external: true })) }],
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function spawnClient(era: ConstructorParameters<typeof Client>[1] = {}) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [DIST_CLI, 'mcp', module], cwd: dir, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable).on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'stdio-test', version: '1' }, era);
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe.each([
  ['2025 (initialize)', {}],
  ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' as const } } }],
])('bedrock-action-groups mcp <module> over stdio, %s', (_name, era) => {
  it('lists the tools of both groups and answers calls: success, validation, role, unknown tool, 5xx', async () => {
    const { client, stderr } = await spawnClient(era);
    try {
      const { tools } = await client.listTools();
      // The CLI takes a module's exports in name order: billing, then orders.
      expect(tools.map((t) => t.name)).toEqual(['addCredit', 'setLimit', 'Billing_status', 'getOrder', 'cancelOrder', 'Orders_status']);
      const getOrder = tools[3]!;
      expect(getOrder).toMatchObject({ title: 'Get an order', annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } });
      expect(getOrder.inputSchema.required).toEqual(['orderId']);
      expect(getOrder.outputSchema?.properties).toHaveProperty('total', { type: 'number', description: 'Total in euros' });

      const ok = await client.callTool({ name: 'getOrder', arguments: { orderId: 'A-1' } });
      expect(ok.structuredContent).toEqual({ orderId: 'A-1', status: 'shipped', total: 42.5, caller: null });
      expect(ok.content).toEqual([{ type: 'text', text: JSON.stringify(ok.structuredContent) }]);

      const invalid = await client.callTool({ name: 'addCredit', arguments: { customerId: 'c-1', amount: 'lots', reason: 'late' } });
      expect(invalid).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/amount.*expected a number, got "lots"/) }] });

      // No caller over stdio by default: the role-restricted tool answers the 403 as a tool result.
      const refused = await client.callTool({ name: 'cancelOrder', arguments: { orderId: 'A-1' } });
      expect(refused).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/Supervisor/) }] });

      const unknown = await client.callTool({ name: 'refundEverything', arguments: {} }).then(() => undefined, (e: unknown) => e);
      expect(unknown).toBeInstanceOf(ProtocolError);
      expect(unknown).toMatchObject({ code: -32602 });

      const failed = await client.callTool({ name: 'getOrder', arguments: { orderId: 'boom' } });
      expect(failed).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/^getOrder failed unexpectedly; the details were logged/) }] });
      expect(JSON.stringify(failed)).not.toContain('hunter2');
    } finally {
      await client.close();
    }
    // Logs went to stderr (stdout carried JSON-RPC only, or the client would have failed to parse it).
    expect(stderr()).toContain('MCP server on stdio: Billing, Orders');
    expect(stderr()).toContain('tools module loaded');
    expect(stderr()).toContain('hunter2');
  });
});

describe('bedrock-action-groups mcp: usage', () => {
  it('exits 1 naming the problem for a module without groups, and documents the command', async () => {
    const { spawnSync } = await import('node:child_process');
    const none = join(dir, 'none.mjs');
    await writeFile(none, 'export const x = 1;\n');
    const bad = spawnSync(process.execPath, [DIST_CLI, 'mcp', none], { cwd: dir, encoding: 'utf8', input: '' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/exports no action group or router/);
    const help = spawnSync(process.execPath, [DIST_CLI, 'mcp', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bedrock-action-groups mcp <module> \[--export <name>\]/);
  });
});
