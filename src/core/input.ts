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
