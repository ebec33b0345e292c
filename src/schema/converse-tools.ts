import type { ActionGroup } from '../core/operation.js';
import { toolSchemasOf } from './agentcore-tools.js';
import { standardJsonSchema, type JsonSchema } from './json-schema.js';
import { groupsOf, namedTools } from './tool-names.js';

/** One entry of Bedrock Runtime Converse `toolConfig.tools`. */
export interface ConverseTool {
  toolSpec: {
    /** The operation name (`<Group>_<operation>` when several groups use it). */
    name: string;
    description: string;
    /** The operation's input as standard JSON Schema. */
    inputSchema: { json: JsonSchema };
  };
}

/**
 * The tools of a router (every group) or of one group for Bedrock Runtime Converse `toolConfig.tools`:
 * one per agent-callable operation, named as {@link namedTools} names them (so a `toolUse` maps back to
 * one operation), with the same input schema generator as the AgentCore and MCP tools.
 */
export function toConverseTools(source: ActionGroup | { readonly groups: readonly ActionGroup[] }): ConverseTool[] {
  return namedTools(groupsOf(source)).map(({ name, op }) => ({
    toolSpec: { name, description: op.description, inputSchema: { json: toolSchemasOf(op, standardJsonSchema).inputSchema } },
  }));
}
