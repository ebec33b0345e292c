import type { z } from 'zod';
import { isReservedKey } from './input.js';

/** The scalar kinds Bedrock parameters can carry. */
export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean';

/** What the router and the schema generators need to know about one input field. */
export interface FieldInfo {
  name: string;
  /** Where the field travels in OpenAPI form. */
  location: 'path' | 'query' | 'body';
  kind: ScalarKind | 'array';
  /** For arrays: the element kind (`object` only for body fields). */
  itemKind?: ScalarKind | 'object';
  required: boolean;
  description?: string;
  /** Allowed values of an enum or literal field (or of an array's elements). */
  values?: readonly (string | number | boolean)[];
  /** The field's zod schema, as declared. */
  schema: z.ZodType;
}

// Minimal view of zod 4's internals: enough to walk wrappers without depending on private classes.
interface ZodInternals {
  _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; entries?: Record<string, string | number>; values?: unknown[] } };
  description?: string;
  isInt?: boolean;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Strips optional/default/nullable/pipe wrappers; returns the core schema and what was stripped. */
export function unwrap(schema: z.ZodType): { core: z.ZodType; optional: boolean; description?: string } {
  let current = schema as unknown as ZodInternals;
  let optional = false;
  let description = current.description;
  for (;;) {
    const def = current._zod.def;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') optional = true;
    const next = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (!next) break;
    current = next as unknown as ZodInternals;
    description ??= current.description;
  }
  return { core: current as unknown as z.ZodType, optional, ...(description ? { description } : {}) };
}

type Kind = { kind: ScalarKind; values?: (string | number | boolean)[] } | { kind: 'object' } | { kind: 'array'; item: z.ZodType } | { kind: 'unsupported'; type: string };

function kindOf(schema: z.ZodType): Kind {
  const z4 = schema as unknown as ZodInternals;
  const def = z4._zod.def;
  switch (def.type) {
    case 'string':
      return { kind: 'string' };
    case 'number':
      return { kind: z4.isInt ? 'integer' : 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
    case 'literal': {
      const values = (def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? [])) as (string | number | boolean)[];
      const types = new Set(values.map((v) => typeof v));
      if (types.size !== 1) return { kind: 'unsupported', type: `${def.type} of mixed types` };
      const t = [...types][0];
      if (t === 'string' || t === 'boolean') return { kind: t, values };
      if (t === 'number') return { kind: values.every((v) => Number.isInteger(v)) ? 'integer' : 'number', values };
      return { kind: 'unsupported', type: `${def.type} of ${String(t)}` };
    }
    case 'object':
      return { kind: 'object' };
    case 'array':
      return { kind: 'array', item: def.element as z.ZodType };
    default:
      return { kind: 'unsupported', type: def.type };
  }
}

const EXPECTED = 'a string, number, integer, boolean, enum or literal (optional or with a default), or an array of those (arrays of objects only for body fields)';

/**
 * Describes each field of an operation's input, checking it has a shape every door can carry.
 * Throws an Error naming the field when it does not.
 */
export function describeFields(shape: Record<string, z.ZodType>, locate: (name: string) => FieldInfo['location'], where: string): FieldInfo[] {
  return Object.entries(shape).map(([name, schema]) => {
    if (isReservedKey(name)) throw new Error(`${where}: field "${name}" has a reserved name (__proto__, constructor and prototype are never read from a caller); rename it`);
    const { core, optional, description } = unwrap(schema);
    const location = locate(name);
    const k = kindOf(core);
    const base = { name, location, required: !optional, schema, ...(description ? { description } : {}) };
    if (k.kind === 'array') {
      if (location === 'path') throw new Error(`${where}: path parameter "${name}" must be a scalar, not an array`);
      const item = kindOf(unwrap(k.item).core);
      if (item.kind === 'object') {
        if (location !== 'body') throw new Error(`${where}: field "${name}" is an array of objects, which only a POST, PUT or PATCH body can carry`);
        const itemShape = (unwrap(k.item).core as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
        const reserved = Object.keys(itemShape).find(isReservedKey);
        if (reserved !== undefined) throw new Error(`${where}: field "${name}" has items with a field of reserved name "${reserved}" (__proto__, constructor and prototype are never read from a caller); rename it`);
        return { ...base, kind: 'array', itemKind: 'object' };
      }
      if (item.kind === 'array' || item.kind === 'unsupported') {
        throw new Error(`${where}: field "${name}" is an array of ${item.kind === 'array' ? 'arrays' : item.type}; expected ${EXPECTED}`);
      }
      return { ...base, kind: 'array', itemKind: item.kind, ...(item.values ? { values: item.values } : {}) };
    }
    if (k.kind === 'object') throw new Error(`${where}: field "${name}" is an object; expected ${EXPECTED}. Flatten it into separate fields`);
    if (k.kind === 'unsupported') throw new Error(`${where}: field "${name}" is a ${k.type}; expected ${EXPECTED}`);
    return { ...base, kind: k.kind, ...(k.values ? { values: k.values } : {}) };
  });
}
