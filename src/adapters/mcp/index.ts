// MCP: the router's operations as MCP tools, over stdio (serveMcpStdio) or any transport (toMcpServer).
export { toMcpServer, type McpServerOptions } from './server.js';
export { serveMcpStdio, type McpStdioHandle } from './stdio.js';
