import type { DoorPlugin } from '../core/door.js';
import type { AgentDoors } from './agent.js';
import { agentCoreDoor } from './agentcore.js';
import { bedrockDoor } from './bedrock-common.js';
import { FUNCTION_STYLE } from './bedrock-function.js';
import { OPENAPI_STYLE } from './bedrock-openapi.js';

/**
 * The agent doors of one registry, in the order events are tried: AgentCore Gateway first (its event is
 * the bare tool input, which could look like anything; it is told apart by its Lambda client context),
 * then Bedrock Agents events (the OpenAPI style, then function details). The router's door list starts with these.
 */
export function agentDoorList(agent: AgentDoors): DoorPlugin[] {
  return [agentCoreDoor(agent), bedrockDoor(agent, OPENAPI_STYLE, FUNCTION_STYLE)];
}
