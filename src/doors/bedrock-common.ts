import type { AgentInfo, CallInfo, Door, LambdaContext } from '../core/context.js';
import { ActionError } from '../core/errors.js';
import { isReservedKey } from '../core/input.js';

/** One `{ name, type, value }` entry of a Bedrock `parameters` or `properties` list. */
export interface BedrockParameter {
  name: string;
  type?: string;
  value: string;
}

/** The fields both Bedrock Agents event styles share. */
export interface BedrockEventBase {
  messageVersion: string;
  agent?: AgentInfo;
  inputText?: string;
  sessionId?: string;
  actionGroup: string;
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
}

/** Merges `{ name, value }` lists into one raw input object (reserved names skipped); a malformed list is a 400. */
export function parametersToInput(target: Record<string, unknown>, list: unknown, where: string): Record<string, unknown> {
  if (list === undefined || list === null) return target;
  if (!Array.isArray(list)) throw new ActionError(400, `Malformed event: ${where} must be a list of { name, value } objects.`);
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (!p || typeof p !== 'object' || typeof (p as BedrockParameter).name !== 'string') {
      throw new ActionError(400, `Malformed event: every entry of ${where} needs a "name".`);
    }
    const name = (p as BedrockParameter).name;
    // The store stays here (not in a shared helper) so its inline cache sees only this call site's keys.
    if (!isReservedKey(name)) target[name] = (p as BedrockParameter).value;
  }
  return target;
}

/** The call information a Bedrock Agents event carries (one object literal: a single shape on the hot path). */
export function bedrockCall(event: BedrockEventBase, door: Door, roleAttribute: string, lambdaContext?: LambdaContext): CallInfo {
  return {
    door,
    session: event.sessionAttributes ?? {},
    promptSession: event.promptSessionAttributes ?? {},
    roleAttribute,
    lambdaContext,
    requestId: lambdaContext?.awsRequestId || undefined,
    sessionId: typeof event.sessionId === 'string' ? event.sessionId : undefined,
    inputText: typeof event.inputText === 'string' ? event.inputText : undefined,
    agent: event.agent && typeof event.agent === 'object' ? event.agent : undefined,
  };
}

/** `responseState` for function-style replies and return of control: REPROMPT for 4xx, FAILURE for 5xx. */
export function responseState(status: number): 'REPROMPT' | 'FAILURE' | undefined {
  if (status < 400) return undefined;
  return status >= 500 ? 'FAILURE' : 'REPROMPT';
}

/** A field of the event echoed in the reply: Bedrock's reply fields are strings, so anything else is `''`. */
export function echoed(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
