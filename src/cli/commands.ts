import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ActionGroup } from '../core/operation.js';
import { toAgentCoreTools } from '../schema/agentcore-tools.js';
import { toFunctionSchema } from '../schema/function-schema.js';
import { lintBedrock, type LintFinding } from '../schema/lint.js';
import { toOpenApi } from '../schema/openapi.js';
import { CliError, loadGroups } from './load-groups.js';

/** The files `openapi` writes, one set per group. */
const SCHEMA_FILE = /\.(openapi|functions|agentcore)\.json$/;

/** Where the CLI writes and which folder relative paths start from. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

/** Options shared by the commands. */
export interface CommandOptions {
  module: string;
  exportName?: string;
  /** Warnings fail the command too (`--strict`). */
  strict?: boolean;
}

/** One file the `openapi` command writes. */
export interface Artifact {
  file: string;
  content: string;
}

/** Deterministic JSON: 2-space indent and a final newline, so CI can diff it. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The three schema files of a group. Names are safe as file names once the group passed the lint. */
export function artifactsOf(group: ActionGroup): Artifact[] {
  return [
    { file: `${group.name}.openapi.json`, content: json(toOpenApi(group)) },
    { file: `${group.name}.functions.json`, content: json(toFunctionSchema(group)) },
    { file: `${group.name}.agentcore.json`, content: json(toAgentCoreTools(group)) },
  ];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Prints each group's problems, errors first; returns whether any is fatal (an error, or a warning when strict). */
function report(io: CliIo, problems: ReadonlyMap<ActionGroup, LintFinding[]>, strict: boolean): boolean {
  let failed = false;
  for (const [group, list] of problems) {
    if (list.length === 0) {
      io.stdout.write(`${group.name}: ${plural(group.operations.length, 'operation')}, no problems\n`);
      continue;
    }
    const errors = list.filter((p) => p.severity === 'error');
    const warnings = list.filter((p) => p.severity === 'warning');
    if (errors.length > 0 || strict) failed = true;
    const counts = [errors.length > 0 ? plural(errors.length, 'error') : '', warnings.length > 0 ? plural(warnings.length, 'warning') : ''];
    io.stderr.write(`${group.name}: ${counts.filter(Boolean).join(', ')}\n`);
    for (const p of [...errors, ...warnings]) io.stderr.write(`  ${p.severity} ${p.rule}: ${p.message}\n`);
  }
  return failed;
}

/** Loads the module's groups and prints their lint report; `failed` when any group has an error (or, when strict, a warning). */
export async function lintModule(options: CommandOptions, io: CliIo): Promise<{ groups: ActionGroup[]; failed: boolean }> {
  const groups = await loadGroups(options.module, io.cwd, options.exportName);
  const failed = report(io, new Map(groups.map((g) => [g, lintBedrock(g, { warnings: true })])), options.strict === true);
  return { groups, failed };
}

/** `lint`: reports every error and warning of every group; 1 when there is an error (or, with `strict`, a warning). */
export async function lintCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const { failed } = await lintModule(options, io);
  return failed ? 1 : 0;
}

/**
 * `openapi`: lints, then writes each group's schemas into `out` — or, with `check`, compares them with
 * the files on disk and names the stale ones. Writes nothing when any group has a lint error (or, with
 * `strict`, a warning); warnings alone are printed and the schemas written.
 */
export async function openApiCommand(options: CommandOptions & { out: string; check: boolean }, io: CliIo): Promise<number> {
  const { groups, failed } = await lintModule(options, io);
  if (failed) {
    io.stderr.write(`Nothing was written: fix the ${options.strict ? 'problems (--strict: warnings too)' : 'errors'} above and run again.\n`);
    return 1;
  }
  const dir = resolve(io.cwd, options.out);
  let artifacts: Artifact[];
  try {
    artifacts = groups.flatMap(artifactsOf);
  } catch (error) {
    throw new CliError(`${(error as Error).message} Nothing was written.`);
  }
  const shown = (file: string) => relative(io.cwd, join(dir, file)) || file;
  if (options.check) {
    const stale: string[] = [];
    for (const a of artifacts) {
      const current = await readFile(join(dir, a.file), 'utf8').catch(() => undefined);
      if (current !== a.content) stale.push(`${shown(a.file)} (${current === undefined ? 'missing' : 'differs'})`);
    }
    // Schema files of groups the module no longer exports are stale too (unless only one export was asked for).
    if (!options.exportName) {
      const expected = new Set(artifacts.map((a) => a.file));
      const present = await readdir(dir).catch(() => [] as string[]);
      for (const file of present.sort()) {
        if (SCHEMA_FILE.test(file) && !expected.has(file)) stale.push(`${shown(file)} (no such group: delete it)`);
      }
    }
    if (stale.length > 0) {
      io.stderr.write(`Stale schemas:\n${stale.map((s) => `  ${s}\n`).join('')}Run "bedrock-action-groups openapi ${options.module} --out ${options.out}${options.exportName ? ` --export ${options.exportName}` : ''}" and commit the result.\n`);
      return 1;
    }
    io.stdout.write(`${artifacts.length} schema files are up to date.\n`);
    return 0;
  }
  try {
    await mkdir(dir, { recursive: true });
    for (const a of artifacts) {
      await writeFile(join(dir, a.file), a.content);
      io.stdout.write(`wrote ${shown(a.file)}\n`);
    }
  } catch (error) {
    throw new CliError(`Cannot write into ${options.out}: ${(error as Error).message}`);
  }
  return 0;
}
