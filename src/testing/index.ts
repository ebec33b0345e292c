import type { LambdaContext } from '../core/context.js';
import { AGENTCORE_TOOL_KEY } from '../doors/agentcore.js';

export { bedrockString } from './bedrock-string.js';
export { bedrockFunctionEvent, bedrockOpenApiEvent, type BedrockEventOptions } from './bedrock-events.js';

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
