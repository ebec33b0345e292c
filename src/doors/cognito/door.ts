import { randomUUID } from 'node:crypto';
import type { LambdaContext } from '../../core/context.js';
import type { Router } from '../../router.js';
import type { CognitoTriggerEvent } from './types.js';
import { isRecord, type DoorModule } from '../../core/door.js';

/** Runs the trigger registered for the event's `triggerSource`; an unregistered source is an Error. */
export async function handleCognito(event: CognitoTriggerEvent, lambdaContext: LambdaContext | undefined, router: Router): Promise<CognitoTriggerEvent> {
  const trigger = router.triggers.get(event.triggerSource);
  if (!trigger) {
    throw new Error(`No handler for Cognito trigger source "${event.triggerSource}"; registered: ${[...router.triggers.keys()].join(', ') || 'none'}.`);
  }
  const requestId = lambdaContext?.awsRequestId ?? randomUUID();
  return trigger.handle(event, {
    requestId,
    logger: router.logger.child({ requestId, triggerSource: event.triggerSource }),
    ...(lambdaContext ? { lambdaContext } : {}),
  });
}

/** The door for Cognito user pool triggers, as `router.handle` tries it. */
export const cognitoDoor: DoorModule = {
  describe: (router) => (router.triggers.size ? `a Cognito trigger event (triggerSource: ${[...router.triggers.keys()].join(', ')})` : undefined),
  matches: (event) => isRecord(event) && typeof event.triggerSource === 'string' && typeof event.userPoolId === 'string',
  handle: (event, lambdaContext, router) => handleCognito(event as unknown as CognitoTriggerEvent, lambdaContext, router),
};
