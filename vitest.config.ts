import { defineConfig } from 'vitest/config';

// Examples import the package by name, as users do; in tests that name resolves to the source through
// tsconfig "paths" (the packed-package tests exercise the built files).
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    // expect.hasAssertions() before every test: a test that asserts nothing fails.
    setupFiles: ['test/support/has-assertions.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
