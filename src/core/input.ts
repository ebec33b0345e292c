import { generatedFactory } from '../util/generated.js';

// How every door builds an operation's raw input from what the caller sent: one rule for the names
// that would reach an object's prototype machinery instead of naming a field.

/**
 * True for `__proto__`, `constructor` and `prototype`: never taken from a caller as a field name (as an
 * assignment target `__proto__` replaces the input's prototype, so inherited values would pass as fields),
 * and refused as an operation's field name.
 */
export function isReservedKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Copies the own fields of `source` into `into` (later copies win), skipping reserved names. */
export function copyInput(source: Record<string, unknown>, into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const key of Object.keys(source)) if (!isReservedKey(key)) into[key] = source[key];
  return into;
}

/**
 * Reads a list of `{ name, value }` entries (Bedrock's `parameters` and body `properties`) into a raw
 * input the call owns, later entries winning and reserved names skipped. Returns the index of the first
 * malformed entry (not an object, or without a string `name`), or -1 when every entry was read: what a
 * malformed list means is the door's to say.
 */
export type ListReader = (target: Record<string, unknown>, list: readonly unknown[]) => number;

interface ListEntry {
  name?: unknown;
  value?: unknown;
}

function readKeyed(target: Record<string, unknown>, list: readonly unknown[]): number {
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as ListEntry | null | undefined;
    if (!entry || typeof entry !== 'object' || typeof entry.name !== 'string') return i;
    if (!isReservedKey(entry.name)) target[entry.name] = entry.value;
  }
  return -1;
}

/**
 * A {@link ListReader} for an operation's field names: the loop with a store of constant name for each
 * of them, a keyed store for any other. A keyed store whose names vary is megamorphic and cost more than
 * the rest of reading the list; one generated loop per operation (rather than a shared loop calling a
 * generated setter per entry) also leaves one call per list, not one per entry, to a function that
 * differs from operation to operation. The keyed loop only where code generation is not allowed.
 */
export function compileListReader(names: readonly string[]): ListReader {
  // Names enter the source only as JSON string literals (reserved ones are refused as field names).
  const cases = names.filter((name) => !isReservedKey(name)).map((name) => `case ${JSON.stringify(name)}: t[${JSON.stringify(name)}] = e.value; break;`);
  const make = generatedFactory<(t: Record<string, unknown>, n: string, v: unknown) => void, ListReader>(
    'keyed',
    `return function readList(t, list) { for (let i = 0; i < list.length; i++) { const e = list[i]; if (!e || typeof e !== 'object') return i; const n = e.name; switch (n) { ${cases.join(' ')} default: if (typeof n !== 'string') return i; keyed(t, n, e.value); } } return -1; };`,
  );
  return make ? make(setKeyed) : readKeyed;
}

function setKeyed(target: Record<string, unknown>, name: string, value: unknown): void {
  if (!isReservedKey(name)) target[name] = value;
}
