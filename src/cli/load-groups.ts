import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ActionGroup } from '../core/operation.js';
import { errorPosition } from './error-position.js';

/** A failure the CLI reports in words (exit code 1), without a stack. */
export class CliError extends Error {
  override name = 'CliError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/**
 * An action group, from this copy of the library or another one (a module built against its own
 * bundled copy still exports groups of the same shape).
 */
export function isActionGroup(value: unknown): value is ActionGroup {
  return value instanceof ActionGroup || (isObject(value) && typeof value.name === 'string' && Array.isArray(value.operations) && typeof value.get === 'function');
}

/** A router: anything exposing `groups`, a list of action groups. */
function groupsOfRouter(value: unknown): readonly ActionGroup[] | undefined {
  if (!isObject(value) || isActionGroup(value) || !Array.isArray(value.groups)) return undefined;
  return value.groups.every(isActionGroup) ? value.groups : undefined;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

async function importModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  const file = resolve(cwd, specifier);
  if (!existsSync(file)) throw new CliError(`Module not found: ${file}`);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = TS_EXTENSIONS.has(extname(file)) && !(process.features as { typescript?: unknown }).typescript
      ? ` Node ${process.version} cannot load TypeScript; use Node >= 22.18 or point at the built JavaScript.`
      : '';
    const where = errorPosition(error, file, cwd);
    throw new CliError(`Cannot import ${specifier}: ${(error as Error).message}${where ? ` (at ${where})` : ''}${hint}`);
  }
}

/**
 * Imports a module and returns the action groups it exports, directly or through routers (`router.groups`),
 * each once, in the order of the export names. With `exportName`, only that export is used. Throws a {@link CliError} when
 * the module cannot be loaded, holds no group, or two different groups share a name.
 */
export async function loadGroups(specifier: string, cwd: string, exportName?: string): Promise<ActionGroup[]> {
  const mod = await importModule(specifier, cwd);
  // Sorted as a native ESM namespace is, so the order is the same however the module was loaded.
  const names = Object.keys(mod).sort();
  if (exportName !== undefined && !(exportName in mod)) {
    throw new CliError(`${specifier} has no export named "${exportName}"; its exports are: ${names.join(', ') || 'none'}.`);
  }
  const found = new Map<string, ActionGroup>();
  for (const name of exportName === undefined ? names : [exportName]) {
    const value = mod[name];
    const groups = isActionGroup(value) ? [value] : groupsOfRouter(value);
    if (!groups) {
      if (exportName !== undefined) throw new CliError(`Export "${exportName}" of ${specifier} is neither an action group nor a router.`);
      continue;
    }
    for (const group of groups) {
      const seen = found.get(group.name);
      if (seen && seen !== group) throw new CliError(`${specifier} exports two different action groups named "${group.name}"; rename one.`);
      found.set(group.name, group);
    }
  }
  if (found.size === 0) {
    throw new CliError(`${specifier} exports no action group or router (exports: ${names.join(', ') || 'none'}). Export the result of actionGroup(...) or createRouter(...).`);
  }
  return [...found.values()];
}
