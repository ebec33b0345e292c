// The contract's envelope, as the group's `http` option: `{ statusCode, result, message, records,
// pagination? }` for a success and `{ statusCode, result: false, message, error }` for a failure, with
// the HTTP status equal to `statusCode`. Agent doors never see it.
import type { ErrorBody } from '../../core/errors.js';
import type { FieldProblem } from '../../core/validation.js';
import type { GroupHttpReplies, HttpReplyInfo } from '../../core/operation.js';

/** `pagination` of a list reply. */
export interface Pagination {
  total: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}

/** What the operations return; the envelope adds `statusCode` and `result`. */
export interface Answer<R> {
  message: string;
  records: R;
  pagination?: Pagination;
}

/** A successful reply as the web client reads it. */
export interface SuccessEnvelope<R = unknown> extends Answer<R> {
  statusCode: 200;
  result: true;
}

/** A failed reply as the web client reads it. */
export interface ErrorEnvelope {
  statusCode: number;
  result: false;
  message: string;
  error: { code: string; details?: unknown };
}

/** The operations whose upstream failures get the contract's prefix. */
const PROMPTS = new Set(['sendPrompt', 'streamPrompt']);
/** The contract's prefix of a failed prompt's message. */
export const PROMPT_ERROR_PREFIX = 'Error al procesar el prompt: ';

/** The success envelope of an answer. */
export function successEnvelope<R>(answer: Answer<R>): SuccessEnvelope<R> {
  return { statusCode: 200, result: true, ...answer };
}

/** The message of a refused input: `Faltan campos requeridos: a, b` for the missing fields, then the other problems. */
function validationMessage(problems: readonly FieldProblem[]): string {
  const missing = problems.filter((p) => p.problem.startsWith('is required')).map((p) => p.field);
  const wrong = problems.filter((p) => !p.problem.startsWith('is required')).map((p) => `${p.field} ${p.problem}`);
  const parts: string[] = [];
  if (missing.length) parts.push(`Faltan campos requeridos: ${missing.join(', ')}`);
  if (wrong.length) parts.push(`Campos no válidos: ${wrong.join('; ')}`);
  return parts.join('. ');
}

/** The failure envelope of an error of one of the group's routes. */
export function errorEnvelope(error: ErrorBody, info: HttpReplyInfo): ErrorEnvelope {
  let message = error.message;
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details) && error.details.length) message = validationMessage(error.details as FieldProblem[]);
  else if (info.status >= 500 && PROMPTS.has(info.operation) && !message.startsWith(PROMPT_ERROR_PREFIX)) message = PROMPT_ERROR_PREFIX + message;
  return { statusCode: info.status, result: false, message, error: error.details === undefined ? { code: error.code } : { code: error.code, details: error.details } };
}

/** The group's `http` option. */
export const ENVELOPE: GroupHttpReplies = {
  reply: (output) => successEnvelope(output as Answer<unknown>),
  error: errorEnvelope,
};
