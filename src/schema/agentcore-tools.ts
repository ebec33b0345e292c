import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { whereOf } from './names.js';
import { jsonSchemaOf, toolSubset, type JsonSchema } from './json-schema.js';

/**
 * One tool of an AgentCore Gateway Lambda target (`ToolDefinition`). The schemas use only the keywords a
 * gateway tool schema allows: `type`, `description`, `properties`, `required` and `items`.
 */
export interface AgentCoreTool {
  /** The operation name; the gateway shows it to the model as `<target>___<name>`. */
  name: string;
  description: string;
  /** `type: 'object'` with one property per input field. */
  inputSchema: JsonSchema;
  /** The `output` schema, when the operation declares one whose root is an object. */
  outputSchema?: JsonSchema;
}

/** The input object schema and the output schema (when it is an object) of a tool, each fragment written by `write`. */
export interface ToolSchemas {
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

/**
 * The schemas of an operation as a tool: `type: 'object'` with one property per input field, and the
 * `output` schema when its root is an object. `write` turns each zod-made fragment into the dialect of
 * the consumer (the AgentCore keyword subset, or standard JSON Schema for MCP and Converse).
 */
export function toolSchemasOf(op: Operation, write: (schema: JsonSchema) => JsonSchema): ToolSchemas {
  const where = whereOf(op, op.group);
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const field of op.fields) {
    properties[field.name] = write(jsonSchemaOf(field.schema, `${where}, field "${field.name}"`));
    if (field.required) required.push(field.name);
  }
  const output = op.output ? write(jsonSchemaOf(op.output, `${where}, output`)) : undefined;
  return {
    inputSchema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    // A tool output schema describes an object; other outputs are returned undescribed.
    ...(output?.type === 'object' ? { outputSchema: output } : {}),
  };
}

function toolOf(op: Operation): AgentCoreTool {
  return { name: op.name, description: op.description, ...toolSchemasOf(op, toolSubset) };
}

/**
 * The tool definitions of a group for an AgentCore Gateway Lambda target (the target's inline
 * `toolSchema`): one tool per operation, inputs as native JSON types (the gateway passes the arguments
 * through untouched), constraints other than the allowed keywords written into descriptions. Operations
 * with `doors: { agent: false }` are left out.
 */
export function toAgentCoreTools(group: ActionGroup): AgentCoreTool[] {
  return operationsFor(group, 'agent').map(toolOf);
}
