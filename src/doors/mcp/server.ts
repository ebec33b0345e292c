import type { CallToolResult, McpServer, ServerContext, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { agentReply, type AgentReplySettings } from '../../core/agent-reply.js';
import type { CallInfo } from '../../core/context.js';
import type { ErrorBody } from '../../core/errors.js';
import { copyInput } from '../../core/input.js';
import type { Registry } from '../../core/registry.js';
import type { JsonSchema } from '../../schema/json-schema.js';
import { isRecord } from '../../util/is-record.js';
import { mcpTools, type McpTool } from './tools.js';

/** The SDK class this module builds on, handed in so that only the caller decides when the SDK loads. */
export interface McpSdk {
  McpServer: typeof McpServer;
}

/** What serving MCP for one router needs: its registry and the agent reply settings (`maxResponseBytes`). */
export interface McpHost {
  readonly registry: Registry;
  readonly reply: AgentReplySettings;
}

/** The server's name and version, sent to clients. */
export interface McpServerInfo {
  name: string;
  version: string;
}

/**
 * A Standard Schema that accepts anything and advertises `json`: the SDK lists our JSON Schema as is and
 * hands the arguments through, so validation, coercion and its messages are the operation's own.
 */
function advertised(json: JsonSchema): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'bedrock-action-groups',
      validate: (value) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

function text(value: string): CallToolResult['content'] {
  return [{ type: 'text', text: value }];
}

/**
 * The `tools/call` result of a call: the output as JSON text, plus `structuredContent` when it is an
 * object; a failure (refused input or role, a handler's `ActionError`, a generic 5xx) is `isError` with
 * the message the model can act on. Sized like every agent reply (`maxResponseBytes`).
 */
async function callTool(host: McpHost, tool: McpTool, args: unknown, call: CallInfo): Promise<CallToolResult> {
  const op = tool.op;
  const input = isRecord(args) ? copyInput(args) : {};
  const outcome = await host.registry.run(op, input, call);
  const reply = agentReply(op, outcome, call, host.reply);
  if (reply.status >= 400) return { isError: true, content: text((reply.value as { error: ErrorBody }).error.message) };
  const value = reply.value;
  return isRecord(value) ? { content: text(reply.body), structuredContent: value } : { content: text(reply.body) };
}

/**
 * An MCP server (the SDK's `McpServer`) with one tool per agent-callable operation of the registry's
 * groups. `callOf` says who calls and through which door, per request (the HTTP identity, or the fixed
 * stdio caller).
 */
export function buildMcpServer(sdk: McpSdk, host: McpHost, info: McpServerInfo, callOf: (ctx: ServerContext) => CallInfo): McpServer {
  const server = new sdk.McpServer(info, { capabilities: { tools: {} } });
  for (const tool of mcpTools(host.registry)) {
    const { name, title, description, inputSchema, outputSchema, annotations } = tool.definition;
    server.registerTool(
      name,
      {
        ...(title ? { title } : {}),
        description,
        inputSchema: advertised(inputSchema),
        ...(outputSchema ? { outputSchema: advertised(outputSchema) } : {}),
        annotations,
      },
      (args: unknown, ctx: ServerContext) => callTool(host, tool, args, callOf(ctx)),
    );
  }
  return server;
}
