/** Options of the in-process caches. */
export interface TtlOptions {
  /** How long a loaded value is kept, in ms. */
  ttlMs: number;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/**
 * One value kept in memory for `ttlMs` after it loads, so a warm Lambda asks upstream once, not per
 * request. Concurrent callers share one load; a failed load is not kept, so the next call tries again.
 */
export function ttlValue<T>(options: TtlOptions): { get(load: () => Promise<T>): Promise<T> } {
  const now = options.now ?? Date.now;
  let entry: { value: Promise<T>; expires: number } | undefined;
  return {
    get(load) {
      if (entry && now() < entry.expires) return entry.value;
      const current = { value: load(), expires: Number.POSITIVE_INFINITY };
      entry = current;
      current.value.then(
        () => {
          current.expires = now() + options.ttlMs;
        },
        () => {
          if (entry === current) entry = undefined;
        },
      );
      return current.value;
    },
  };
}

/** Values by key, each kept for `ttlMs`; at most `maxEntries` (oldest dropped first). */
export function ttlMap<T>(options: TtlOptions & { maxEntries?: number }): { get(key: string): T | undefined; set(key: string, value: T): void } {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 1000;
  const entries = new Map<string, { value: T; expires: number }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (now() < hit.expires) return hit.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expires: now() + options.ttlMs });
    },
  };
}
