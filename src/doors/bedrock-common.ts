import type { AgentInfo, Door, LambdaContext } from '../core/context.js';
import type { DoorPlugin } from '../core/door.js';
import { ActionError } from '../core/errors.js';
import { callerIfNormalised } from '../core/caller.js';
import { receivedMap } from '../core/session-map.js';
import type { Operation } from '../core/operation.js';
import type { MaybePromise } from '../util/maybe-async.js';
import { isRecord } from '../util/is-record.js';
import { runForAgent, type AgentCall, type AgentCallReader, type AgentDoors, type AgentReply } from './agent.js';

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

/** Merges a `{ name, value }` list into `target` (the raw input of `op`); a malformed list is a 400. */
export function parametersToInput(op: Operation, target: Record<string, unknown>, list: unknown, where: string): Record<string, unknown> {
  if (list === undefined || list === null) return target;
  if (!Array.isArray(list)) throw new ActionError(400, `Malformed event: ${where} must be a list of { name, value } objects.`);
  if (op.readList(target, list) >= 0) throw new ActionError(400, `Malformed event: every entry of ${where} needs a "name".`);
  return target;
}

/** One agent call from a Bedrock Agents event (one object literal: a single shape on the hot path). */
export function bedrockCall<E extends BedrockEventBase, R>(doors: AgentDoors, door: Door, event: E, reader: AgentCallReader<E, R>, lambdaContext: LambdaContext | undefined): AgentCall<E, R> {
  const session = receivedMap(event.sessionAttributes);
  return {
    door,
    session,
    promptSession: receivedMap(event.promptSessionAttributes),
    roleAttribute: doors.roleAttribute,
    lambdaContext,
    requestId: lambdaContext?.awsRequestId || undefined,
    sessionId: typeof event.sessionId === 'string' ? event.sessionId : undefined,
    inputText: typeof event.inputText === 'string' ? event.inputText : undefined,
    agent: event.agent && typeof event.agent === 'object' ? event.agent : undefined,
    caller: callerIfNormalised(event.sessionAttributes, session, doors.roleAttribute),
    doors,
    source: event,
    reader,
    op: undefined,
  };
}

/** `responseState` for function-style replies and return of control: REPROMPT for 4xx, FAILURE for 5xx. */
export function responseState(status: number): 'REPROMPT' | 'FAILURE' | undefined {
  if (status < 400) return undefined;
  return status >= 500 ? 'FAILURE' : 'REPROMPT';
}

/** One Bedrock Agents event style: how it is recognised and read, and the reply it answers with. */
export interface BedrockStyle<E extends BedrockEventBase, R> extends AgentCallReader<E, BedrockReply<R>> {
  readonly door: Extract<Door, 'bedrock-openapi' | 'bedrock-function'>;
  /** What the style accepts, for the "unrecognised event" error. */
  readonly description: string;
  /**
   * Whether a record with `messageVersion` and `actionGroup` is of this style (its `apiPath` or `function`
   * is a string). Each style reads its own field by name: one keyed read shared by both styles would be
   * polymorphic on the hot path.
   */
  accepts(event: Record<string, unknown>): boolean;
}

/** The reply envelope both Bedrock Agents styles share. */
export interface BedrockReply<R> {
  messageVersion: '1.0';
  response: R;
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
}

/** The envelope of a Bedrock Agents reply around a style's `response`. */
export function bedrockReply<R>(response: R, reply: AgentReply): BedrockReply<R> {
  return { messageVersion: '1.0', response, sessionAttributes: reply.session, promptSessionAttributes: reply.promptSession };
}

/** Answers a Bedrock Agents event of one style: the shared reply path of both styles. */
export function answerBedrock<E extends BedrockEventBase, R>(agent: AgentDoors, style: BedrockStyle<E, R>, event: E, lambdaContext: LambdaContext | undefined): MaybePromise<BedrockReply<R>> {
  return runForAgent(bedrockCall(agent, style.door, event, style, lambdaContext));
}

/**
 * The door of Bedrock Agents events over a router's agent doors: one door for both event styles, so an
 * event is recognised by one check of the fields they share (a door per style checked them twice).
 * `first` wins when an event would fit both.
 */
export function bedrockDoor<E1 extends BedrockEventBase, R1, E2 extends BedrockEventBase, R2>(agent: AgentDoors, first: BedrockStyle<E1, R1>, second: BedrockStyle<E2, R2>): DoorPlugin {
  return {
    describe: () => `${first.description}; ${second.description}`,
    matches: (event) => isRecord(event) && typeof event.messageVersion === 'string' && typeof event.actionGroup === 'string' && (first.accepts(event) || second.accepts(event)),
    handle: (event, lambdaContext) =>
      first.accepts(event as Record<string, unknown>) ? answerBedrock(agent, first, event as E1, lambdaContext) : answerBedrock(agent, second, event as E2, lambdaContext),
  };
}

/** A name read from an event as text: strings as they are (without a call to String), anything else through String. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A field of the event echoed in the reply: Bedrock's reply fields are strings, so anything else is `''`. */
export function echoed(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
