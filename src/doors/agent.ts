import type { CallInfo, Caller } from '../core/context.js';
import { agentErrorReply, agentReply, type AgentReply, type AgentReplySettings } from '../core/agent-reply.js';
import { ActionError } from '../core/errors.js';
import { stringMap } from '../core/execute.js';
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

/** Checks the agent options (a bad setting fails when the router is created) and applies the defaults. */
export function agentDoors(registry: Registry, options: AgentDoorOptions): AgentDoors {
  if (options.maxResponseBytes !== undefined && !(options.maxResponseBytes > 0)) throw new Error('createRouter: "maxResponseBytes" must be a positive number');
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
 * How an agent door reads a call from its event: the operation, then the raw input. Doors keep one reader
 * per event shape at module level, so the hot path allocates no closure.
 */
export interface AgentCallReader<S> {
  operation(registry: Registry, source: S): Operation;
  input(source: S): unknown;
}

/**
 * The one reply path of every agent door: `reader` finds the operation and builds its raw input from
 * `source` (a 4xx ActionError from it becomes the reply); the output is sized to `maxResponseBytes`.
 * Synchronous handlers are answered synchronously. `then` turns the reply into the door's own shape in
 * the same step (no extra promise per layer on the async path).
 */
export function runForAgent<S>(agent: AgentDoors, call: CallInfo, source: S, reader: AgentCallReader<S>): MaybePromise<AgentReply>;
export function runForAgent<S, R>(agent: AgentDoors, call: CallInfo, source: S, reader: AgentCallReader<S>, then: (reply: AgentReply) => R): MaybePromise<R>;
export function runForAgent<S>(agent: AgentDoors, call: CallInfo, source: S, reader: AgentCallReader<S>, then?: (reply: AgentReply) => unknown): unknown {
  let op: Operation;
  let input: unknown;
  try {
    op = reader.operation(agent.registry, source);
    input = reader.input(source);
  } catch (error) {
    const e = error instanceof ActionError ? error : new ActionError(400, 'Malformed event.', { code: 'BAD_REQUEST' });
    const reply = agentErrorReply(e.status, e.toJSON(), stringMap(call.session), stringMap(call.promptSession), agent.maxResponseBytes);
    return then ? then(reply) : reply;
  }
  return agent.registry.run(op, input, call, (outcome) => {
    const reply = agentReply(op, outcome, call, agent);
    return then ? then(reply) : reply;
  });
}
