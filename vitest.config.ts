import { defineConfig } from 'vitest/config';

// Examples import the package by name, as users do; in tests that name resolves to the source through
// tsconfig "paths" (the packed-package tests exercise the built files).
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    // The pages in Chromium run on their own (vitest.browser.config.ts, `npm run test:browser`).
    exclude: ['test/browser/**', '**/node_modules/**'],
    globalSetup: ['test/support/playground-assets.mjs'],
    // expect.hasAssertions() before every test: a test that asserts nothing fails.
    setupFiles: ['test/support/has-assertions.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
