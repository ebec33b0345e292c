import { ActionError } from '../../core/errors.js';
import type { Operation } from '../../core/operation.js';
import type { Mounted } from '../../core/registry.js';

/** One operation at its full HTTP path (prefix + OpenAPI path). */
export interface Route {
  readonly op: Operation;
  /** The full path template, e.g. `/v1/orders/{orderId}`. */
  readonly template: string;
  readonly params: readonly ParamSlot[];
}

/** Where a path parameter sits: a whole segment, or named groups of a mixed segment (`{name}.json`). */
type ParamSlot = { index: number; name: string; pattern?: undefined } | { index: number; pattern: RegExp; names: readonly string[] };

/** A trie over path segments: static children first, then mixed-segment patterns, then one parameter child. */
interface Node {
  statics?: Map<string, Node>;
  patterns?: Map<string, { re: RegExp; node: Node }>;
  param?: Node;
  /** Routes ending here, by method. */
  routes?: Map<string, Route>;
}

/** What a path and method resolve to. */
export type RouteMatch =
  | { kind: 'route'; route: Route; values: Record<string, string> }
  | { kind: 'method'; allow: readonly string[] }
  | { kind: 'none' };

const WHOLE_PARAM = /^\{([^{}]+)\}$/;
const NO_MATCH: RouteMatch = { kind: 'none' };

/** Precompiled routes of the HTTP-callable operations (`doors.http` not false) of the mounted groups. */
export class RouteTable {
  readonly #root: Node = {};

  constructor(mounted: readonly Mounted[]) {
    for (const { group, prefix } of mounted) {
      for (const op of group.operations) if (op.doors.http) this.#add(op, prefix + op.path);
    }
  }

  #add(op: Operation, template: string): void {
    const segments = template.split('/').slice(1);
    const params: ParamSlot[] = [];
    let node = this.#root;
    segments.forEach((seg, i) => {
      const index = i + 1; // index in `path.split('/')`, whose first element is the empty string
      const whole = WHOLE_PARAM.exec(seg);
      if (whole) {
        params.push({ index, name: whole[1] as string });
        node = node.param ??= {};
      } else if (seg.includes('{')) {
        const names: string[] = [];
        const source = seg.replace(/\{([^{}]+)\}|([^{}]+)/g, (_, name: string | undefined, text: string | undefined) => {
          if (name) {
            names.push(name);
            return '([^/]+?)';
          }
          return (text as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        });
        const key = source;
        const patterns = (node.patterns ??= new Map());
        let entry = patterns.get(key);
        if (!entry) patterns.set(key, (entry = { re: new RegExp(`^${source}$`), node: {} }));
        params.push({ index, pattern: entry.re, names });
        node = entry.node;
      } else {
        const statics = (node.statics ??= new Map());
        let next = statics.get(seg);
        if (!next) statics.set(seg, (next = {}));
        node = next;
      }
    });
    const routes = (node.routes ??= new Map());
    const clash = routes.get(op.method);
    if (clash) {
      throw new Error(
        `HTTP routes: ${op.method} ${template} is served by "${clash.op.group.name}.${clash.op.name}" and "${op.group.name}.${op.name}"; mount one of the groups under a prefix (router.add(group, { prefix }))`,
      );
    }
    routes.set(op.method, { op, template, params });
  }

  /**
   * Resolves a raw (still encoded) path. Static segments win over parameters; a path known for other
   * methods gives their list (for 405 and `Allow`). Throws a 400 for a malformed or unsafe parameter.
   */
  match(method: string, path: string): RouteMatch {
    if (path.charCodeAt(0) !== 47 /* "/" */) return NO_MATCH;
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const s = segments[i] as string;
      if (s.includes('%')) segments[i] = decodeSegment(s);
    }
    const seen: { first?: Node } = {};
    const leaf = walk(this.#root, segments, 1, method, seen);
    if (leaf) {
      const route = leaf.routes?.get(method) as Route;
      return { kind: 'route', route, values: extract(route, segments) };
    }
    if (seen.first?.routes) return { kind: 'method', allow: [...seen.first.routes.keys()].sort() };
    return NO_MATCH;
  }
}

function walk(node: Node, segments: readonly string[], i: number, method: string, seen: { first?: Node }): Node | undefined {
  if (i === segments.length) {
    if (!node.routes) return undefined;
    seen.first ??= node;
    return node.routes.has(method) ? node : undefined;
  }
  const seg = segments[i] as string;
  const fixed = node.statics?.get(seg);
  if (fixed) {
    const found = walk(fixed, segments, i + 1, method, seen);
    if (found) return found;
  }
  if (seg === '') return undefined; // an empty segment never fills a parameter
  if (node.patterns) {
    for (const { re, node: next } of node.patterns.values()) {
      if (!re.test(seg)) continue;
      const found = walk(next, segments, i + 1, method, seen);
      if (found) return found;
    }
  }
  return node.param ? walk(node.param, segments, i + 1, method, seen) : undefined;
}

function extract(route: Route, segments: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const slot of route.params) {
    const seg = segments[slot.index] as string;
    if (slot.pattern === undefined) {
      values[slot.name] = checkParam(slot.name, seg);
      continue;
    }
    const m = slot.pattern.exec(seg) as RegExpExecArray;
    slot.names.forEach((name, k) => {
      values[name] = checkParam(name, m[k + 1] as string);
    });
  }
  return values;
}

// "/" arrives here only encoded (%2F): segments were split before decoding.
const UNSAFE = /[/\\\u0000-\u001f\u007f]/;

/** Refuses parameter values that could walk a path somewhere else (`%2F`, `..`) or carry control characters. */
function checkParam(name: string, value: string): string {
  if (value === '.' || value === '..' || UNSAFE.test(value)) {
    throw new ActionError(400, `Path parameter "${name}" may not contain "/" (also encoded as %2F), "\\" or control characters, nor be "." or "..".`, {
      code: 'BAD_REQUEST',
      details: { parameter: name },
    });
  }
  return value;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ActionError(400, 'The request path has a malformed percent-encoding (a "%" not followed by two hex digits).', { code: 'BAD_REQUEST' });
  }
}

/** Throws naming both operations when two of these groups answer the same HTTP method and path. */
export function checkRoutes(mounted: readonly Mounted[]): void {
  new RouteTable(mounted);
}
