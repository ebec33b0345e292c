import type { LambdaContext } from '../core/context.js';
import type { Router } from '../router.js';
import { agentCoreDoor } from './agentcore.js';
import { apiGatewayDoor } from './api-gateway.js';
import { bedrockFunctionDoor } from './bedrock-function.js';
import { bedrockOpenApiDoor } from './bedrock-openapi.js';
import { cognitoDoor } from './cognito/door.js';
import type { DoorModule } from '../core/door.js';
import { scheduleDoor } from './schedule/door.js';

/** Doors tried in order by `router.handle`; AgentCore first because its event is the bare tool input. */
export const DOORS: readonly DoorModule[] = [agentCoreDoor, bedrockOpenApiDoor, bedrockFunctionDoor, apiGatewayDoor, cognitoDoor, scheduleDoor];

/**
 * The door an event came through, in the order of {@link DOORS}. Written out rather than looped so each
 * check is its own monomorphic call site: this runs on every Lambda invocation.
 */
export function findDoor(event: unknown, lambdaContext: LambdaContext | undefined, router: Router): DoorModule | undefined {
  if (agentCoreDoor.matches(event, lambdaContext, router)) return agentCoreDoor;
  if (bedrockOpenApiDoor.matches(event, lambdaContext, router)) return bedrockOpenApiDoor;
  if (bedrockFunctionDoor.matches(event, lambdaContext, router)) return bedrockFunctionDoor;
  if (apiGatewayDoor.matches(event, lambdaContext, router)) return apiGatewayDoor;
  if (cognitoDoor.matches(event, lambdaContext, router)) return cognitoDoor;
  if (scheduleDoor.matches(event, lambdaContext, router)) return scheduleDoor;
  return undefined;
}

/** The shapes `router.handle` accepts, for its "unrecognised event" error. */
export function describeDoors(router: Router): string {
  return DOORS.map((d) => d.describe(router)).filter(Boolean).join('; ');
}
