import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBaseInstall, readmeInstallTable, readmeSamples, ROOT } from './readme-doc.js';

// The README's table of optional peers says what each subpath needs. Checked against what the BUILT
// files really import (following their shared chunks), so a new import cannot go undocumented. The
// samples themselves are run and type-checked against the packed package in packed.test.ts.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { import: { types: string; default: string } } | string>; dependencies: Record<string, string> };
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const builtins = new Set(builtinModules);

// `import … from "x"` / `export … from "x"` (possibly over several lines), `import "x"`, `import("x")`, and
// `runtimeImport("x")` (src/util/runtime-import.ts: an import bundlers leave out; `(0, chunk.runtimeImport)("x")`
// or a renamed `runtimeImport2("x")` once built).
const IMPORTS = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"\n]+)['"]|^\s*import\s*['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)|\bruntimeImport\d*\)?\(\s*['"]([^'"\n]+)['"]\s*\)/gm;

/** Bare package names imported by a built file and the chunks it imports, transitively. */
function packagesImported(entry: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(IMPORTS)) {
      const spec = (m[1] ?? m[2] ?? m[3] ?? m[4]) as string;
      // A declaration file names its sibling declarations by their .js names.
      if (spec.startsWith('.')) visit(join(dirname(file), file.endsWith('.d.ts') ? spec.replace(/\.js$/, '.d.ts') : spec));
      else if (!spec.startsWith('node:') && !builtins.has(spec)) found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  };
  visit(join(ROOT, entry));
  return found;
}

/** Whether an installed package ships its own type declarations. */
function shipsTypes(name: string): boolean {
  const meta = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as Record<string, unknown>;
  return Boolean(meta.types ?? meta.typings) || existsSync(join(ROOT, 'node_modules', name, 'index.d.ts')) || JSON.stringify(meta.exports ?? {}).includes('"types"');
}

describe('README: which optional peer each subpath needs', () => {
  const rows = readmeInstallTable();
  const base = readmeBaseInstall().map((i) => i.name);
  const typescriptRow = rows.find((r) => r.installs.some((i) => i.name === 'typescript'));

  it('starts with the install line of the package and zod, and has a TypeScript row', () => {
    expect(base).toEqual(['bedrock-action-groups', 'zod']);
    expect(typescriptRow?.installs).toEqual([{ name: 'typescript', dev: true }, { name: '@types/node', dev: true }]);
    expect(rows.some((r) => r.installs.some((i) => i.name === '@aws-sdk/client-bedrock-agent-runtime')), 'return of control').toBe(true);
  });

  it('names every subpath export exactly once', () => {
    expect(rows.flatMap((r) => r.subpaths).sort()).toEqual([...subpaths].sort());
  });

  it.each(subpaths)('%s: the row lists exactly the peers its built code imports, and the types its declarations need', (subpath) => {
    expect(existsSync(join(ROOT, 'dist', 'index.js')), 'run `npm run build` first').toBe(true);
    const row = rows.find((r) => r.subpaths.includes(subpath));
    const entry = pkg.exports[subpath] as { import: { types: string; default: string } };
    const runtime = [...packagesImported(entry.import.default)].filter((p) => !(p in pkg.dependencies) && !base.includes(p));
    expect(row?.installs.filter((i) => !i.dev).map((i) => i.name).sort()).toEqual(runtime.sort());
    const typesNeeded = [...packagesImported(entry.import.types)].filter((p) => !base.includes(p) && !(p in pkg.dependencies) && !shipsTypes(p)).map((p) => `@types/${p}`);
    expect(row?.installs.filter((i) => i.dev).map((i) => i.name).sort()).toEqual(typesNeeded.sort());
  });

  it('has TypeScript samples that import the quick start as ./quick-start.ts, as node runs them', () => {
    const samples = readmeSamples();
    expect(samples.length).toBeGreaterThanOrEqual(5);
    for (const sample of samples) expect(sample).not.toMatch(/from '\.\/[^']+\.js'/);
    expect(samples.slice(1).filter((s) => s.includes("from './quick-start.ts'")).length).toBeGreaterThanOrEqual(4);
  });
});
