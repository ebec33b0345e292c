import type { ErrorBody } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Operation } from '../../core/operation.js';
import { jsonReply, type HttpReply } from './exchange.js';

// A wrapper that throws or returns what JSON cannot carry is the developer's bug: a logged, unwrapped 500.
const BROKEN = JSON.stringify({ error: { code: 'INTERNAL', message: 'The reply could not be written; the details were logged. Try again later.' } });

/**
 * The failed reply of a route whose group wraps its errors (`actionGroup({ http: { error } })`), or
 * `undefined` when it does not, for the default `{ error }` body.
 */
export function groupErrorReply(logger: Logger, op: Operation, status: number, error: ErrorBody, headers?: Record<string, string>): HttpReply | undefined {
  const wrap = op.group.http?.error;
  if (!wrap) return undefined;
  try {
    const text = JSON.stringify(wrap(error, { operation: op.name, status }));
    if (text !== undefined) return jsonReply(status, text, headers);
  } catch (thrown) {
    logger.error('the group\'s http.error wrapper failed', { group: op.group.name, operation: op.name, error: thrown });
    return jsonReply(500, BROKEN);
  }
  logger.error('the group\'s http.error wrapper returned no JSON value', { group: op.group.name, operation: op.name });
  return jsonReply(500, BROKEN);
}

/** The body of a successful reply: the output, or what the group's `http.reply` makes of it. May throw. */
export function groupOutput(op: Operation, output: unknown): unknown {
  const wrap = op.group.http?.reply;
  return wrap ? wrap(output, { operation: op.name, status: output === undefined ? 204 : 200 }) : output;
}
