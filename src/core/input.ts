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

/** Stores one caller-given field into a raw input the call owns (see {@link compileFieldSetter}). */
export type FieldSetter = (target: Record<string, unknown>, name: string, value: unknown) => void;

function setKeyed(target: Record<string, unknown>, name: string, value: unknown): void {
  if (!isReservedKey(name)) target[name] = value;
}

/**
 * A {@link FieldSetter} for an operation's field names: a store with a constant name for each of them,
 * a keyed store (reserved names skipped) for any other. Doors that read `{ name, value }` lists store
 * every entry through it: a keyed store whose names vary is megamorphic and cost more than the rest of
 * reading the list. Keyed stores only where code generation is not allowed.
 */
export function compileFieldSetter(names: readonly string[]): FieldSetter {
  // Names enter the source only as JSON string literals (reserved ones are refused as field names).
  const cases = names.filter((name) => !isReservedKey(name)).map((name) => `case ${JSON.stringify(name)}: t[${JSON.stringify(name)}] = v; return;`);
  const make = generatedFactory<FieldSetter, FieldSetter>('keyed', `return function setField(t, n, v) { switch (n) { ${cases.join(' ')} default: keyed(t, n, v); } };`);
  return make ? make(setKeyed) : setKeyed;
}
