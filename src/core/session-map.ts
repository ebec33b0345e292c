import { stringifyLenient } from './safe-json.js';

/** Bedrock's attribute maps are string → string: coerce values, drop null/undefined; a non-map is empty. */
export function stringMap(map: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map || typeof map !== 'object' || Array.isArray(map)) return out;
  for (const k in map) {
    const v = map[k];
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? stringifyLenient(v) : String(v);
  }
  return out;
}

/**
 * A received attribute map as an agent door passes it on: the map itself when it is string → string
 * already (Bedrock's are), else a normalised copy. A reply echoes it as it is when the handler leaves the
 * session alone, so an agent door checks it once, when it reads the event. The same check made at reply
 * time, in the core, measured about 3 % slower on an async call (14 processes of `bench/core-pair.mjs`).
 */
export function receivedMap(map: unknown): Record<string, string> {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return {};
  for (const k in map) if (typeof (map as Record<string, unknown>)[k] !== 'string') return stringMap(map as Record<string, unknown>);
  return map as Record<string, string>;
}

/**
 * Makes a map the handler may have changed string → string again, in place (it is the call's own copy).
 * Returns the same object, so the common case allocates nothing.
 */
export function normaliseMap(map: Record<string, unknown>): Record<string, string> {
  for (const k in map) {
    const v = map[k];
    if (typeof v === 'string') continue;
    if (v === undefined || v === null) delete map[k];
    else map[k] = typeof v === 'object' ? stringifyLenient(v) : String(v);
  }
  return map as Record<string, string>;
}
