import { defineConfig } from 'vitest/config';

// The pages in Debian's Chromium, driven by playwright-core (`npm run test:browser`; .ci/run installs
// the chromium package when it is missing). Apart from `npm test` so that the main run stays short.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/browser/**/*.test.ts'],
    setupFiles: ['test/support/has-assertions.ts'],
    globalSetup: ['test/support/playground-assets.mjs'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One browser at a time on a 2-core machine.
    fileParallelism: false,
  },
});
