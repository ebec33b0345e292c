import type { Router } from '../core/router.js';
import { agentCoreDoor } from './agentcore.js';
import { apiGatewayDoor } from './api-gateway.js';
import { bedrockFunctionDoor } from './bedrock-function.js';
import { bedrockOpenApiDoor } from './bedrock-openapi.js';
import { cognitoDoor } from './cognito.js';
import type { DoorModule } from './door.js';
import { scheduleDoor } from './schedule.js';

/** Doors tried in order by `router.handle`; AgentCore first because its event is the bare tool input. */
export const DOORS: readonly DoorModule[] = [agentCoreDoor, bedrockOpenApiDoor, bedrockFunctionDoor, apiGatewayDoor, cognitoDoor, scheduleDoor];

/** The shapes `router.handle` accepts, for its "unrecognised event" error. */
export function describeDoors(router: Router): string {
  return DOORS.map((d) => d.describe(router)).filter(Boolean).join('; ');
}
