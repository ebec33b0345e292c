import { randomUUID } from 'node:crypto';
import type { ActionContext, AgentInfo, CallInfo, Caller, Door, LambdaContext } from './context.js';
import { ActionError, isActionError, unexpectedError, type ErrorBody } from './errors.js';
import type { Logger } from './logger.js';
import type { MaybePromise } from '../util/maybe-async.js';
import { unwatch, watch, type Deadline } from './deadline.js';
import type { Operation } from './operation.js';
import { callerFromSession } from './caller.js';
import { normaliseMap, stringMap } from './session-map.js';
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
  | {
      ok: false;
      status: number;
      error: ErrorBody;
      session: Record<string, string>;
      promptSession: Record<string, string>;
      requestId: string;
      /** The ActionError's own HTTP headers (`Retry-After` on a 503), which the HTTP door sends. */
      headers?: Readonly<Record<string, string>> | undefined;
    };

/** Settings of the execution pipeline, from the router's options. */
export interface ExecuteSettings {
  logger: Logger;
  onInvocation?: ((record: InvocationRecord) => void) | undefined;
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

  /**
   * The session map to send back: the handler's copy, normalised, or the received one when untouched
   * (string → string already: see `CallInfo.session`).
   */
  replySession(): Record<string, string> {
    return this.#session ? normaliseMap(this.#session) : ((this.#call.session as Record<string, string> | undefined) ?? {});
  }

  /** The prompt session map to send back, likewise. */
  replyPromptSession(): Record<string, string> {
    return this.#promptSession ? normaliseMap(this.#promptSession) : ((this.#call.promptSession as Record<string, string> | undefined) ?? {});
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

/** What is left of the Lambda's time, less a margin to reply; undefined outside Lambda. */
function lambdaBudget(call: CallInfo): number | undefined {
  const remaining = call.lambdaContext?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && remaining > 0 ? Math.max(remaining - 500, 1) : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * An async call under the operation's timeout (capped by the Lambda's remaining time): answered by the
 * handler or, first, by a 504 after aborting `ctx.signal`. It is its own entry on the shared deadline
 * timer (./deadline.ts), which replaces a timer and a race per call.
 */
class TimedCall implements Deadline {
  at = 0;
  index = -1;
  stamped = false;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;

  constructor(
    public ms: number,
    readonly op: Operation,
    readonly call: CallInfo,
    readonly ctx: CallContext,
    readonly started: number,
    readonly settings: ExecuteSettings,
    readonly then: OutcomeThen<unknown> | undefined,
  ) {}

  budget(): number | undefined {
    return lambdaBudget(this.call);
  }

  expire(): void {
    const error = new ActionError(504, `${this.op.name} did not finish within ${this.ms} ms. Try again, or narrow the request.`, { code: 'TIMEOUT' });
    this.ctx.abort(error);
    this.settle(failure(this.op, this.ctx, error));
  }

  /** The handler settled: answer, unless the expiry already has (its late result is then dropped). */
  settled(ok: boolean, value: unknown): void {
    if (unwatch(this)) this.settle(ok ? success(this.ctx, value) : failure(this.op, this.ctx, value));
  }

  settle(outcome: Outcome): void {
    try {
      this.resolve(finish(this.op, this.call, this.ctx, outcome, this.started, this.settings, this.then));
    } catch (error) {
      this.reject(error);
    }
  }
}

function withDeadline(timed: TimedCall, pending: Promise<unknown>): Promise<unknown> {
  const promise = new Promise<unknown>((resolve, reject) => {
    timed.resolve = resolve;
    timed.reject = reject;
  });
  watch(timed);
  pending.then(
    (output) => timed.settled(true, output),
    (thrown: unknown) => timed.settled(false, thrown),
  );
  return promise;
}

/**
 * What a door does with an outcome, in the same step (a door's reply built without one more promise per
 * layer). It gets the call information it passed in, so a door can keep what its reply needs there
 * rather than in a closure made per call.
 */
export type OutcomeThen<R> = (outcome: Outcome, call: CallInfo) => R;

/**
 * Runs one operation: role check, coercion, validation, the handler under its deadline, and error
 * mapping. Never throws: every failure becomes an `Outcome` with a status and a caller-safe message.
 * Synchronous handlers are answered without a promise round trip. `rawInput` is coerced in place:
 * pass an object the call owns. `then`, when given, maps the outcome (see {@link OutcomeThen}); an error
 * it throws is thrown, or rejects.
 */
export function execute(op: Operation, rawInput: unknown, call: CallInfo, settings: ExecuteSettings): MaybePromise<Outcome>;
export function execute<R>(op: Operation, rawInput: unknown, call: CallInfo, settings: ExecuteSettings, then: OutcomeThen<R>): MaybePromise<R>;
export function execute(op: Operation, rawInput: unknown, call: CallInfo, settings: ExecuteSettings, then?: OutcomeThen<unknown>): unknown {
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
    return finish(op, call, ctx, failure(op, ctx, thrown), started, settings, then);
  }
  if (!isThenable(result)) return finish(op, call, ctx, success(ctx, result), started, settings, then);
  const pending = result instanceof Promise ? result : Promise.resolve(result);
  if (op.timeoutMs !== undefined) {
    return withDeadline(new TimedCall(op.timeoutMs, op, call, ctx, started, settings, then), pending);
  }
  return settleLater(op, call, ctx, pending, started, settings, then);
}

// Its own function, so `execute` captures nothing: a function whose variables a closure captures
// allocates their context on every call, the synchronous ones included.
function settleLater(op: Operation, call: CallInfo, ctx: CallContext, pending: Promise<unknown>, started: number, settings: ExecuteSettings, then: OutcomeThen<unknown> | undefined): Promise<unknown> {
  return pending.then(
    (output) => finish(op, call, ctx, success(ctx, output), started, settings, then),
    (thrown: unknown) => finish(op, call, ctx, failure(op, ctx, thrown), started, settings, then),
  );
}

function success(ctx: CallContext, output: unknown): Outcome {
  return { ok: true, status: 200, output, session: ctx.replySession(), promptSession: ctx.replyPromptSession(), requestId: ctx.requestId };
}

/** Reports the call to `onInvocation`, then hands the outcome to the caller's `then`, if any. */
function finish(op: Operation, call: CallInfo, ctx: CallContext, outcome: Outcome, started: number, settings: ExecuteSettings, then: OutcomeThen<unknown> | undefined): unknown {
  if (settings.onInvocation) report(op, ctx, outcome, performance.now() - started, settings.onInvocation);
  return then ? then(outcome, call) : outcome;
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
  return { ok: false, status: error.status, error: error.toJSON(), session: ctx.replySession(), promptSession: ctx.replyPromptSession(), requestId: ctx.requestId, headers: error.headers };
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
