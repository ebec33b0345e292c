import type { CallInfo, Caller } from '../core/context.js';
import { agentErrorReply, agentReply, type AgentReply, type AgentReplySettings } from '../core/agent-reply.js';
import { ActionError } from '../core/errors.js';
import type { Outcome, OutcomeThen } from '../core/execute.js';
import { stringMap } from '../core/session-map.js';
import type { Operation } from '../core/operation.js';
import type { Registry } from '../core/registry.js';
import type { MaybePromise } from '../util/maybe-async.js';

/** The router options every agent door reads (Bedrock Agents, return of control, AgentCore Gateway). */
export interface AgentDoorOptions {
  /** Largest reply body an agent door sends, in bytes (default 25 000); larger is a 413 or truncation. */
  maxResponseBytes?: number;
  /** Session attribute holding the caller's role on Bedrock doors (default `'role'`). */
  roleAttribute?: string;
  /** Debug aid: add the received session attributes to object replies as `_receivedSessionAttributes`. */
  echoSessionAttributes?: boolean;
  /**
   * Who is calling on the AgentCore Gateway door, from the Lambda client context (`custom`) and the event.
   * AgentCore carries no session attributes, so without this the caller is unknown and role-restricted
   * operations answer 403.
   */
  agentCoreCaller?: (custom: Record<string, unknown>, event: unknown) => Caller | undefined;
}

/**
 * What every agent door of one router shares: the registry and the agent options, checked, defaults
 * applied. It is also the settings agent replies are built with.
 */
export interface AgentDoors extends AgentReplySettings {
  readonly registry: Registry;
  readonly roleAttribute: string;
  readonly agentCoreCaller: AgentDoorOptions['agentCoreCaller'];
}

/**
 * Checks the agent options (a bad setting fails when the router is created; `who` names the function
 * in the error) and applies the defaults.
 */
export function agentDoors(registry: Registry, options: AgentDoorOptions, who = 'createRouter'): AgentDoors {
  if (options.maxResponseBytes !== undefined && !(options.maxResponseBytes > 0)) throw new Error(`${who}: "maxResponseBytes" must be a positive number`);
  return {
    registry,
    logger: registry.logger,
    maxResponseBytes: options.maxResponseBytes ?? 25_000,
    roleAttribute: options.roleAttribute ?? 'role',
    echoSessionAttributes: options.echoSessionAttributes ?? false,
    agentCoreCaller: options.agentCoreCaller,
  };
}

export type { AgentReply } from '../core/agent-reply.js';

/**
 * How an agent door reads a call from its event (the operation, then the raw input) and shapes its
 * reply. Doors keep one reader per event shape at module level, so the hot path allocates no closure.
 */
export interface AgentCallReader<S, R = AgentReply> {
  operation(registry: Registry, source: S): Operation;
  /** The raw input for `op` (an object the call owns: coercion writes into it). */
  input(source: S, op: Operation): unknown;
  /** The door's own reply for an agent reply. */
  answer(source: S, reply: AgentReply): R;
}

/**
 * One agent call: the call information the core reads and what its reply needs, in one object made by
 * the door (so no closure is made per call to carry them to the reply).
 */
export interface AgentCall<S, R> extends CallInfo {
  readonly doors: AgentDoors;
  readonly source: S;
  readonly reader: AgentCallReader<S, R>;
  /** The operation, once the reader found it. */
  op: Operation | undefined;
}

/**
 * The one reply path of every agent door: `call.reader` finds the operation and builds its raw input
 * from `call.source` (a 4xx ActionError from it becomes the reply); the output is sized to
 * `maxResponseBytes` and handed to the reader's `answer`. Synchronous handlers are answered synchronously.
 */
export function runForAgent<S, R>(call: AgentCall<S, R>): MaybePromise<R> {
  const agent = call.doors;
  let input: unknown;
  try {
    const op = (call.op = call.reader.operation(agent.registry, call.source));
    input = call.reader.input(call.source, op);
  } catch (error) {
    const e = error instanceof ActionError ? error : new ActionError(400, 'Malformed event.', { code: 'BAD_REQUEST' });
    return call.reader.answer(call.source, agentErrorReply(e.status, e.toJSON(), stringMap(call.session), stringMap(call.promptSession), agent.maxResponseBytes));
  }
  return agent.registry.run(call.op, input, call, answerOutcome as OutcomeThen<R>);
}

function answerOutcome(outcome: Outcome, info: CallInfo): unknown {
  const call = info as AgentCall<unknown, unknown>;
  return call.reader.answer(call.source, agentReply(call.op as Operation, outcome, call, call.doors));
}
