import type { LambdaContext } from '../core/context.js';
import { ActionGroup } from '../core/operation.js';
import { createRouter, Router } from '../router.js';

/** A Lambda handler: `(event, context) => Promise<reply>`; plain enough to wrap with Middy. */
export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

/**
 * Turns a router (or a single group, served by a default router) into a Lambda handler. The handler
 * detects the door from the event and replies in that door's shape.
 */
export function toLambda(target: Router | ActionGroup): LambdaHandler {
  const router = target instanceof ActionGroup ? createRouter().add(target) : target;
  if (!(router instanceof Router)) throw new TypeError('toLambda: expected a router from createRouter() or a group from actionGroup()');
  return (event, context) => router.handle(event, context);
}
