export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from './types.js';
// Bedrock Agents (InvokeAgent); @aws-sdk/client-bedrock-agent-runtime loads on the first question.
export { bedrockAgent, MAX_AGENT_FILE_BYTES, MAX_AGENT_FILES, type AgentPair, type BedrockAgentOptions } from './bedrock-agent.js';
export { openAiAgent, type OpenAiAgentOptions } from './openai-agent.js';
export type { OpenAiResponsesClient } from './openai-tool-loop.js';
export { converseAgent, type ConverseAgentOptions } from './converse-agent.js';
