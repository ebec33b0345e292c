/** A value now, or later. The hot path stays synchronous when the handler is (no promise per step). */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `f` now to a plain value, or when a promise settles. */
export function mapMaybe<T, R>(value: MaybePromise<T>, f: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
