import { randomUUID } from 'node:crypto';
import type { ActionContext, AgentInfo, CallInfo, Caller, Door, LambdaContext } from './context.js';
import { ActionError, isActionError, unexpectedError, type ErrorBody } from './errors.js';
import type { Logger } from './logger.js';
import type { Operation } from './operation.js';
import { callerFromSession } from './caller.js';
import { stringifyLenient } from './safe-json.js';
import { allowedRolesOf, checkRole } from './roles.js';
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
  | { ok: true; status: 200; output: unknown; session: Record<string, string>; promptSession: Record<string, string>; requestId: string }
  | { ok: false; status: number; error: ErrorBody; session: Record<string, string>; promptSession: Record<string, string>; requestId: string };

/** Settings of the execution pipeline, from the router's options. */
export interface ExecuteSettings {
  logger: Logger;
  onInvocation?: ((record: InvocationRecord) => void) | undefined;
}

/** Bedrock's attribute maps are string → string: coerce values, drop null/undefined; a non-map is empty. */
export function stringMap(map: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!map || typeof map !== 'object' || Array.isArray(map)) return out;
  for (const k in map) {
    const v = map[k];
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? stringifyLenient(v) : String(v);
  }
  return out;
}

/** An untouched received map is echoed as it came when it is string → string already (Bedrock's are), else normalised. */
function receivedMap(map: Record<string, unknown> | null | undefined): Record<string, string> {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return {};
  for (const k in map) if (typeof map[k] !== 'string') return stringMap(map);
  return map as Record<string, string>;
}

/**
 * Makes a map the handler may have changed string → string again, in place (it is the call's own copy).
 * Returns the same object, so the common case allocates nothing.
 */
export function normaliseMap(map: Record<string, unknown>): Record<string, string> {
  for (const k in map) {
    const v = map[k];
    if (typeof v === 'string') continue;
    if (v === undefined || v === null) delete map[k];
    else map[k] = typeof v === 'object' ? stringifyLenient(v) : String(v);
  }
  return map as Record<string, string>;
}

/**
 * The handler context. The logger and the abort signal are made on first use: most calls never touch
 * them, and this is the hot path of every door.
 */
class CallContext implements ActionContext {
  readonly requestId: string;
  readonly actionGroup: string;
  readonly operation: string;
  readonly #baseLogger: Logger;
  readonly #call: CallInfo;
  #caller: Caller | undefined;
  #session: Record<string, string> | undefined;
  #promptSession: Record<string, string> | undefined;
  #logger: Logger | undefined;
  #controller: AbortController | undefined;

  constructor(op: Operation, call: CallInfo, requestId: string, baseLogger: Logger) {
    this.requestId = requestId;
    this.actionGroup = op.group.name;
    this.operation = op.name;
    this.#call = call;
    this.#baseLogger = baseLogger;
  }

  // What the door knew is read through on demand rather than copied into every context.
  get door(): Door {
    return this.#call.door;
  }

  get caller(): Caller {
    const call = this.#call;
    return (this.#caller ??= call.caller ?? (call.roleAttribute === undefined ? {} : callerFromSession(call.session, call.roleAttribute)));
  }

  get sessionId(): string | undefined {
    return this.#call.sessionId;
  }

  get inputText(): string | undefined {
    return this.#call.inputText;
  }

  get agent(): AgentInfo | undefined {
    return this.#call.agent;
  }

  get lambdaContext(): LambdaContext | undefined {
    return this.#call.lambdaContext;
  }

  // The session maps are copied on first use: a handler that never touches them costs no copy, and the
  // reply then carries the received maps (already string → string) as they were.
  get session(): Record<string, string> {
    return (this.#session ??= stringMap(this.#call.session));
  }

  get promptSession(): Record<string, string> {
    return (this.#promptSession ??= stringMap(this.#call.promptSession));
  }

  /** The session map to send back: the handler's copy, normalised, or the received one when untouched. */
  replySession(): Record<string, string> {
    return this.#session ? normaliseMap(this.#session) : receivedMap(this.#call.session);
  }

  /** The prompt session map to send back, likewise. */
  replyPromptSession(): Record<string, string> {
    return this.#promptSession ? normaliseMap(this.#promptSession) : receivedMap(this.#call.promptSession);
  }

  get logger(): Logger {
    return (this.#logger ??= this.#baseLogger.child({ requestId: this.requestId, group: this.actionGroup, operation: this.operation, door: this.door }));
  }

  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  abort(reason: unknown): void {
    (this.#controller ??= new AbortController()).abort(reason);
  }
}

/** Deadline of a call: the operation's timeout, capped by what is left of the Lambda's time (less a margin to reply). */
function deadlineOf(op: Operation, call: CallInfo): number | undefined {
  if (op.timeoutMs === undefined) return undefined;
  const remaining = call.lambdaContext?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && remaining > 0 ? Math.min(op.timeoutMs, Math.max(remaining - 500, 1)) : op.timeoutMs;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Races a pending handler result against the operation's deadline; on expiry aborts `ctx.signal` with a 504. */
function withDeadline(op: Operation, pending: PromiseLike<unknown>, deadline: number, ctx: CallContext): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ActionError(504, `${op.name} did not finish within ${deadline} ms. Try again, or narrow the request.`, { code: 'TIMEOUT' });
      ctx.abort(error);
      reject(error);
    }, deadline);
  });
  return Promise.race([pending, expiry]).finally(() => clearTimeout(timer));
}

/**
 * Runs one operation: role check, coercion, validation, the handler under its deadline, and error
 * mapping. Never throws: every failure becomes an `Outcome` with a status and a caller-safe message.
 * Synchronous handlers are answered without a promise round trip. `rawInput` is coerced in place:
 * pass an object the call owns.
 */
export function execute(op: Operation, rawInput: unknown, call: CallInfo, settings: ExecuteSettings): Outcome | Promise<Outcome> {
  const started = settings.onInvocation ? performance.now() : 0;
  const ctx = new CallContext(op, call, call.requestId ?? call.lambdaContext?.awsRequestId ?? newRequestId(), settings.logger);
  let result: unknown;
  try {
    if (allowedRolesOf(op)) checkRole(op, ctx.caller);
    if (rawInput === null || typeof rawInput !== 'object' || Array.isArray(rawInput)) {
      const got = Array.isArray(rawInput) ? 'a list' : rawInput === null ? 'null' : typeof rawInput;
      throw new ActionError(400, `Invalid input for ${op.name}: expected an object of named parameters, got ${got}.`, { code: 'VALIDATION_FAILED' });
    }
    const coerced = op.coerce(rawInput as Record<string, unknown>);
    const parsed = op.validator.safeParse(coerced);
    if (!parsed.success) throw validationError(op.name, parsed.error, coerced);
    result = op.handler(parsed.data, ctx);
  } catch (thrown) {
    return finish(op, ctx, failure(op, ctx, thrown), started, settings);
  }
  if (!isThenable(result)) return finish(op, ctx, success(ctx, result), started, settings);
  const deadline = deadlineOf(op, call);
  const pending = deadline === undefined ? Promise.resolve(result) : withDeadline(op, result, deadline, ctx);
  return pending.then(
    (output) => finish(op, ctx, success(ctx, output), started, settings),
    (thrown: unknown) => finish(op, ctx, failure(op, ctx, thrown), started, settings),
  );
}

function success(ctx: CallContext, output: unknown): Outcome {
  return { ok: true, status: 200, output, session: ctx.replySession(), promptSession: ctx.replyPromptSession(), requestId: ctx.requestId };
}

function finish(op: Operation, ctx: CallContext, outcome: Outcome, started: number, settings: ExecuteSettings): Outcome {
  if (settings.onInvocation) report(op, ctx, outcome, performance.now() - started, settings.onInvocation);
  return outcome;
}

// Request ids for calls that bring none: a random per-process prefix and a counter (cheaper than a UUID per call).
const ID_PREFIX = randomUUID().slice(0, 8);
let idCounter = 0;
function newRequestId(): string {
  return `${ID_PREFIX}-${(++idCounter).toString(36)}`;
}

/** Maps anything thrown to an outcome: ActionErrors as they are, the rest a generic 500 (stack to the log only). */
function failure(op: Operation, ctx: CallContext, thrown: unknown): Outcome {
  let error: ActionError;
  if (isActionError(thrown)) {
    error = thrown;
    if (error.status >= 500) ctx.logger.error('operation failed', { status: error.status, code: error.code, error: thrown, cause: thrown.cause });
    // Refusals are audited: a denied caller never reaches the handler's own audit line.
    else if (error.status === 401 || error.status === 403) ctx.logger.warn('access denied', { status: error.status, role: ctx.caller.role, userId: ctx.caller.userId, email: ctx.caller.email });
  } else {
    error = unexpectedError(op.name, ctx.requestId);
    ctx.logger.error('unexpected error', { error: thrown });
  }
  return { ok: false, status: error.status, error: error.toJSON(), session: ctx.replySession(), promptSession: ctx.replyPromptSession(), requestId: ctx.requestId };
}

function report(op: Operation, ctx: CallContext, outcome: Outcome, durationMs: number, onInvocation: (record: InvocationRecord) => void): void {
  const record: InvocationRecord = { group: op.group.name, operation: op.name, door: ctx.door, status: outcome.status, durationMs, caller: ctx.caller };
  if (!outcome.ok) record.error = outcome.error;
  try {
    onInvocation(record);
  } catch (error) {
    ctx.logger.warn('onInvocation threw', { error });
  }
}
