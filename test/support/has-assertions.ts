// Every test must assert something at run time: a test whose checks never run (a callback never
// called, a type-only block) fails instead of passing silently.
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
