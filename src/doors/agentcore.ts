import type { Caller, LambdaContext } from '../core/context.js';
import type { DoorPlugin } from '../core/door.js';
import { copyInput } from '../core/input.js';
import { isRecord } from '../util/is-record.js';
import type { MaybePromise } from '../util/maybe-async.js';
import { runForAgent, type AgentCallReader, type AgentDoors } from './agent.js';
/** The Lambda client context key AgentCore Gateway sets to `<target>___<tool>`. */
export const AGENTCORE_TOOL_KEY = 'bedrockAgentCoreToolName';

/** The tool name AgentCore Gateway sent, if this is an AgentCore Gateway call. */
export function agentCoreToolName(lambdaContext: LambdaContext | undefined): string | undefined {
  const name = lambdaContext?.clientContext?.custom?.[AGENTCORE_TOOL_KEY];
  return typeof name === 'string' ? name : undefined;
}

/** `<target>___<tool>` → `<tool>` (the target name itself may contain `___`-free text only). */
export function stripTarget(toolName: string): string {
  const at = toolName.lastIndexOf('___');
  return at === -1 ? toolName : toolName.slice(at + 3);
}

/** A tool call: the operation by tool name in any group; the event itself (copied: coercion writes into it) is the input. */
const TOOL_CALL: AgentCallReader<{ tool: string; event: unknown }, unknown> = {
  operation: (registry, source) => registry.agentOperationByName('', source.tool, 'tool'),
  input: ({ event }) => (isRecord(event) ? copyInput(event) : (event ?? {})),
  answer: (_source, reply) => reply.value,
};

/**
 * Answers an AgentCore Gateway Lambda-target call: the event is the tool's arguments (native JSON,
 * strings still coerced); the reply is the output as plain JSON, errors as `{ error: { code, message, details? } }`.
 * `identified` (the playground's HTTP identity) replaces the caller `agentCoreCaller` would name.
 */
export function handleAgentCore(agent: AgentDoors, event: unknown, lambdaContext: LambdaContext, identified?: Caller): MaybePromise<unknown> {
  const full = agentCoreToolName(lambdaContext) as string;
  const tool = stripTarget(full);
  const custom = (lambdaContext.clientContext?.custom ?? {}) as Record<string, unknown>;
  const caller = identified ?? agent.agentCoreCaller?.(custom, event);
  return runForAgent({
    door: 'agentcore',
    lambdaContext,
    ...(lambdaContext.awsRequestId ? { requestId: lambdaContext.awsRequestId } : {}),
    ...(caller ? { caller } : {}),
    doors: agent,
    source: { tool, event },
    reader: TOOL_CALL,
    op: undefined,
  });
}

/** The door for AgentCore Gateway Lambda-target calls. */
export function agentCoreDoor(agent: AgentDoors): DoorPlugin {
  return {
    describe: () => `an AgentCore Gateway Lambda-target call (context.clientContext.custom.${AGENTCORE_TOOL_KEY})`,
    matches: (_event, lambdaContext) => agentCoreToolName(lambdaContext) !== undefined,
    handle: (event, lambdaContext) => handleAgentCore(agent, event, lambdaContext as LambdaContext),
  };
}
