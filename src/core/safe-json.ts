// JSON serialisation that cannot throw, for what a handler hands back or throws (a cycle, a BigInt, a
// toJSON or getter that throws): replies and log lines must still be written.

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/** `JSON.stringify(value, replacer)`, or `undefined` when the value cannot be serialised. */
export function tryStringify(value: unknown, replacer?: Replacer): string | undefined {
  try {
    return JSON.stringify(value, replacer);
  } catch {
    return undefined;
  }
}

/**
 * JSON text of anything, for logs and session values: tried as is first (no cost when it serialises),
 * else cycles become `"[Circular]"` and BigInts their decimal text; a value that still cannot be
 * serialised (a throwing getter or toJSON, nesting too deep) becomes a note saying so.
 */
export function stringifyLenient(value: unknown): string {
  return tryStringifyLenient(value) ?? '"[unserialisable value]"';
}

/** Like {@link stringifyLenient}, but `undefined` for a value that cannot be serialised even leniently. */
export function tryStringifyLenient(value: unknown): string | undefined {
  return tryStringify(value) ?? tryStringify(value, lenientReplacer());
}

// Tracks the objects on the path from the root to the value being written, so only a real cycle (not a
// value shared by two branches) is cut.
function lenientReplacer(): Replacer {
  const path: unknown[] = [];
  return function (this: unknown, _key: string, v: unknown): unknown {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || typeof v !== 'object') return v;
    // `this` is the object holding `v`: whatever the path holds past it is finished.
    path.length = path.lastIndexOf(this) + 1;
    if (path.includes(v)) return '[Circular]';
    path.push(v);
    return v;
  };
}
