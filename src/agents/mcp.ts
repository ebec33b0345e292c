// The entry of `bedrock-action-groups/mcp`. It sits in agents/ because it also exports the Converse
// agent (DESIGN "Decisions": toConverseTools and converseAgent come from ./mcp as well as ./agents).
export { serveMcpStdio, toMcpServer, type McpServerOptions, type McpStdioHandle } from '../adapters/mcp/index.js';
export { toConverseTools, type ConverseTool } from '../schema/converse-tools.js';
export { converseAgent, type ConverseAgentOptions } from './converse-agent.js';
export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from './types.js';
