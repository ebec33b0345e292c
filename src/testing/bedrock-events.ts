// The Bedrock Agents events of the test helpers, apart from the rest so that the playground page (a
// browser bundle) can build its events with them without loading the router.
import type { AgentInfo } from '../core/context.js';
import type { BedrockParameter } from '../doors/bedrock-common.js';
import type { BedrockFunctionEvent } from '../doors/bedrock-function.js';
import type { BedrockOpenApiEvent } from '../doors/bedrock-openapi.js';
import { bedrockString, bedrockType } from './bedrock-string.js';

/** What both Bedrock event builders accept besides the operation's address. */
export interface BedrockEventOptions {
  /** Parameters as native values; they are sent as Bedrock sends them (strings). */
  parameters?: Record<string, unknown>;
  sessionAttributes?: Record<string, string>;
  promptSessionAttributes?: Record<string, string>;
  inputText?: string;
  sessionId?: string;
  agent?: AgentInfo;
}

function toParameters(values: Record<string, unknown> | undefined): BedrockParameter[] {
  return Object.entries(values ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => ({ name, type: bedrockType(v), value: bedrockString(v) }));
}

function base(actionGroup: string, o: BedrockEventOptions) {
  return {
    messageVersion: '1.0',
    agent: o.agent ?? { name: 'test-agent', id: 'AGENT12345', alias: 'TSTALIASID', version: 'DRAFT' },
    inputText: o.inputText ?? '',
    sessionId: o.sessionId ?? '111122223333444',
    actionGroup,
    sessionAttributes: o.sessionAttributes ?? {},
    promptSessionAttributes: o.promptSessionAttributes ?? {},
  };
}

/**
 * A Bedrock Agents event for an OpenAPI-style action group, as the agent would send it: `parameters`
 * and `body` take native values and are stringified the Bedrock way.
 */
export function bedrockOpenApiEvent(
  options: BedrockEventOptions & { actionGroup: string; apiPath: string; httpMethod: string; body?: Record<string, unknown> },
): BedrockOpenApiEvent {
  const event: BedrockOpenApiEvent = {
    ...base(options.actionGroup, options),
    apiPath: options.apiPath,
    httpMethod: options.httpMethod.toUpperCase(),
    parameters: toParameters(options.parameters),
  };
  if (options.body) event.requestBody = { content: { 'application/json': { properties: toParameters(options.body) } } };
  return event;
}

/** A Bedrock Agents event for a function-details action group, values stringified the Bedrock way. */
export function bedrockFunctionEvent(options: BedrockEventOptions & { actionGroup: string; function: string }): BedrockFunctionEvent {
  return { ...base(options.actionGroup, options), function: options.function, parameters: toParameters(options.parameters) };
}
