import type { z } from 'zod';
import type { ActionContext } from './context.js';
import type { ErrorBody } from './errors.js';
import { compileInputCoercer } from './coerce.js';
import { compileInBackground } from './compile-schema.js';
import { describeFields, type FieldInfo } from './fields.js';
import { compileListReader, type ListReader } from './input.js';
import type { GroupProbes, Probe, ProbeOptions } from './health.js';

/** HTTP methods an operation can use (Bedrock's OpenAPI action groups accept these). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Any flat zod object usable as an operation's input. */
export type InputSchema = z.ZodObject<z.ZodRawShape>;

/** What a handler may return: the output type when `output` is given, else anything JSON-serialisable. */
export type HandlerResult<O> = O extends z.ZodType ? z.input<O> : unknown;

/** Everything that defines one operation. */
export interface OperationConfig<I extends InputSchema = InputSchema, O extends z.ZodType | undefined = z.ZodType | undefined> {
  /** operationId (OpenAPI), function name (function details) and tool name (AgentCore). Pattern `([0-9a-zA-Z][_-]?){1,100}`. */
  name: string;
  /** HTTP method in OpenAPI form and over HTTP. */
  method: HttpMethod;
  /** OpenAPI path; `{placeholders}` must be fields of `input`. */
  path: string;
  /** What the operation does and when the model should use it (≤ 1200 characters for function details). */
  description: string;
  /** Short OpenAPI summary. */
  summary?: string;
  /** One flat `z.object`; every field described with `.describe()`. */
  input: I;
  /** Schema of the successful reply; documents the 200 response and AgentCore's `outputSchema`. */
  output?: O;
  /** Roles allowed to call this operation; replaces the group's list. Fails closed: no role, no call. */
  allowedRoles?: readonly string[];
  /** Ask the user to confirm before the agent calls it (`x-requireConfirmation` / `requireConfirmation`). */
  requireConfirmation?: boolean;
  /** Abort after this many milliseconds: `ctx.signal` aborts and the caller gets a 504. */
  timeoutMs?: number;
  /** When the reply is over `maxResponseBytes`, shorten its arrays and add `truncated: true` instead of a 413. */
  truncate?: boolean;
  /** Largest HTTP request body accepted, in bytes (default: the router's `maxBodyBytes`). */
  maxBodyBytes?: number;
  /**
   * Which doors may call it (both default `true`). `agent: false` keeps it out of every agent schema and
   * the lint, and agent doors (Bedrock, return of control, AgentCore) answer 404; `http: false` answers
   * 404 over HTTP and keeps it out of `GET /openapi.json`. `router.invoke` calls it either way.
   */
  doors?: OperationDoors;
  /** The implementation: gets the validated input and the context. */
  handler: (input: z.output<I>, ctx: ActionContext) => Promise<HandlerResult<O>> | HandlerResult<O>;
}

/** The `doors` option of an operation: which kinds of door may call it. */
export interface OperationDoors {
  /** Bedrock Agents (OpenAPI and function details), return of control and AgentCore Gateway (default `true`). */
  agent?: boolean;
  /** HTTP: API Gateway, Function URLs, `router.fetch`, node and Express (default `true`). */
  http?: boolean;
}

/** One operation of an {@link ActionGroup}, normalised and checked. */
export interface Operation extends Readonly<Omit<OperationConfig, 'handler' | 'requireConfirmation' | 'truncate' | 'doors'>> {
  readonly group: ActionGroup;
  readonly requireConfirmation: boolean;
  readonly truncate: boolean;
  /** Which kinds of door may call it, defaults applied. */
  readonly doors: Readonly<Required<OperationDoors>>;
  /** Placeholders of `path`, in order. */
  readonly pathParams: readonly string[];
  /** Every input field with its location and kind. */
  readonly fields: readonly FieldInfo[];
  readonly handler: (input: unknown, ctx: ActionContext) => unknown;
  /** @internal Coerces a raw input (owned by the call) in place, by the fields' zod types. */
  readonly coerce: (raw: Record<string, unknown>) => Record<string, unknown>;
  /** @internal Reads a `{ name, value }` list into a raw input (what the Bedrock doors and return of control use). */
  readonly readList: ListReader;
  /** @internal What validates the coerced input: `input`, or its compiled clone once ready. */
  validator: InputSchema;
}

/** Options of {@link actionGroup}. */
export interface ActionGroupConfig {
  /** Action group name, as configured on the agent. Pattern `([0-9a-zA-Z][_-]?){1,100}`. */
  name: string;
  /** What the group is for; becomes the OpenAPI `info.description`. */
  description: string;
  /** Roles allowed to call every operation of the group (an operation's own list replaces it). */
  allowedRoles?: readonly string[];
  /**
   * How the HTTP door wraps the replies of this group's operations, so a group can speak the contract its
   * web clients already use. Agent doors and `router.invoke` are unaffected.
   */
  http?: GroupHttpReplies;
}

/** What the `http` wrappers of a group are told about the reply they shape. */
export interface HttpReplyInfo {
  /** The operation that answered (or was being called). */
  operation: string;
  /** The HTTP status of the reply, which the wrapper does not change. */
  status: number;
}

/** The `http` option of a group: the JSON body of its HTTP replies. */
export interface GroupHttpReplies {
  /** The body of a successful reply, from the operation's output (default: the output itself; `undefined` is a 204). */
  reply?: (output: unknown, info: HttpReplyInfo) => unknown;
  /**
   * The body of a failed reply of one of the group's routes — a refused input, role or identity, a body
   * too large, a handler's error — (default: `{ error: { code, message, details? } }`).
   */
  error?: (error: ErrorBody, info: HttpReplyInfo) => unknown;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH']);

/** True when the method carries a JSON body in OpenAPI form. */
export function hasBody(method: HttpMethod): boolean {
  return BODY_METHODS.has(method);
}

/** The operations of a group that doors of this kind may call, in order. */
export function operationsFor(group: ActionGroup, kind: keyof OperationDoors): readonly Operation[] {
  const ops = group.operations;
  return ops.every((op) => op.doors[kind]) ? ops : ops.filter((op) => op.doors[kind]);
}

function doorsOf(doors: OperationDoors | undefined, where: string): Readonly<Required<OperationDoors>> {
  if (doors === undefined) return ALL_DOORS;
  if (doors === null || typeof doors !== 'object' || Array.isArray(doors)) throw new Error(`${where}: "doors" must be an object like { agent?: boolean, http?: boolean }`);
  for (const key of Object.keys(doors)) {
    if (key !== 'agent' && key !== 'http') throw new Error(`${where}: "doors" has an unknown key "${key}"; use "agent" and "http"`);
    const value = (doors as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'boolean') throw new Error(`${where}: "doors.${key}" must be true or false, got ${JSON.stringify(value)}`);
  }
  const agent = doors.agent ?? true;
  const http = doors.http ?? true;
  if (!agent && !http) throw new Error(`${where}: "doors" turns off every door; keep "agent" or "http" true`);
  return agent && http ? ALL_DOORS : Object.freeze({ agent, http });
}

function httpRepliesOf(http: GroupHttpReplies, group: string): Readonly<GroupHttpReplies> {
  if (http === null || typeof http !== 'object' || Array.isArray(http)) throw new Error(`actionGroup "${group}": "http" must be an object like { reply?, error? }`);
  for (const key of Object.keys(http)) {
    if (key !== 'reply' && key !== 'error') throw new Error(`actionGroup "${group}": "http" has an unknown key "${key}"; use "reply" and "error"`);
    const value = (http as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'function') throw new Error(`actionGroup "${group}": "http.${key}" must be a function`);
  }
  return Object.freeze({ ...http });
}

const ALL_DOORS: Readonly<Required<OperationDoors>> = Object.freeze({ agent: true, http: true });

/** Placeholders of a path template: `/a/{b}/c/{d}` → `['b', 'd']`. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] as string);
}

/** A named set of operations: one Bedrock action group, one OpenAPI document, one set of tools. */
export class ActionGroup {
  readonly name: string;
  readonly description: string;
  readonly allowedRoles?: readonly string[];
  /** How the HTTP door wraps this group's replies (the `http` option). */
  readonly http?: Readonly<GroupHttpReplies>;
  readonly #operations = new Map<string, Operation>();
  #list: readonly Operation[] = [];
  readonly #routes = new Map<string, Map<string, Operation>>();
  readonly #probes = new Map<string, { probe: Probe; required: boolean }>();

  constructor(config: ActionGroupConfig) {
    if (!config || typeof config.name !== 'string' || config.name.trim() === '') throw new Error('actionGroup: "name" is required');
    if (typeof config.description !== 'string' || config.description.trim() === '') {
      throw new Error(`actionGroup "${config.name}": "description" is required`);
    }
    this.name = config.name;
    this.description = config.description;
    if (config.allowedRoles) this.allowedRoles = [...config.allowedRoles];
    if (config.http !== undefined) this.http = httpRepliesOf(config.http, config.name);
  }

  /** The operations, in the order they were added. */
  get operations(): readonly Operation[] {
    return this.#list;
  }

  /**
   * Registers a health probe of a dependency the group talks to (its upstream API, a resolver): every
   * router serving the group reports it on `GET /health` under `name`, unless the router registers that
   * name itself. Returns the group.
   */
  probe(name: string, probe: Probe, options: ProbeOptions = {}): this {
    if (typeof probe !== 'function') throw new Error(`Group "${this.name}": probe "${name}" must be a function`);
    if (this.#probes.has(name)) throw new Error(`Group "${this.name}": probe "${name}" is already registered`);
    this.#probes.set(name, { probe, required: options.required ?? true });
    return this;
  }

  /** The group's health probes by service name. */
  get probes(): GroupProbes {
    return this.#probes;
  }

  /** The operation with this name, if any. */
  get(name: string): Operation | undefined {
    return this.#operations.get(name);
  }

  /** The operation at this OpenAPI path template and method (upper case), if any. */
  route(method: string, path: string): Operation | undefined {
    return this.#routes.get(path)?.get(method);
  }

  /**
   * Adds an operation and returns the group, so calls chain. Checks the definition now and throws an
   * Error naming the operation when a name repeats, a path placeholder has no input field, or a field
   * has a shape some door cannot carry.
   */
  operation<I extends InputSchema, O extends z.ZodType | undefined = undefined>(config: OperationConfig<I, O>): this {
    const where = `Operation "${config?.name}" in group "${this.name}"`;
    if (!config || typeof config.name !== 'string' || config.name === '') throw new Error(`Group "${this.name}": an operation needs a "name"`);
    if (this.#operations.has(config.name)) throw new Error(`${where}: the name is already used in this group`);
    if (!METHODS.includes(config.method)) throw new Error(`${where}: "method" must be one of ${METHODS.join(', ')}, got ${String(config.method)}`);
    if (typeof config.path !== 'string' || !config.path.startsWith('/')) throw new Error(`${where}: "path" must start with "/"`);
    if (typeof config.description !== 'string' || config.description.trim() === '') throw new Error(`${where}: "description" is required`);
    if (typeof config.handler !== 'function') throw new Error(`${where}: "handler" must be a function`);
    const input = config.input as unknown as { _zod?: { def?: { type?: string; shape?: Record<string, z.ZodType> } } };
    if (input?._zod?.def?.type !== 'object' || !input._zod.def.shape) throw new Error(`${where}: "input" must be a z.object({...})`);
    const shape = input._zod.def.shape;
    const pathParams = pathParamsOf(config.path);
    for (const p of pathParams) {
      if (!(p in shape)) throw new Error(`${where}: path placeholder {${p}} is not a field of "input"`);
    }
    if (config.timeoutMs !== undefined && !(config.timeoutMs > 0)) throw new Error(`${where}: "timeoutMs" must be a positive number`);
    const taken = this.route(config.method, config.path);
    if (taken) throw new Error(`${where}: ${config.method} ${config.path} is already operation "${taken.name}"`);
    const doors = doorsOf(config.doors, where);
    const body = hasBody(config.method);
    const fields = describeFields(shape, (n) => (pathParams.includes(n) ? 'path' : body ? 'body' : 'query'), where);
    for (const f of fields) if (f.location === 'path' && !f.required) throw new Error(`${where}: path parameter "${f.name}" cannot be optional`);
    const { handler, requireConfirmation, truncate, doors: _doors, ...rest } = config;
    const op: Operation = {
      ...rest,
      group: this,
      requireConfirmation: requireConfirmation ?? false,
      truncate: truncate ?? false,
      doors,
      pathParams,
      fields,
      coerce: compileInputCoercer(shape, config.name),
      readList: compileListReader(Object.keys(shape)),
      validator: config.input,
      handler: handler as Operation['handler'],
    };
    // Every check has passed: only now does the group change, so a definition that throws leaves it as it was.
    this.#operations.set(config.name, op);
    this.#list = Object.freeze([...this.#operations.values()]);
    let byMethod = this.#routes.get(config.path);
    if (!byMethod) this.#routes.set(config.path, (byMethod = new Map()));
    byMethod.set(config.method, op);
    compileInBackground(config.input, (compiled) => {
      op.validator = compiled;
    });
    return this;
  }
}

/**
 * Starts an action group: `actionGroup({ name, description }).operation({...}).operation({...})`.
 */
export function actionGroup(config: ActionGroupConfig): ActionGroup {
  return new ActionGroup(config);
}
