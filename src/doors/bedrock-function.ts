import type { Operation } from '../core/operation.js';
import type { Registry } from '../core/registry.js';
import type { AgentCallReader, AgentReply } from './agent.js';
import { bedrockReply, parametersToInput, textOf, responseState, type BedrockEventBase, type BedrockParameter, type BedrockStyle } from './bedrock-common.js';

/** A Bedrock Agents action group event for a group defined with function details. */
export interface BedrockFunctionEvent extends BedrockEventBase {
  function: string;
  parameters?: BedrockParameter[];
}

/** The reply Bedrock expects for a function-details action group. */
export interface BedrockFunctionResponse {
  messageVersion: '1.0';
  response: {
    actionGroup: string;
    function: string;
    functionResponse: {
      responseState?: 'FAILURE' | 'REPROMPT';
      responseBody: { TEXT: { body: string } };
    };
  };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

/** A function-style call (an event, or a return-of-control `functionInvocationInput`): by name, `parameters`. */
type FunctionCall = Pick<BedrockFunctionEvent, 'actionGroup' | 'function' | 'parameters'>;
// Names are strings on every real event; String() is only for a malformed return-of-control entry.
const functionOperation = (registry: Registry, source: FunctionCall): Operation => registry.agentOperationByName(textOf(source.actionGroup), textOf(source.function));
const functionInput = (source: FunctionCall, op: Operation): unknown => parametersToInput(op, {}, source.parameters, 'parameters');

export const FUNCTION_CALL: AgentCallReader<FunctionCall> = {
  operation: functionOperation,
  input: functionInput,
  answer: (_source, reply) => reply,
};

/** Bedrock Agents function-details events: found by name, answered with a TEXT body (REPROMPT on 4xx, FAILURE on 5xx). */
export const FUNCTION_STYLE: BedrockStyle<BedrockFunctionEvent, BedrockFunctionResponse['response']> = {
  // Named, not spread from FUNCTION_CALL: a spread is not side-effect free to a bundler (see OPENAPI_STYLE).
  operation: functionOperation,
  input: functionInput,
  door: 'bedrock-function',
  description: 'a Bedrock Agents function-style event (messageVersion, actionGroup, function)',
  accepts: (event) => typeof event.function === 'string',
  answer: (event, reply) => bedrockReply(functionResponse(event, reply), reply),
};

function functionResponse(event: BedrockFunctionEvent, reply: AgentReply): BedrockFunctionResponse['response'] {
  const state = responseState(reply.status);
  const body = { TEXT: { body: reply.body } };
  return {
    actionGroup: event.actionGroup,
    function: event.function,
    // No spread on the success path: this object is built on every call.
    functionResponse: state ? { responseState: state, responseBody: body } : { responseBody: body },
  };
}
