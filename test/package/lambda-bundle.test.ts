// What a user's Lambda bundle carries: esbuild (as Lambdas are bundled, no splitting) over the built
// package. The lazily loaded optional parts — the playground's few-MB assets, the MCP SDK — must stay
// out of it, since a bundler follows every literal import(). A Lambda only agents call (toAgentLambda)
// and a bundle that only invokes operations (createInvoker) carry no HTTP door and no schema generator.
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const GROUP = `actionGroup({ name: 'Hello', description: 'Hello' }).operation({
  name: 'hello', method: 'GET', path: '/hello', description: 'Say hello to someone.',
  input: z.object({ name: z.string().describe('Name') }), handler: async ({ name }) => ({ hi: name }),
})`;
const LAMBDA = `import { z } from 'zod';
import { actionGroup } from 'bedrock-action-groups';
import { toLambda } from 'bedrock-action-groups/lambda';
export const handler = toLambda(${GROUP});`;
const AGENT_LAMBDA = `import { z } from 'zod';
import { actionGroup } from 'bedrock-action-groups';
import { toAgentLambda } from 'bedrock-action-groups/lambda';
export const handler = toAgentLambda(${GROUP});`;
const INVOKER = `import { z } from 'zod';
import { actionGroup, createInvoker } from 'bedrock-action-groups';
const invoker = createInvoker(${GROUP});
export const hello = (name) => invoker.invoke('Hello', 'hello', { name });`;

async function bundle(contents: string) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node22', write: false, external: ['zod'], logLevel: 'silent', metafile: true,
    alias: { 'bedrock-action-groups/lambda': join(root, 'dist/lambda.js'), 'bedrock-action-groups': join(root, 'dist/index.js') },
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild wrote nothing');
  return { inputs: Object.keys(Object.values(out.metafile.outputs)[0]?.inputs ?? {}), size: file.contents.length, text: file.text };
}

// Strings only the HTTP door and the schema generators hold.
const HTTP_AND_SCHEMA = ['/openapi.json', 'REPLY_TOO_LARGE', 'Access-Control-Allow-Origin', 'x-amazon-bedrock'];

describe('a one-operation Lambda bundled with esbuild from dist/', () => {
  it('leaves the playground assets and the MCP SDK out, and stays under 150 KiB (zod external)', async () => {
    const { inputs, size } = await bundle(LAMBDA);
    expect(inputs.filter((i) => /playground-assets|@modelcontextprotocol|vega|swagger/.test(i))).toEqual([]);
    expect(size).toBeLessThan(150 * 1024);
  }, 60_000);

  it('with toAgentLambda, carries no HTTP door or schema generator and stays under 40 KiB', async () => {
    const { text, size } = await bundle(AGENT_LAMBDA);
    expect(HTTP_AND_SCHEMA.filter((s) => text.includes(s))).toEqual([]);
    expect(text).toContain('bedrockAgentCoreToolName');
    expect(size).toBeLessThan(40 * 1024);
  }, 60_000);

  it('that only calls createInvoker(...).invoke carries no door and stays under 32 KiB', async () => {
    const { text, size } = await bundle(INVOKER);
    expect([...HTTP_AND_SCHEMA, 'bedrockAgentCoreToolName', 'messageVersion'].filter((s) => text.includes(s))).toEqual([]);
    expect(size).toBeLessThan(32 * 1024);
  }, 60_000);
});
