import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

// The same rules `npm run check:layers` applies, run on the real tree and on a tree built to break them.
const root = fileURLToPath(new URL('../..', import.meta.url));
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> };

async function violations(baseDir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const result: IReporterOutput = await cruise(['src'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } } as never);
  const output = result.output as Exclude<IReporterOutput['output'], string>;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })).sort((a, b) => `${a.rule}${a.from}`.localeCompare(`${b.rule}${b.from}`));
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('layering rules (dependency-cruiser)', () => {
  it('pass on the real source tree', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  it('fail on an upward import, a cycle, a pack importing another pack and text importing the core', async () => {
    const dir = tree({
      'src/util/is-record.ts': 'export const isRecord = (v: unknown) => typeof v === "object";\n',
      // The core reaching up into a door, which imports the core back: a forbidden edge and a cycle (reported once).
      'src/core/registry.ts': 'import type { Door } from "../doors/door.js";\nexport type Registry = { door?: Door };\n',
      'src/doors/door.ts': 'import type { Registry } from "../core/registry.js";\nexport type Door = { registry: Registry };\n',
      // Doors below schema is fine; schema reaching a door is not.
      'src/schema/openapi.ts': 'import { isRecord } from "../util/is-record.js";\nimport type { Door } from "../doors/door.js";\nexport const x = (d: Door) => isRecord(d);\n',
      'src/packs/hubspot/index.ts': 'import { timezone } from "../../kit/timezone.js";\nexport const hubspot = timezone;\n',
      'src/packs/metrics/index.ts': 'import { hubspot } from "../hubspot/index.js";\nexport const metrics = hubspot;\n',
      'src/kit/timezone.ts': 'export const timezone = "UTC";\n',
      'src/text/dates.ts': 'import type { Registry } from "../core/registry.js";\nexport type R = Registry;\n',
    });
    made.push(dir);
    expect(await violations(dir)).toEqual([
      { rule: 'core-imports-only-below', from: 'src/core/registry.ts', to: 'src/doors/door.ts' },
      { rule: 'no-circular', from: 'src/core/registry.ts', to: 'src/doors/door.ts' },
      { rule: 'no-pack-imports-another-pack', from: 'src/packs/metrics/index.ts', to: 'src/packs/hubspot/index.ts' },
      { rule: 'schema-imports-only-below', from: 'src/schema/openapi.ts', to: 'src/doors/door.ts' },
      { rule: 'text-is-a-leaf', from: 'src/text/dates.ts', to: 'src/core/registry.ts' },
    ]);
  }, 60_000);
});
