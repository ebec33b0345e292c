/**
 * Renders a native value the way Bedrock Agents sends parameter values: every value a string, lists and
 * objects in Java's `toString` form (`[a, b]`, `[{k=v, k2=v2}]`).
 */
export function bedrockString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(bedrockString).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${bedrockString(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** The `type` Bedrock puts beside a parameter value. */
export function bedrockType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}
