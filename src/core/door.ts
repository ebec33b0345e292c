import type { LambdaContext } from './context.js';
import type { MaybePromise } from '../util/maybe-async.js';
import type { Router } from '../router.js';

/** One protocol: recognises its events and answers them in its own shape. */
export interface DoorModule {
  /** What the door accepts, for the "unrecognised event" error. */
  describe(router: Router): string | undefined;
  matches(event: unknown, lambdaContext: LambdaContext | undefined, router: Router): boolean;
  handle(event: unknown, lambdaContext: LambdaContext | undefined, router: Router): MaybePromise<unknown>;
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
