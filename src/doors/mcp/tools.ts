import type { HttpMethod, Operation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { toolSchemasOf } from '../../schema/agentcore-tools.js';
import { standardJsonSchema, type JsonSchema } from '../../schema/json-schema.js';
import { namedTools } from '../../schema/tool-names.js';
import { Derived } from '../derived.js';

/** The MCP `ToolAnnotations` this library sets, from the operation's HTTP method. */
export interface McpToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** How one operation is listed by `tools/list`. */
export interface McpToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: McpToolAnnotations;
}

/** One MCP tool: what `tools/list` shows and the operation `tools/call` runs. */
export interface McpTool {
  readonly definition: McpToolDefinition;
  readonly op: Operation;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** GET reads, DELETE destroys, GET/PUT/DELETE can be repeated; every operation may reach the outside world. */
export function annotationsOf(method: HttpMethod): McpToolAnnotations {
  return { readOnlyHint: method === 'GET', destructiveHint: method === 'DELETE', idempotentHint: IDEMPOTENT.has(method), openWorldHint: true };
}

function toolOf(name: string, op: Operation): McpTool {
  const definition: McpToolDefinition = {
    name,
    ...(op.summary ? { title: op.summary } : {}),
    description: op.description,
    ...toolSchemasOf(op, standardJsonSchema),
    annotations: annotationsOf(op.method),
  };
  return { definition, op };
}

const cache = new WeakMap<Registry, Derived<readonly McpTool[]>>();

/**
 * The MCP tools of a registry: one per agent-callable operation of every group (named by `namedTools`),
 * computed once and again only after the groups change. Throws naming the operation when a name or a
 * schema cannot be made.
 */
export function mcpTools(registry: Registry): readonly McpTool[] {
  let derived = cache.get(registry);
  if (!derived) cache.set(registry, (derived = new Derived()));
  return derived.get(registry.mounted, () => namedTools(registry.groups).map(({ name, op }) => toolOf(name, op)));
}
