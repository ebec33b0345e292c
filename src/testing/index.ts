import type { AgentInfo, LambdaContext } from '../core/context.js';
import { AGENTCORE_TOOL_KEY } from '../doors/agentcore.js';
import type { BedrockParameter } from '../doors/bedrock-common.js';
import type { BedrockFunctionEvent } from '../doors/bedrock-function.js';
import type { BedrockOpenApiEvent } from '../doors/bedrock-openapi.js';
import { bedrockString, bedrockType } from './bedrock-string.js';

export { bedrockString } from './bedrock-string.js';

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

/** A Lambda context like the one Lambda passes, with a fixed request id and a time budget. */
export function lambdaContext(overrides: Partial<LambdaContext> & { remainingMs?: number } = {}): LambdaContext {
  const { remainingMs = 30_000, ...rest } = overrides;
  const deadline = Date.now() + remainingMs;
  return {
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    functionName: 'test-function',
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    ...rest,
  };
}

/**
 * The Lambda context AgentCore Gateway passes to a Lambda target calling `toolName`
 * (`<target>___<tool>` in `clientContext.custom.bedrockAgentCoreToolName`).
 */
export function agentCoreContext(toolName: string, options: { target?: string; custom?: Record<string, unknown> } = {}): LambdaContext {
  const full = toolName.includes('___') ? toolName : `${options.target ?? 'target'}___${toolName}`;
  return lambdaContext({
    clientContext: {
      custom: {
        bedrockAgentCoreGatewayId: 'gw-test',
        bedrockAgentCoreTargetId: 'target-test',
        bedrockAgentCoreMessageVersion: '1.0',
        [AGENTCORE_TOOL_KEY]: full,
        ...options.custom,
      },
    },
  });
}
