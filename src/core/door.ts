import type { LambdaContext } from './context.js';
import { describeValue } from './describe-value.js';
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

/**
 * The first door of the list that accepts the event. The first three doors (the agent doors, which a
 * Lambda invocation usually comes through, then API Gateway in a router's list) each get a call site of
 * their own: one call site shared by several doors is polymorphic, which measurably slows every
 * invocation (about 10 % in `bench/core.bench.mjs`).
 */
function doorFor(doors: readonly DoorPlugin[], event: unknown, lambdaContext: LambdaContext | undefined): DoorPlugin | undefined {
  const a = doors[0];
  const b = doors[1];
  const c = doors[2];
  if (a !== undefined && a.matches(event, lambdaContext)) return a;
  if (b !== undefined && b.matches(event, lambdaContext)) return b;
  if (c !== undefined && c.matches(event, lambdaContext)) return c;
  for (let i = 3; i < doors.length; i++) if ((doors[i] as DoorPlugin).matches(event, lambdaContext)) return doors[i];
  return undefined;
}

/**
 * Answers an event through the first door of `doors` that accepts it. Rejects with an Error naming the
 * accepted shapes when none does; never throws synchronously.
 */
export function handleEvent(doors: readonly DoorPlugin[], event: unknown, lambdaContext: LambdaContext | undefined): Promise<unknown> {
  try {
    const door = doorFor(doors, event, lambdaContext);
    if (door) return Promise.resolve(door.handle(event, lambdaContext));
    const accepted = doors.map((d) => d.describe()).filter(Boolean).join('; ');
    throw new Error(`Unrecognised event (${describeValue(event)}). This router accepts: ${accepted}.`);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
