import { spawnSync } from 'node:child_process';
import { extname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Node's header on errors it can place in the source: "<file>:<line>\n<source lines>\n<spaces>^".
const HEADER = /^(\S[^\n]*?):(\d+)\n(?:[^\n]*\n){1,20}?( *)\^/;
// A stack frame's location: "at fn (file:///a/b.ts:2:37)" or "at file:///a/b.ts:2:37".
const FRAME = /(?:\(|at )((?:file:\/\/|\/)[^\s()]+?):(\d+):(\d+)\)?$/gm;

function toPath(location: string): string {
  return location.startsWith('file://') ? fileURLToPath(location) : location;
}

/**
 * Where a module that failed to load went wrong, as `file:line:column` (relative to `cwd` when inside
 * it): Node's source header when it printed one, else the first stack frame in `file`, else the first
 * one outside node_modules. A JavaScript syntax error carries no position in its stack, so the file is
 * then checked with `node --check`, which prints it. Undefined when nothing says where.
 */
export function errorPosition(error: unknown, file: string, cwd: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const show = (path: string, line: string, column: string) => {
    const rel = relative(cwd, path);
    return `${rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path}:${line}:${column}`;
  };
  const header = HEADER.exec(stack);
  if (header) return show(toPath(header[1] as string), header[2] as string, String((header[3] as string).length + 1));
  const frames = [...stack.matchAll(FRAME)].map((m) => ({ path: toPath(m[1] as string), line: m[2] as string, column: m[3] as string }));
  const frame = frames.find((f) => f.path === file) ?? frames.find((f) => !f.path.includes('/node_modules/'));
  if (frame) return show(frame.path, frame.line, frame.column);
  if (error instanceof SyntaxError && ['.js', '.mjs', '.cjs'].includes(extname(file))) {
    const checked = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
    const found = HEADER.exec(checked.stderr ?? '');
    if (found) return show(toPath(found[1] as string), found[2] as string, String((found[3] as string).length + 1));
  }
  return undefined;
}
