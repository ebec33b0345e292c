// What a user's Lambda bundle carries: esbuild (as Lambdas are bundled, no splitting) over the built
// package. The lazily loaded optional parts — the playground's few-MB assets, the MCP SDK — must stay
// out of it, since a bundler follows every literal import().
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const LAMBDA = `import { z } from 'zod';
import { actionGroup } from 'bedrock-action-groups';
import { toLambda } from 'bedrock-action-groups/lambda';
export const handler = toLambda(actionGroup({ name: 'Hello', description: 'Hello' }).operation({
  name: 'hello', method: 'GET', path: '/hello', description: 'Say hello to someone.',
  input: z.object({ name: z.string().describe('Name') }), handler: async ({ name }) => ({ hi: name }),
}));`;

describe('a one-operation Lambda bundled with esbuild from dist/', () => {
  it('leaves the playground assets and the MCP SDK out, and stays under 150 KiB (zod external)', async () => {
    const out = await build({
      stdin: { contents: LAMBDA, resolveDir: root, loader: 'js' },
      bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node22', write: false, external: ['zod'], logLevel: 'silent', metafile: true,
      alias: { 'bedrock-action-groups/lambda': join(root, 'dist/lambda.js'), 'bedrock-action-groups': join(root, 'dist/index.js') },
    });
    const inputs = Object.keys(Object.values(out.metafile.outputs)[0]?.inputs ?? {});
    expect(inputs.filter((i) => /playground-assets|@modelcontextprotocol|vega|swagger/.test(i))).toEqual([]);
    expect(out.outputFiles[0]?.contents.length).toBeLessThan(150 * 1024);
  }, 60_000);
});
