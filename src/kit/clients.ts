/** A client option of a pack: a ready client, or a function returning one (called at every use). */
export type ClientOption<T> = T | (() => T);

/**
 * The getter a pack calls each time it needs a client: the given function, the given client, or else
 * `make(...)` built on first use and reused. Nothing is built when the pack is created, so creating a
 * pack never fails for lack of credentials, and a test's interception installed later still applies.
 */
export function clientGetter<T extends object, A extends unknown[] = []>(given: ClientOption<T> | undefined, make: (...args: A) => T): (...args: A) => T {
  if (typeof given === 'function') return given as () => T;
  if (given !== undefined) return () => given;
  let built: T | undefined;
  return (...args: A) => (built ??= make(...args));
}
