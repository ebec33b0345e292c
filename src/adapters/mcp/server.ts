import { McpServer } from '@modelcontextprotocol/server';
import type { Caller } from '../../core/context.js';
import { versionOf } from '../../doors/http/builtins.js';
import { buildMcpServer } from '../../doors/mcp/server.js';
import { httpDoorOf, type Router } from '../../router.js';

/** Options of {@link toMcpServer} and `serveMcpStdio`. */
export interface McpServerOptions {
  /** The server name sent to clients (default `bedrock-action-groups`). */
  name?: string;
  /** The server version sent to clients (default: the router's `version`, else `BUILD_TAG`, else this library's version). */
  version?: string;
  /**
   * Who every tool call runs as (roles, user id, email), for a server that has one user, such as a local
   * stdio server. Default: nobody, so role-restricted tools answer an `isError` result with the 403 message.
   */
  caller?: Caller;
}

const CALLER_FIELDS = ['role', 'userId', 'email'] as const;

function checkedCaller(caller: unknown): Caller {
  if (caller === undefined) return {};
  if (caller === null || typeof caller !== 'object' || Array.isArray(caller)) throw new TypeError('toMcpServer: "caller" must be an object like { role?, userId?, email? }');
  const out: Caller = {};
  for (const key of Object.keys(caller)) {
    if (!(CALLER_FIELDS as readonly string[]).includes(key)) throw new TypeError(`toMcpServer: "caller" has an unknown key "${key}"; use ${CALLER_FIELDS.join(', ')}`);
    const value = (caller as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`toMcpServer: "caller.${key}" must be a string, got ${value === null ? 'null' : typeof value}`);
    out[key as (typeof CALLER_FIELDS)[number]] = value;
  }
  return out;
}

/**
 * An MCP server (the SDK's `McpServer`) with one tool per agent-callable operation of every group of the
 * router. Connect it to any transport (`server.connect(transport)`); `serveMcpStdio` does it for stdio and
 * `createRouter({ mcp: true })` serves Streamable HTTP. Calls run through the router's validation, roles,
 * timeouts and error mapping as door `mcp`. Throws naming the operation when a tool name or schema
 * cannot be made.
 */
export function toMcpServer(router: Router, options: McpServerOptions = {}): McpServer {
  const http = httpDoorOf(router);
  const caller = checkedCaller(options.caller);
  const info = { name: options.name ?? 'bedrock-action-groups', version: options.version ?? versionOf(http) };
  return buildMcpServer({ McpServer }, { registry: http.registry, reply: http.agentReplies }, info, () => ({ door: 'mcp', caller: { ...caller } }));
}
