import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// README samples are real code: each ```ts block is compiled against the BUILT package (resolved by its
// own name through package.json "exports", as a user's project resolves it). The first block is the
// quick start, which later blocks import as './quick-start.js'.
const root = join(import.meta.dirname, '..', '..');
const dir = join(root, '.tmp', 'readme');

function blocks(): string[] {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('README', () => {
  it('has TypeScript samples, and each compiles against the built package', () => {
    expect(existsSync(join(root, 'dist', 'index.d.ts')), 'run `npm run build` first').toBe(true);
    const samples = blocks();
    expect(samples.length).toBeGreaterThanOrEqual(5);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = samples.map((code, i) => {
      const file = join(dir, i === 0 ? 'quick-start.ts' : `sample-${i}.ts`);
      writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
