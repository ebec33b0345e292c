import type { CallInfo, Caller, LambdaContext } from './context.js';
import { ActionError, type ErrorBody } from './errors.js';
import { execute, stringMap, type ExecuteSettings, type InvocationRecord, type Outcome } from './execute.js';
import { createLogger, type Logger } from './logger.js';
import type { ActionGroup, Operation } from './operation.js';
import { bodyText, fits, shrinkReply } from './reply-size.js';
import { mapMaybe, type MaybePromise } from './maybe-async.js';
import type { CognitoTrigger } from '../doors/cognito-types.js';
import type { ScheduledJob } from '../doors/schedule-types.js';
import { describeDoors, findDoor } from '../doors/registry.js';
import { runReturnControl, type ReturnControlOptions, type ReturnControlPayload, type ReturnControlResult } from '../doors/return-control.js';
import { checkHttpOptions, serveHttp } from '../doors/http.js';
import { checkRoutes } from '../doors/http-routes.js';
import { describeValue } from './describe-value.js';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Logger for operations and the router itself; default: JSON lines on stdout with `BUILD_TAG`. */
  logger?: Logger;
  /** Largest reply body an agent door sends, in bytes (default 25 000); larger is a 413 or truncation. */
  maxResponseBytes?: number;
  /** Session attribute holding the caller's role on Bedrock doors (default `'role'`). */
  roleAttribute?: string;
  /** Debug aid: add the received session attributes to object replies as `_receivedSessionAttributes`. */
  echoSessionAttributes?: boolean;
  /** Called once per operation call, for usage analytics; errors it throws are logged and ignored. */
  onInvocation?: (record: InvocationRecord) => void;
  /**
   * Who is calling on the AgentCore Gateway door, from the Lambda client context (`custom`) and the event.
   * AgentCore carries no session attributes, so without this the caller is unknown and role-restricted
   * operations answer 403.
   */
  agentCoreCaller?: (custom: Record<string, unknown>, event: unknown) => Caller | undefined;
  /**
   * HTTP door: who is calling, read from the request (a verified bearer token, a session cookie…).
   * Return `null` or throw for an unauthenticated request: operations then answer 401. When set, every
   * operation needs an identity (built-in routes such as `/health` and the schemas do not). Over HTTP the
   * caller comes only from here, never from the body or headers by itself.
   */
  authenticate?: (request: Request) => Caller | null | Promise<Caller | null>;
  /**
   * HTTP door: CORS for browsers. Off by default: no CORS headers, and OPTIONS is a 405. Preflights are
   * answered for the listed origins only; `'*'` allows any origin and cannot be combined with `credentials`.
   */
  cors?: { origins: readonly string[] | '*'; credentials?: boolean };
  /** HTTP door: largest request body, in bytes (default 1 MiB); an operation's own `maxBodyBytes` wins. */
  maxBodyBytes?: number;
  /**
   * HTTP door: serve `POST /bedrock`, which runs a raw Bedrock Agents event (whose session attributes are
   * trusted, roles included). A local development aid: default `false` (404).
   */
  bedrockEndpoint?: boolean;
  /** HTTP door: the `version` reported by `GET /health` (default: `BUILD_TAG` from the environment, else this library's version). */
  version?: string;
}

/** Options of {@link Router.add}. */
export interface AddOptions {
  /** Path prefix the group is mounted under on the HTTP door (`/v1`). */
  prefix?: string;
}

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

/**
 * How an agent door reads a call from its event: the operation, then the raw input. Doors keep one reader
 * per event shape at module level, so the hot path allocates no closure.
 */
export interface AgentCallReader<S> {
  operation(router: Router, source: S): Operation;
  input(source: S): unknown;
}

/** A group as mounted on a router. */
export interface Mounted {
  group: ActionGroup;
  prefix: string;
}

/**
 * One router serves many action groups through every door: `router.handle(event, context)` in Lambda,
 * `router.invoke(...)` directly, `router.returnControl(...)` for InvokeAgent's return of control.
 */
export class Router {
  readonly logger: Logger;
  readonly maxResponseBytes: number;
  readonly roleAttribute: string;
  readonly options: Readonly<RouterOptions>;
  readonly #mounted: Mounted[] = [];
  readonly #byName = new Map<string, ActionGroup>();
  readonly #jobs: ScheduledJob[] = [];
  readonly #triggers = new Map<string, CognitoTrigger>();
  readonly #settings: ExecuteSettings;

  constructor(options: RouterOptions = {}) {
    if (options.maxResponseBytes !== undefined && !(options.maxResponseBytes > 0)) throw new Error('createRouter: "maxResponseBytes" must be a positive number');
    checkHttpOptions(options);
    this.options = options;
    this.logger = options.logger ?? createLogger();
    this.maxResponseBytes = options.maxResponseBytes ?? 25_000;
    this.roleAttribute = options.roleAttribute ?? 'role';
    this.#settings = { logger: this.logger, onInvocation: options.onInvocation };
  }

  /**
   * Serves a web-standard HTTP request (bound, so `router.fetch` can be passed around): the operations at
   * their OpenAPI paths under their prefixes, plus `GET /health`, `GET /openapi/{group}.json`,
   * `GET /functions/{group}.json` and, with `bedrockEndpoint`, `POST /bedrock`. Never rejects: every
   * failure is a JSON `{ error: { code, message, details? } }` reply.
   */
  readonly fetch = (request: Request): Promise<Response> => serveHttp(this, request);

  /** The groups served, in the order they were added. */
  get groups(): readonly ActionGroup[] {
    return this.#mounted.map((m) => m.group);
  }

  /** The groups with their HTTP prefixes. */
  get mounted(): readonly Mounted[] {
    return this.#mounted;
  }

  /** The registered scheduled jobs. */
  get jobs(): readonly ScheduledJob[] {
    return this.#jobs;
  }

  /** The registered Cognito triggers by trigger source. */
  get triggers(): ReadonlyMap<string, CognitoTrigger> {
    return this.#triggers;
  }

  /**
   * Serves a group. Group names must be unique within a router, and two operations may not answer the same
   * HTTP method and path (throws naming both; mount one group under a `prefix`).
   */
  add(group: ActionGroup, options: AddOptions = {}): this {
    if (this.#mounted.some((m) => m.group.name === group.name)) throw new Error(`Router: a group named "${group.name}" was already added`);
    const prefix = (options.prefix ?? '').replace(/\/+$/, '');
    if (prefix && !prefix.startsWith('/')) throw new Error(`Router: prefix "${prefix}" must start with "/"`);
    checkRoutes([...this.#mounted, { group, prefix }]);
    this.#mounted.push({ group, prefix });
    this.#byName.set(group.name, group);
    return this;
  }

  /** Registers a scheduled job (EventBridge `aws.events` or a direct `{ since, limit, manual }` event). */
  schedule(job: ScheduledJob): this {
    if (this.#jobs.some((j) => j.name === job.name)) throw new Error(`Router: a job named "${job.name}" was already registered`);
    this.#jobs.push(job);
    return this;
  }

  /** Registers a Cognito trigger for each of its `triggerSources`. */
  cognito(trigger: CognitoTrigger): this {
    for (const source of trigger.triggerSources) {
      if (this.#triggers.has(source)) throw new Error(`Router: trigger source "${source}" already has a handler`);
      this.#triggers.set(source, trigger);
    }
    return this;
  }

  /** The group with this name, if served. */
  group(name: string): ActionGroup | undefined {
    return this.#byName.get(name);
  }

  /** The operation a function-style event or AgentCore tool names; a 404 listing what is served when none. */
  resolveByName(groupName: string, name: string, noun: 'function' | 'tool' = 'function'): Operation {
    return this.group(groupName)?.get(name) ?? this.#resolveElsewhere(groupName, (g) => g.get(name), () => `${noun} "${name}"`);
  }

  /** The operation at an OpenAPI path template and method; a 404 listing what is served when none. */
  resolveByRoute(groupName: string, method: string, path: string): Operation {
    return this.group(groupName)?.route(method, path) ?? this.#resolveElsewhere(groupName, (g) => g.route(method, path), () => `${method} ${path}`);
  }

  /**
   * When the named group lacks the operation: if no group has that name, the one group that has a
   * matching operation (so an agent's action group may be named differently). Else a 404.
   */
  #resolveElsewhere(groupName: string, find: (g: ActionGroup) => Operation | undefined, wanted: () => string): Operation {
    const named = this.group(groupName);
    if (!named) {
      const found = this.groups.map(find).filter((op): op is Operation => op !== undefined);
      if (found.length === 1) return found[0] as Operation;
      if (found.length > 1) {
        throw new ActionError(404, `Action group "${groupName}" is not served here and ${wanted()} exists in several groups (${found.map((o) => o.group.name).join(', ')}).`, { code: 'UNKNOWN_OPERATION' });
      }
    }
    const candidates = named ? [named] : this.groups;
    const known = candidates.flatMap((g) => g.operations.map((o) => `${o.name} (${o.method} ${o.path})`));
    const served = this.groups.map((g) => g.name).join(', ') || 'none';
    const scope = named ? `in action group "${groupName}"` : groupName === '' ? `in any action group (served: ${served})` : `in any action group (action group "${groupName}" is not served; served: ${served})`;
    throw new ActionError(404, `Unknown operation: ${wanted()} ${scope}. Known operations: ${known.join(', ') || 'none'}.`, { code: 'UNKNOWN_OPERATION' });
  }

  /**
   * Runs an operation and returns its outcome (never throws; synchronous when the handler is).
   * `rawInput` is coerced in place: pass an object this call owns.
   */
  run(op: Operation, rawInput: unknown, call: CallInfo): MaybePromise<Outcome> {
    return execute(op, rawInput, call, this.#settings);
  }

  /**
   * Runs a call for an agent door. `reader` finds the operation and builds its raw input from `source`
   * (a 4xx ActionError from it becomes the reply); the output is sized to `maxResponseBytes`.
   * Synchronous handlers are answered synchronously.
   */
  runForAgent<S>(call: CallInfo, source: S, reader: AgentCallReader<S>): MaybePromise<AgentReply> {
    let op: Operation;
    let input: unknown;
    try {
      op = reader.operation(this, source);
      input = reader.input(source);
    } catch (error) {
      const e = error instanceof ActionError ? error : new ActionError(400, 'Malformed event.', { code: 'BAD_REQUEST' });
      return errorReply(e.status, e.toJSON(), stringMap(call.session), stringMap(call.promptSession));
    }
    return mapMaybe(this.run(op, input, call), (outcome) => this.#agentReply(op, outcome, call));
  }

  #agentReply(op: Operation, outcome: Outcome, call: CallInfo): AgentReply {
    const { session, promptSession } = outcome;
    if (!outcome.ok) return errorReply(outcome.status, outcome.error, session, promptSession);
    let output = outcome.output;
    if (this.options.echoSessionAttributes && output !== null && typeof output === 'object' && !Array.isArray(output)) {
      output = { ...output, _receivedSessionAttributes: stringMap(call.session) };
    }
    const text = bodyText(output);
    if (fits(text, this.maxResponseBytes)) return { status: 200, body: text, value: output, session, promptSession };
    try {
      const shrunk = shrinkReply(op.name, output, text, this.maxResponseBytes, op.truncate);
      return { status: 200, body: shrunk.text, value: shrunk.value, session, promptSession };
    } catch (error) {
      const e = error as ActionError;
      return errorReply(e.status, e.toJSON(), session, promptSession);
    }
  }

  /**
   * Detects the door an event came through and answers in that door's shape. Rejects with an Error
   * naming the accepted shapes when no door recognises the event.
   */
  handle(event: unknown, lambdaContext?: LambdaContext): Promise<unknown> {
    try {
      const door = findDoor(event, lambdaContext, this);
      if (door) return Promise.resolve(door.handle(event, lambdaContext, this));
      throw new Error(`Unrecognised event (${describeValue(event)}). This router accepts: ${describeDoors(this)}.`);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Calls an operation directly with a raw (uncoerced) input. Resolves with the output; rejects with an
   * ActionError carrying the status and message a door would have sent.
   */
  async invoke(groupName: string, operationName: string, rawInput: unknown, call: Partial<CallInfo> = {}): Promise<unknown> {
    const group = this.group(groupName);
    if (!group) throw new ActionError(404, `Unknown action group "${groupName}"; served: ${this.groups.map((g) => g.name).join(', ') || 'none'}.`, { code: 'UNKNOWN_OPERATION' });
    const op = group.get(operationName);
    if (!op) throw new ActionError(404, `Unknown operation "${operationName}" in "${groupName}"; known: ${group.operations.map((o) => o.name).join(', ')}.`, { code: 'UNKNOWN_OPERATION' });
    const owned = rawInput !== null && typeof rawInput === 'object' && !Array.isArray(rawInput) ? { ...rawInput } : rawInput;
    const outcome = await this.run(op, owned, { door: 'invoke', ...call });
    if (outcome.ok) return outcome.output;
    throw new ActionError(outcome.status, outcome.error.message, { code: outcome.error.code, details: outcome.error.details });
  }

  /**
   * Runs every entry of an InvokeAgent `returnControl` payload and returns the
   * `returnControlInvocationResults` array to send back with the payload's `invocationId`.
   */
  returnControl(payload: ReturnControlPayload, options: ReturnControlOptions = {}): Promise<ReturnControlResult[]> {
    return runReturnControl(this, payload, options);
  }
}

function errorReply(status: number, error: ErrorBody, session: Record<string, string>, promptSession: Record<string, string>): AgentReply {
  const value = { error };
  return { status, body: JSON.stringify(value), value, session, promptSession };
}

/** Creates a router; add groups with `.add(group)`. */
export function createRouter(options?: RouterOptions): Router {
  return new Router(options);
}
