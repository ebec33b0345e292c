import type { CallInfo } from './context.js';
import { isActionError, unexpectedError, type ErrorBody } from './errors.js';
import type { Outcome } from './execute.js';
import { stringMap } from './session-map.js';
import type { Logger } from './logger.js';
import type { Operation } from './operation.js';
import { bodyText, fitErrorBody, fits, shrinkReply } from './reply-size.js';
import { isWebResponse } from '../util/web-response.js';

/** What an agent door sends back for one call. */
export interface AgentReply {
  status: number;
  /** Body text: the output (strings as is, the rest JSON) or `{"error":{…}}`. */
  body: string;
  /** The output after size fitting, or `{ error }`. */
  value: unknown;
  session: Record<string, string>;
  promptSession: Record<string, string>;
}

/** The router settings agent replies depend on. */
export interface AgentReplySettings {
  maxResponseBytes: number;
  echoSessionAttributes: boolean;
  logger: Logger;
}

/** An error reply of an agent door, its body fitted to `maxBytes`. */
export function agentErrorReply(status: number, error: ErrorBody, session: Record<string, string>, promptSession: Record<string, string>, maxBytes: number): AgentReply {
  const { text, value } = fitErrorBody(error, maxBytes);
  return { status, body: text, value, session, promptSession };
}

/**
 * The reply of an agent door for an outcome, fitted to `maxResponseBytes` (a 413, or truncation when
 * the operation opts in). Never throws: an output that cannot be serialised (a cycle, a BigInt, a
 * throwing `toJSON`) is a generic 500, the reason logged.
 */
export function agentReply(op: Operation, outcome: Outcome, call: CallInfo, settings: AgentReplySettings): AgentReply {
  const { session, promptSession } = outcome;
  const max = settings.maxResponseBytes;
  if (!outcome.ok) return agentErrorReply(outcome.status, outcome.error, session, promptSession, max);
  try {
    let output = outcome.output;
    // A web Response (a file, an event stream) is for the HTTP door only; an agent would get "{}".
    if (isWebResponse(output)) throw new TypeError('the operation answered a web Response, which only the HTTP door can send: give it doors: { agent: false }');
    if (settings.echoSessionAttributes && output !== null && typeof output === 'object' && !Array.isArray(output)) {
      output = { ...output, _receivedSessionAttributes: stringMap(call.session) };
    }
    const text = bodyText(output);
    if (fits(text, max)) return { status: 200, body: text, value: output, session, promptSession };
    const shrunk = shrinkReply(op.name, output, text, max, op.truncate);
    return { status: 200, body: shrunk.text, value: shrunk.value, session, promptSession };
  } catch (error) {
    if (isActionError(error)) return agentErrorReply(error.status, error.toJSON(), session, promptSession, max);
    settings.logger.error('the reply could not be serialised', { requestId: outcome.requestId, group: op.group.name, operation: op.name, error });
    return agentErrorReply(500, unexpectedError(op.name, outcome.requestId).toJSON(), session, promptSession, max);
  }
}
