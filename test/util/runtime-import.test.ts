import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runtimeImport } from '../../src/util/runtime-import.js';

const root = join(import.meta.dirname, '..', '..');

describe('runtimeImport', () => {
  it('imports a package by name at run time', async () => {
    const { z } = await runtimeImport<typeof import('zod')>('zod');
    expect(z.string().parse('x')).toBe('x');
  });

  it('rejects with the loader error when the package is missing', async () => {
    await expect(runtimeImport('no-such-package-here')).rejects.toThrow(/no-such-package-here/);
  });

  it('is not followed by esbuild: a bundle of its caller carries neither the module nor a copy of it', async () => {
    const out = await build({
      stdin: { contents: `import { runtimeImport } from './src/util/runtime-import.ts';\nexport const load = () => runtimeImport('zod');`, resolveDir: root, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', metafile: true,
    });
    const inputs = Object.keys(Object.values(out.metafile.outputs)[0]?.inputs ?? {});
    expect(inputs).toEqual(['src/util/runtime-import.ts', '<stdin>']);
    // The comments that keep webpack and Vite away survive a bundler pass, for a second bundler downstream.
    expect(out.outputFiles[0]?.text).toMatch(/import\(\s*\/\* webpackIgnore: true \*\/\s*\/\* @vite-ignore \*\/\s*specifier\s*\)/);
  });
});
