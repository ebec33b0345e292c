import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { compileInputCoercer } from './coerce.js';
import type { ActionContext, CallInfo, Caller } from './context.js';
import { ActionError, isActionError, type ErrorBody } from './errors.js';
import type { Logger } from './logger.js';
import type { Operation } from './operation.js';
import { checkRole } from './roles.js';
import { validationError } from './validation.js';

/** One operation call, as reported to `onInvocation` (for usage analytics). */
export interface InvocationRecord {
  group: string;
  operation: string;
  door: CallInfo['door'];
  status: number;
  durationMs: number;
  caller: Caller;
  error?: ErrorBody;
}

/** What running an operation produced; doors turn it into their wire format. */
export type Outcome =
  | { ok: true; status: 200; output: unknown; session: Record<string, string>; promptSession: Record<string, string> }
  | { ok: false; status: number; error: ErrorBody; session: Record<string, string>; promptSession: Record<string, string> };

/** Settings of the execution pipeline, from the router's options. */
export interface ExecuteSettings {
  logger: Logger;
  onInvocation?: (record: InvocationRecord) => void;
}

/** Bedrock's attribute maps are string → string: coerce values, drop null/undefined. */
export function stringMap(map: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map || typeof map !== 'object') return out;
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

const coercers = new WeakMap<Operation, (raw: Record<string, unknown>) => Record<string, unknown>>();

function coerceInput(op: Operation, raw: Record<string, unknown>): Record<string, unknown> {
  let c = coercers.get(op);
  if (!c) {
    c = compileInputCoercer((op.input as unknown as { shape: Record<string, z.ZodType> }).shape);
    coercers.set(op, c);
  }
  return c(raw);
}

/** The 500 body: generic on purpose; the stack goes to the log only. */
function internalError(op: Operation, requestId: string): ActionError {
  return new ActionError(500, `${op.name} failed unexpectedly; the details were logged (request ${requestId}). Try again later.`, { code: 'INTERNAL' });
}

/** Deadline of a call: the operation's timeout, capped by what is left of the Lambda's time (less a margin to reply). */
function deadlineOf(op: Operation, call: CallInfo): number | undefined {
  const remaining = call.lambdaContext?.getRemainingTimeInMillis?.();
  const lambdaBudget = typeof remaining === 'number' && remaining > 0 ? Math.max(remaining - 500, 1) : undefined;
  if (op.timeoutMs === undefined) return lambdaBudget;
  return lambdaBudget === undefined ? op.timeoutMs : Math.min(op.timeoutMs, lambdaBudget);
}

/**
 * Runs one operation: role check, coercion, validation, the handler under its deadline, and error
 * mapping. Never throws: every failure becomes an `Outcome` with a status and a caller-safe message.
 */
export async function execute(op: Operation, rawInput: unknown, call: CallInfo, settings: ExecuteSettings): Promise<Outcome> {
  const started = performance.now();
  const requestId = call.requestId ?? call.lambdaContext?.awsRequestId ?? randomUUID();
  const session = stringMap(call.session);
  const promptSession = stringMap(call.promptSession);
  const caller = call.caller ?? {};
  const logger = settings.logger.child({ requestId, group: op.group.name, operation: op.name, door: call.door });
  const controller = new AbortController();
  const ctx: ActionContext = {
    requestId,
    actionGroup: op.group.name,
    operation: op.name,
    door: call.door,
    session,
    promptSession,
    caller,
    logger,
    signal: controller.signal,
    ...(call.sessionId !== undefined ? { sessionId: call.sessionId } : {}),
    ...(call.inputText !== undefined ? { inputText: call.inputText } : {}),
    ...(call.agent !== undefined ? { agent: call.agent } : {}),
    ...(call.lambdaContext !== undefined ? { lambdaContext: call.lambdaContext } : {}),
  };
  let outcome: Outcome;
  let timer: NodeJS.Timeout | undefined;
  try {
    checkRole(op, caller);
    if (rawInput === null || typeof rawInput !== 'object' || Array.isArray(rawInput)) {
      throw new ActionError(400, `Invalid input for ${op.name}: expected an object of named parameters, got ${Array.isArray(rawInput) ? 'a list' : rawInput === null ? 'null' : typeof rawInput}.`, { code: 'VALIDATION_FAILED' });
    }
    const coerced = coerceInput(op, rawInput as Record<string, unknown>);
    const parsed = op.input.safeParse(coerced);
    if (!parsed.success) throw validationError(op.name, parsed.error, coerced);
    const deadline = deadlineOf(op, call);
    const run = Promise.resolve().then(() => op.handler(parsed.data, ctx));
    const output = deadline === undefined
      ? await run
      : await Promise.race([
          run,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const error = new ActionError(504, `${op.name} did not finish within ${deadline} ms. Try again, or narrow the request.`, { code: 'TIMEOUT' });
              controller.abort(error);
              reject(error);
            }, deadline);
          }),
        ]);
    outcome = { ok: true, status: 200, output, session, promptSession };
  } catch (thrown) {
    let error: ActionError;
    if (isActionError(thrown)) {
      error = thrown;
      if (error.status >= 500) logger.error('operation failed', { status: error.status, code: error.code, error: thrown, cause: thrown.cause });
    } else {
      error = internalError(op, requestId);
      logger.error('unexpected error', { error: thrown });
    }
    outcome = { ok: false, status: error.status, error: error.toJSON(), session, promptSession };
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (settings.onInvocation) {
    const record: InvocationRecord = {
      group: op.group.name,
      operation: op.name,
      door: call.door,
      status: outcome.status,
      durationMs: performance.now() - started,
      caller,
      ...(outcome.ok ? {} : { error: outcome.error }),
    };
    try {
      settings.onInvocation(record);
    } catch (error) {
      logger.warn('onInvocation threw', { error });
    }
  }
  return outcome;
}
