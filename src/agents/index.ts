export type { Agent, AgentEvent, AgentFile, AgentResult, AskRequest } from './types.js';
