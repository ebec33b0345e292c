/**
 * What a value is, in a few words for an error message: `null`, `undefined`, `a string of 12 characters`,
 * `the number 42`, `an array of 3 items`, `an object with keys: a, b` (at most 12 keys named). Never
 * prints the content of a string, which may hold anything.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  return `an object with keys: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? `, … (${keys.length} in all)` : ''}`;
}
