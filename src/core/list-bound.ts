// A bound on the work a list with many wrong items causes: zod spends microseconds on each problem it
// reports, so a megabyte of `1,1,1,…` for a list of booleans would hold the event loop for seconds.
// Before zod sees a list, its items' basic types are counted in one pass; past a few wrong ones the
// list is refused at once, naming the first problems and how many there are.
import type { z } from 'zod';

/** Most items of one list that may have the wrong basic type before the list is refused without zod. */
export const MAX_BAD_ITEMS = 100;

/** How many wrong items are named in the refusal. */
const NAMED = 10;

/** What a list's items must basically be. */
export interface ItemKind {
  /** Where an item is wrong (`''` for the item itself, else its field) and what was expected there; `undefined` when it is right. */
  problem(value: unknown): { at: string; expected: string; got: unknown } | undefined;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, unknown>;
  values?: unknown[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = ['nullable', 'optional', 'default', 'prefault', 'readonly', 'nonoptional'];

/** The basic kind of a list's element schema; `undefined` when the schema may take anything (a `.catch()`). */
export function itemKindOf(element: z.ZodType): ItemKind | undefined {
  let def = defOf(element);
  let nullable = false;
  let optional = false;
  for (;;) {
    if (def.type === 'catch') return undefined;
    if (def.type === 'nullable') nullable = true;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') optional = true;
    const next = def.type === 'pipe' ? def.in : WRAPPERS.includes(def.type) ? def.innerType : undefined;
    if (!next) break;
    def = defOf(next);
  }
  const base = basicKind(def);
  if (!base || (!nullable && !optional)) return base;
  return { problem: (v) => ((v === null && nullable) || (v === undefined && optional) ? undefined : base.problem(v)) };
}

function typed(expected: string, accepts: (v: unknown) => boolean): ItemKind {
  return { problem: (v) => (accepts(v) ? undefined : { at: '', expected, got: v }) };
}

function basicKind(def: Def): ItemKind | undefined {
  switch (def.type) {
    case 'number':
      return typed('a number', (v) => typeof v === 'number');
    case 'boolean':
      return typed('true or false', (v) => typeof v === 'boolean');
    case 'string':
      return typed('text', (v) => typeof v === 'string');
    case 'enum':
    case 'literal': {
      const values = new Set(def.type === 'enum' ? Object.values(def.entries ?? {}) : (def.values ?? []));
      return typed(`one of ${[...values].map((v) => JSON.stringify(v)).join(', ')}`, (v) => values.has(v));
    }
    case 'object':
      return objectKind(def.shape ?? {});
    default:
      return undefined;
  }
}

// An object item is wrong when it is not an object or one of its fields has the wrong basic type.
function objectKind(shape: Record<string, z.ZodType>): ItemKind {
  const fields = Object.entries(shape).flatMap(([name, schema]) => {
    const kind = itemKindOf(schema);
    const optional = ['optional', 'default', 'prefault'].includes(defOf(schema).type);
    return kind ? [{ name, kind, optional }] : [];
  });
  return {
    problem: (v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return { at: '', expected: 'an object', got: v };
      for (const f of fields) {
        const value = (v as Record<string, unknown>)[f.name];
        if (value === undefined && f.optional) continue;
        const wrong = f.kind.problem(value);
        if (wrong) return { ...wrong, at: wrong.at ? `${f.name}.${wrong.at}` : f.name };
      }
      return undefined;
    },
  };
}

/** One wrong item of a refused list. */
export interface BadItem {
  index: number;
  at: string;
  expected: string;
  got: unknown;
}

/** Why a list is refused before validation: too many of its items have the wrong basic type. */
export interface BadItems {
  /** The first wrong items. */
  first: readonly BadItem[];
  badCount: number;
  total: number;
}

/** The wrong items of `list` when more than {@link MAX_BAD_ITEMS} have the wrong basic type, else `undefined`. */
export function findBadItems(list: readonly unknown[], kind: ItemKind): BadItems | undefined {
  if (list.length <= MAX_BAD_ITEMS) return undefined;
  const first: BadItem[] = [];
  let bad = 0;
  for (let i = 0; i < list.length; i++) {
    const wrong = kind.problem(list[i]);
    if (wrong && ++bad <= NAMED) first.push({ index: i, ...wrong });
  }
  return bad > MAX_BAD_ITEMS ? { first, badCount: bad, total: list.length } : undefined;
}
