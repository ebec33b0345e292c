import { ActionError } from '../core/errors.js';
import type { CallInfo, Caller } from '../core/context.js';
import { callerIfNormalised } from '../core/caller.js';
import { receivedMap } from '../core/session-map.js';
import { isRecord } from '../util/is-record.js';
import { runForAgent, type AgentDoors } from './agent.js';
import { echoed, responseState, type BedrockParameter } from './bedrock-common.js';
import { FUNCTION_CALL } from './bedrock-function.js';
import { OPENAPI_CALL } from './bedrock-openapi.js';

/** One entry of `returnControl.invocationInputs` in an InvokeAgent response. */
export type InvocationInput =
  | {
      apiInvocationInput: {
        actionGroup: string;
        apiPath: string;
        httpMethod: string;
        parameters?: BedrockParameter[];
        requestBody?: { content?: Record<string, { properties?: BedrockParameter[] }> };
        actionInvocationType?: string;
        agentId?: string;
      };
    }
  | {
      functionInvocationInput: {
        actionGroup: string;
        function: string;
        parameters?: BedrockParameter[];
        actionInvocationType?: string;
        agentId?: string;
      };
    };

/** The `returnControl` payload InvokeAgent streams back when an action group returns control. */
export interface ReturnControlPayload {
  invocationId?: string;
  invocationInputs: InvocationInput[];
}

/** One entry of `sessionState.returnControlInvocationResults` for the next InvokeAgent call. */
export type ReturnControlResult =
  | {
      apiResult: {
        actionGroup: string;
        apiPath: string;
        httpMethod: string;
        httpStatusCode: number;
        responseBody: { 'application/json': { body: string } };
        responseState?: 'FAILURE' | 'REPROMPT';
      };
    }
  | {
      functionResult: {
        actionGroup: string;
        function: string;
        responseBody: { TEXT: { body: string } };
        responseState?: 'FAILURE' | 'REPROMPT';
      };
    };

/** Options of `router.returnControl`. */
export interface ReturnControlOptions {
  /** The session attributes of the InvokeAgent session (the caller's role is read from them). */
  sessionAttributes?: Record<string, string>;
  /** The caller, when known otherwise; wins over session attributes. */
  caller?: Caller;
  /** The user's text, for handlers that read `ctx.inputText`. */
  inputText?: string;
  sessionId?: string;
}

/** Runs every invocation input in order and returns the results in Bedrock's shapes. */
export async function runReturnControl(agent: AgentDoors, payload: ReturnControlPayload, options: ReturnControlOptions): Promise<ReturnControlResult[]> {
  if (!isRecord(payload) || !Array.isArray(payload.invocationInputs)) {
    throw new ActionError(400, 'returnControl: expected the payload InvokeAgent returned, with an "invocationInputs" list.');
  }
  // Without an explicit caller, the core reads it from the session attributes when it is needed.
  const session = receivedMap(options.sessionAttributes);
  const call: CallInfo = {
    door: 'return-control',
    session,
    caller: options.caller ?? callerIfNormalised(options.sessionAttributes, session, agent.roleAttribute),
    roleAttribute: agent.roleAttribute,
    inputText: options.inputText,
    sessionId: options.sessionId,
  };
  // Every entry is checked before any runs: a malformed payload changes nothing.
  const inputs = payload.invocationInputs as unknown[];
  if (!inputs.every((entry) => isRecord(entry) && (isRecord(entry.apiInvocationInput) || isRecord(entry.functionInvocationInput)))) {
    throw new ActionError(400, 'returnControl: every invocation input needs an "apiInvocationInput" or a "functionInvocationInput".');
  }
  const results: ReturnControlResult[] = [];
  for (const entry of inputs) {
    if (isRecord(entry) && isRecord(entry.apiInvocationInput)) {
      const api = entry.apiInvocationInput as Extract<InvocationInput, { apiInvocationInput: unknown }>['apiInvocationInput'];
      const reply = await runForAgent({ ...call, doors: agent, source: api, reader: OPENAPI_CALL, op: undefined });
      const state = responseState(reply.status);
      results.push({
        apiResult: {
          actionGroup: echoed(api.actionGroup),
          apiPath: echoed(api.apiPath),
          httpMethod: echoed(api.httpMethod),
          httpStatusCode: reply.status,
          responseBody: { 'application/json': { body: reply.body } },
          ...(state ? { responseState: state } : {}),
        },
      });
    } else {
      const fn = (entry as { functionInvocationInput: unknown }).functionInvocationInput as Extract<InvocationInput, { functionInvocationInput: unknown }>['functionInvocationInput'];
      const reply = await runForAgent({ ...call, doors: agent, source: fn, reader: FUNCTION_CALL, op: undefined });
      const state = responseState(reply.status);
      results.push({
        functionResult: {
          actionGroup: echoed(fn.actionGroup),
          function: echoed(fn.function),
          responseBody: { TEXT: { body: reply.body } },
          ...(state ? { responseState: state } : {}),
        },
      });
    }
  }
  return results;
}
