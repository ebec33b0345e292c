import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runCli } from '../../src/cli/run.js';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Absolute path of a fixture module. */
export const fixture = (name: string) => join(ROOT, 'test/cli/fixtures', name);

/** Runs the CLI in-process in `cwd`, capturing what it prints. */
export async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd });
  return { code, stdout, stderr };
}

/** A fresh empty folder under the OS temp dir. */
export const tempDir = () => mkdtemp(join(tmpdir(), 'bag-cli-'));

/** File names in a folder, sorted; [] when it does not exist. */
export const listing = (dir: string) => readdir(dir).then((f) => f.sort(), () => [] as string[]);

/**
 * A folder inside the repository's .tmp/ (so bare `zod` imports resolve from node_modules) holding
 * `foreign.mjs`: the library and the app fixture bundled with their own copy of the library code.
 */
export async function foreignBundle(): Promise<{ dir: string; module: string; cleanup: () => Promise<void> }> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'cli-test-'));
  const module = join(dir, 'foreign.mjs');
  await build({ entryPoints: [fixture('foreign-entry.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node22', external: ['zod'], outfile: module, logLevel: 'silent' });
  return { dir, module, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
