import { generatedFactory } from '../util/generated.js';
import type { z } from 'zod';
import { unwrap } from './fields.js';
import { findBadItems, itemKindOf } from './list-bound.js';
import { badItemsError } from './validation.js';

/** Turns one raw value (often a Bedrock string) into what the zod type expects, or leaves it for zod to reject. */
export type Coercer = (value: unknown) => unknown;

/** The operation and field a coercer serves, named when a list is refused. */
interface Where {
  operation: string;
  field: string;
}

interface Def {
  type: string;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, unknown>;
  values?: unknown[];
}

/**
 * Longest text read as a number or a boolean. Anything longer is left for zod to reject: no real value
 * needs more, and a bound keeps the work on hostile input (a megabyte of digits) constant.
 */
const MAX_SCALAR_TEXT = 100;

// Decimal notation. Each part can match in one way only (the digits before an optional ".digits"), so a
// failing match backtracks linearly, never quadratically as `\d+\.?\d*` did.
const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** True for 1–15 ASCII digits: the common case, answered without a regular expression. */
function isShortDigits(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// Decimal notation only: Number() alone would also take "0x1A", "0b1", "Infinity" and "" (as 0).
const toNumber: Coercer = (v) => (typeof v === 'string' && (isShortDigits(v) || (v.length > 0 && v.length <= MAX_SCALAR_TEXT && NUMBER.test(v))) ? Number(v) : v);

const toBoolean: Coercer = (v) => {
  // Exact matches first: Bedrock sends lower case, and this allocates nothing.
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (typeof v !== 'string' || v.length > MAX_SCALAR_TEXT) return v;
  const s = v.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : v;
};

// Native JSON scalars arriving for a string field (AgentCore, query strings) become their text.
const toString: Coercer = (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);

const identity: Coercer = (v) => v;

/** Most items a list or map written as text (`a, b`, `[{k=v}]`) is split into; a longer text is left for zod to reject. */
const MAX_TEXT_ITEMS = 10_000;

/** Splits on commas at nesting depth 0 of `[]`/`{}`; `undefined` past {@link MAX_TEXT_ITEMS} parts. */
function splitTopLevel(s: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 0) {
      if (parts.length === MAX_TEXT_ITEMS - 1) return undefined;
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts;
}

/** Java's Map.toString form that Bedrock sends for objects: `{k=v, k2=v2}`. */
function parseJavaMap(s: string): Record<string, string> | undefined {
  const t = s.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const inner = t.slice(1, -1).trim();
  const out: Record<string, string> = {};
  if (inner === '') return out;
  const parts = splitTopLevel(inner);
  if (!parts) return undefined;
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A string holding a list: JSON first, then `[a, b]`, then `a, b`; `""` is the empty list. */
function parseList(s: string, objects: boolean): unknown {
  const t = s.trim();
  if (t === '' || t === '[]') return [];
  if (t.startsWith('[') || t.startsWith('{')) {
    const parsed = safeJson(t);
    // Not JSON: Bedrock's Java-style rendering follows.
    if (parsed !== undefined) return Array.isArray(parsed) ? parsed : [parsed];
  }
  const body = t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t;
  const items = splitTopLevel(body);
  if (!items) return s;
  if (!objects) return items;
  const maps = items.map(parseJavaMap);
  return maps.every((m) => m !== undefined) ? maps : s;
}

function objectCoercer(shape: Record<string, z.ZodType>, where: Where): Coercer {
  const fields = Object.entries(shape).map(([k, schema]) => [k, compileCoercer(schema, { operation: where.operation, field: `${where.field}.${k}` })] as const);
  return (v) => {
    let obj = v;
    if (typeof obj === 'string') obj = parseJavaMap(obj) ?? safeJson(obj) ?? obj;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
    const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
    for (const [k, c] of fields) if (out[k] !== undefined) out[k] = c(out[k]);
    return out;
  };
}

/** Deepest nesting of JSON text parsed: JSON.parse spends about half a microsecond per level, and a list of objects needs a few. */
const MAX_JSON_DEPTH = 64;

/** True when the brackets of JSON text (outside its strings) nest at most `max` deep; one pass. */
function nestsWithin(s: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return false;
    } else if (c === 93 || c === 125) depth--;
  }
  return true;
}

/** The JSON value of `s`, or `undefined` when it is not JSON (or nests deeper than any input field can). */
function safeJson(s: string): unknown {
  if (!nestsWithin(s, MAX_JSON_DEPTH)) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Builds the coercer for a zod type, once per field: numbers from numeric strings (anything else is left
 * for zod to reject, never NaN), booleans from "true"/"false", arrays from JSON, `[a, b]`, comma lists or
 * Bedrock's Java-style `[{k=v, k2=v2}]`, objects inside arrays field by field.
 */
export function compileCoercer(schema: z.ZodType, where: Where = { operation: 'this operation', field: '(input)' }): Coercer {
  const core = unwrap(schema).core as unknown as { _zod: { def: Def }; isInt?: boolean };
  const def = core._zod.def;
  // toNumber and toBoolean change strings only, so null passes them as it is (no wrapper to call through).
  switch (def.type) {
    case 'number':
      return toNumber;
    case 'boolean':
      return toBoolean;
    case 'string':
      return toString;
    case 'enum':
    case 'literal': {
      const values = def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []);
      const kind = typeof values[0];
      return kind === 'number' ? toNumber : kind === 'boolean' ? toBoolean : toString;
    }
    case 'array': {
      const item = compileCoercer(def.element as z.ZodType, where);
      const objects = (unwrap(def.element as z.ZodType).core as unknown as { _zod: { def: Def } })._zod.def.type === 'object';
      const kind = itemKindOf(def.element as z.ZodType);
      return (v) => {
        const list = typeof v === 'string' ? parseList(v, objects) : v;
        if (!Array.isArray(list)) return list;
        const items = list.map(item);
        const bad = kind && findBadItems(items, kind);
        if (bad) throw badItemsError(where.operation, where.field, bad);
        return items;
      };
    }
    case 'object':
      return objectCoercer(def.shape ?? {}, where);
    default:
      return identity;
  }
}

/**
 * Coerces every field of a raw input object with precompiled per-field coercers. Writes into `raw`,
 * which callers pass as an object they own (doors build a fresh one per call). A list with too many
 * items of the wrong type is a 400 for `operation` at once (see `list-bound.ts`).
 */
export function compileInputCoercer(shape: Record<string, z.ZodType>, operation = 'this operation'): (raw: Record<string, unknown>) => Record<string, unknown> {
  const names: string[] = [];
  const coercers: Coercer[] = [];
  const blankIsAbsent: boolean[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const { core, optional } = unwrap(schema);
    names.push(name);
    coercers.push(compileCoercer(schema, { operation, field: name }));
    // An empty value for an optional non-text field means "not given" (Bedrock and query strings send "").
    blankIsAbsent.push(optional && (core as unknown as { _zod: { def: Def } })._zod.def.type !== 'string');
  }
  return generatedCoercer(names, coercers, blankIsAbsent) ?? ((raw) => {
    for (let i = 0; i < names.length; i++) {
      const k = names[i] as string;
      const v = raw[k];
      if (v === undefined) continue;
      if (blankIsAbsent[i] && (v === '' || v === null)) delete raw[k];
      else raw[k] = (coercers[i] as Coercer)(v);
    }
    return raw;
  });
}

/**
 * What the unrolled coercer does with a present value `v` of field `key`: scalar coercers change only some
 * types, so their statements test the type first and store only a changed value (a call and a store per
 * field cost a few percent of a whole agent call); any other coercer is called as `c[i]`.
 */
function coerceStatement(coercer: Coercer, i: number, key: string): string {
  if (coercer === toNumber) return `if (typeof v === 'string') raw[${key}] = c[${i}](v);`;
  if (coercer === toBoolean) return `if (v === 'true') raw[${key}] = true; else if (v === 'false') raw[${key}] = false; else if (typeof v === 'string') raw[${key}] = c[${i}](v);`;
  if (coercer === toString) return `if (typeof v === 'number' || typeof v === 'boolean') raw[${key}] = String(v);`;
  if (coercer === identity) return '';
  return `raw[${key}] = c[${i}](v);`;
}

/**
 * The same loop unrolled into code, one statement per field: constant property names make every read and
 * write a monomorphic property access instead of a keyed one (the loop spends most of its time there).
 * Undefined where code generation is not allowed.
 */
function generatedCoercer(names: readonly string[], coercers: readonly Coercer[], blankIsAbsent: readonly boolean[]): ((raw: Record<string, unknown>) => Record<string, unknown>) | undefined {
  // Names enter the source only as JSON string literals, so any name is safe.
  const lines = names.map((name, i) => {
    const key = JSON.stringify(name);
    const blank = blankIsAbsent[i] ? `if (v === '' || v === null) delete raw[${key}]; else ` : '';
    return `v = raw[${key}]; if (v !== undefined) { ${blank}{ ${coerceStatement(coercers[i] as Coercer, i, key)} } }`;
  });
  const make = generatedFactory<readonly Coercer[], (raw: Record<string, unknown>) => Record<string, unknown>>('c', `return function coerceInput(raw) { let v; ${lines.join(' ')} return raw; };`);
  return make?.(coercers);
}
