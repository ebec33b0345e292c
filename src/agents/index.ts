export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from './types.js';
export { openAiAgent, type OpenAiAgentOptions } from './openai-agent.js';
export type { OpenAiResponsesClient } from './openai-tool-loop.js';
export { converseAgent, type ConverseAgentOptions } from './converse-agent.js';
