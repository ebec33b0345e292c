// The layering rules of ARCHITECTURE.md, checked by `npm run check:layers` (part of `npm test`).
// Layers from the bottom up: a folder may import its own layer and the layers below it, never one above.
const LAYERS = [
  ['util', '^src/util/'],
  ['core', '^src/core/'],
  ['schema', '^src/schema/'],
  ['doors', '^src/doors/'],
  ['router', '^src/router\\.ts$'],
  ['adapters', '^src/adapters/'],
  ['auth', '^src/auth/'],
  ['stores', '^src/stores/'],
  ['agents', '^src/agents/'],
  ['kit', '^src/kit/'],
  ['integrations', '^src/integrations/'],
  ['packs', '^src/packs/'],
  ['entry points', '^src/(index\\.ts$|cli/|testing/)'],
];

const layerRules = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `${name.replace(/\s+/g, '-')}-imports-only-below`,
  comment: `${name} may import only ${LAYERS.slice(0, i).map(([n]) => n).join(', ') || 'nothing else in src'} (and text/)`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'text-is-a-leaf',
      comment: 'text/ holds pure functions anyone may import; it imports nothing else from src',
      severity: 'error',
      from: { path: '^src/text/' },
      to: { path: '^src/', pathNot: '^src/text/' },
    },
    {
      name: 'playground-ui-is-browser-code',
      comment: 'src/playground/ui is bundled for the browser by scripts/build-playground.mjs; the router imports only its built assets',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/playground/ui/' },
      to: { path: '^src/playground/ui/' },
    },
    {
      name: 'playground-ui-imports-no-server-code',
      comment: 'The browser bundle takes only the catalog types and the Bedrock event builders from the library',
      severity: 'error',
      from: { path: '^src/playground/ui/' },
      to: { path: '^src/', pathNot: '^src/(playground/ui/|schema/playground-catalog\\.ts$|testing/bedrock-(events|string)\\.ts$)' },
    },
    {
      name: 'no-pack-imports-another-pack',
      comment: 'A pack imports only itself; what packs share lives in kit/ and integrations/',
      severity: 'error',
      from: { path: '^src/packs/([^/]+)/' },
      to: { path: '^src/packs/', pathNot: '^src/packs/$1/' },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
