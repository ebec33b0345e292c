import type { LambdaContext } from '../core/context.js';
import type { MaybePromise } from '../core/maybe-async.js';
import type { AgentCallReader, AgentReply, Router } from '../core/router.js';
import { bedrockCall, parametersToInput, responseState, type BedrockEventBase, type BedrockParameter } from './bedrock-common.js';
import { isRecord, type DoorModule } from './door.js';

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
export const FUNCTION_CALL: AgentCallReader<Pick<BedrockFunctionEvent, 'actionGroup' | 'function' | 'parameters'>> = {
  operation: (router, source) => router.resolveByName(String(source.actionGroup), String(source.function)),
  input: (source) => parametersToInput({}, source.parameters, 'parameters'),
};

/** Answers a function-style event: find the operation by name, run it, reply (REPROMPT on 4xx, FAILURE on 5xx). */
export function handleBedrockFunction(event: BedrockFunctionEvent, lambdaContext: LambdaContext | undefined, router: Router): MaybePromise<BedrockFunctionResponse> {
  const call = bedrockCall(event, 'bedrock-function', router.roleAttribute, lambdaContext);
  return router.runForAgent(call, event, FUNCTION_CALL, (r) => functionResponse(event, r));
}

function functionResponse(event: BedrockFunctionEvent, reply: AgentReply): BedrockFunctionResponse {
  const state = responseState(reply.status);
  const body = { TEXT: { body: reply.body } };
  return {
    messageVersion: '1.0',
    response: {
      actionGroup: event.actionGroup,
      function: event.function,
      // No spread on the success path: this object is built on every call.
      functionResponse: state ? { responseState: state, responseBody: body } : { responseBody: body },
    },
    sessionAttributes: reply.session,
    promptSessionAttributes: reply.promptSession,
  };
}

/** The door for Bedrock Agents function-details events, as `router.handle` tries it. */
export const bedrockFunctionDoor: DoorModule = {
  describe: () => 'a Bedrock Agents function-style event (messageVersion, actionGroup, function)',
  matches: (event) => isRecord(event) && typeof event.messageVersion === 'string' && typeof event.actionGroup === 'string' && typeof event.function === 'string',
  handle: (event, lambdaContext, router) => handleBedrockFunction(event as unknown as BedrockFunctionEvent, lambdaContext, router),
};
