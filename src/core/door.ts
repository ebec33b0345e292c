import type { LambdaContext } from './context.js';
import type { MaybePromise } from '../util/maybe-async.js';

/**
 * One protocol plugged into a router: it recognises its events and answers them in its own shape. A door
 * is made for one router (over that router's {@link Registry}) and keeps its own state, such as the jobs
 * or triggers registered with it.
 */
export interface DoorPlugin {
  /** What the door accepts, for the "unrecognised event" error; `undefined` while it would accept nothing. */
  describe(): string | undefined;
  /** Whether this event (and Lambda context) came through this door. */
  matches(event: unknown, lambdaContext: LambdaContext | undefined): boolean;
  /** Answers an event {@link matches} accepted. */
  handle(event: unknown, lambdaContext: LambdaContext | undefined): MaybePromise<unknown>;
}
