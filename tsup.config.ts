import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version, engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; engines: { node: string } };
// "22.12" from ">=22.12": the bin's own check of the Node it runs on (src/cli/require-node.ts).
const minNode = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(engines.node)?.slice(1).map((n) => n ?? '0').join('.') ?? '0.0.0';

// One entry per subpath export. Splitting is on for both formats so every subpath shares one copy of
// the core (one ActionError class, one router) in ESM and in CJS alike.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    lambda: 'src/adapters/lambda.ts',
    testing: 'src/testing/index.ts',
    text: 'src/text/index.ts',
    hubspot: 'src/packs/hubspot/index.ts',
    interactions: 'src/packs/interactions/index.ts',
    metrics: 'src/packs/metrics/index.ts',
    'kb-ingest': 'src/packs/kb-ingest/index.ts',
    cognito: 'src/packs/cognito/index.ts',
    node: 'src/adapters/node.ts',
    express: 'src/adapters/express.ts',
    auth: 'src/auth/index.ts',
    stores: 'src/stores/index.ts',
    agents: 'src/agents/index.ts',
    documents: 'src/packs/documents/index.ts',
    openai: 'src/packs/openai/index.ts',
    mcp: 'src/agents/mcp.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  treeshake: true,
  clean: true,
  target: 'node22',
  platform: 'node',
  outDir: 'dist',
  define: { __LIBRARY_VERSION__: JSON.stringify(version), __MIN_NODE__: JSON.stringify(minNode) },
});
