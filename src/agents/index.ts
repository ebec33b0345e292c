export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from './types.js';
export { converseAgent, type ConverseAgentOptions } from './converse-agent.js';
