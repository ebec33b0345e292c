import type { CallInfo } from './context.js';
import { ActionError, clip } from './errors.js';
import { copyInput } from './input.js';
import { execute, type ExecuteSettings, type InvocationRecord, type Outcome, type OutcomeThen } from './execute.js';
import { createLogger, type Logger } from './logger.js';
import { ActionGroup, type Operation } from './operation.js';
import type { MaybePromise } from '../util/maybe-async.js';

/** The options of the core registry (part of the router's options). */
export interface RegistryOptions {
  /** Logger for operations and the router itself; default: JSON lines on stdout with `BUILD_TAG`. */
  logger?: Logger;
  /** Called once per operation call, for usage analytics; errors it throws are logged and ignored. */
  onInvocation?: (record: InvocationRecord) => void;
}

/** A group as mounted on a router, with its HTTP path prefix (`''` for none). */
export interface Mounted {
  readonly group: ActionGroup;
  readonly prefix: string;
}

/**
 * The groups a router serves and the one way to run their operations. Doors are built over it: they find
 * an operation, run it, and turn the outcome into their wire format. It knows no door.
 */
export class Registry {
  readonly logger: Logger;
  readonly #mounted: Mounted[] = [];
  readonly #byName = new Map<string, ActionGroup>();
  readonly #settings: ExecuteSettings;

  constructor(options: RegistryOptions = {}) {
    this.logger = options.logger ?? createLogger();
    this.#settings = { logger: this.logger, onInvocation: options.onInvocation };
  }

  /** The groups served, in the order they were added. */
  get groups(): readonly ActionGroup[] {
    return this.#mounted.map((m) => m.group);
  }

  /** The groups with their HTTP prefixes. */
  get mounted(): readonly Mounted[] {
    return this.#mounted;
  }

  /** Serves a group under an optional path prefix. Group names must be unique. */
  add(group: ActionGroup, prefix = ''): void {
    if (this.#byName.has(group.name)) throw new Error(`Router: a group named "${group.name}" was already added`);
    const clean = prefix.replace(/\/+$/, '');
    if (clean && !clean.startsWith('/')) throw new Error(`Router: prefix "${clean}" must start with "/"`);
    this.#mounted.push({ group, prefix: clean });
    this.#byName.set(group.name, group);
  }

  /** The group with this name, if served. */
  group(name: string): ActionGroup | undefined {
    return this.#byName.get(name);
  }

  /**
   * The operation an agent names (a function, or an AgentCore tool); a 404 listing what agents may call
   * when none. Operations with `doors.agent: false` are not there for agents.
   */
  agentOperationByName(groupName: string, name: string, noun: 'function' | 'tool' = 'function'): Operation {
    const op = this.group(groupName)?.get(name);
    if (op !== undefined && op.doors.agent) return op;
    return this.#resolveElsewhere(groupName, (g) => agentOnly(g.get(name)), () => `${noun} "${clip(name)}"`);
  }

  /** The operation an agent calls at an OpenAPI path template and method; a 404 like {@link agentOperationByName}. */
  agentOperationByRoute(groupName: string, method: string, path: string): Operation {
    const op = this.group(groupName)?.route(method, path);
    if (op !== undefined && op.doors.agent) return op;
    return this.#resolveElsewhere(groupName, (g) => agentOnly(g.route(method, path)), () => `${clip(method, 10)} ${clip(path)}`);
  }

  /**
   * When the named group lacks the operation: if no group has that name, the one group that has a
   * matching operation (so an agent's action group may be named differently). Else a 404.
   */
  #resolveElsewhere(groupName: string, find: (g: ActionGroup) => Operation | undefined, wanted: () => string): Operation {
    const named = this.group(groupName);
    const groups = this.groups;
    if (!named) {
      const found = groups.map(find).filter((op): op is Operation => op !== undefined);
      if (found.length === 1) return found[0] as Operation;
      if (found.length > 1) {
        throw new ActionError(404, `Action group "${clip(groupName)}" is not served here and ${wanted()} exists in several groups (${found.map((o) => o.group.name).join(', ')}).`, { code: 'UNKNOWN_OPERATION' });
      }
    }
    const candidates = named ? [named] : groups;
    const known = candidates.flatMap((g) => g.operations.filter((o) => o.doors.agent).map((o) => `${o.name} (${o.method} ${o.path})`));
    const served = groups.map((g) => g.name).join(', ') || 'none';
    const scope = named ? `in action group "${groupName}"` : groupName === '' ? `in any action group (served: ${served})` : `in any action group (action group "${clip(groupName)}" is not served; served: ${served})`;
    throw new ActionError(404, `Unknown operation: ${wanted()} ${scope}. Known operations: ${known.join(', ') || 'none'}.`, { code: 'UNKNOWN_OPERATION' });
  }

  /**
   * Runs an operation and returns its outcome (never throws; synchronous when the handler is).
   * `rawInput` is coerced in place: pass an object this call owns. `then` maps the outcome in the same
   * step (see `OutcomeThen`).
   */
  run(op: Operation, rawInput: unknown, call: CallInfo): MaybePromise<Outcome>;
  run<R>(op: Operation, rawInput: unknown, call: CallInfo, then: OutcomeThen<R>): MaybePromise<R>;
  run(op: Operation, rawInput: unknown, call: CallInfo, then?: OutcomeThen<unknown>): unknown {
    return then ? execute(op, rawInput, call, this.#settings, then) : execute(op, rawInput, call, this.#settings);
  }

  /**
   * Calls an operation directly, whatever its `doors` (a trusted in-process call). Resolves with the
   * output; rejects with an ActionError carrying the status and message a door would have sent.
   */
  async invoke(groupName: string, operationName: string, rawInput: unknown, call: Partial<CallInfo> = {}): Promise<unknown> {
    const group = this.group(groupName);
    if (!group) throw new ActionError(404, `Unknown action group "${clip(groupName)}"; served: ${this.groups.map((g) => g.name).join(', ') || 'none'}.`, { code: 'UNKNOWN_OPERATION' });
    const op = group.get(operationName);
    if (!op) throw new ActionError(404, `Unknown operation "${clip(operationName)}" in "${groupName}"; known: ${group.operations.map((o) => o.name).join(', ')}.`, { code: 'UNKNOWN_OPERATION' });
    const owned = rawInput !== null && typeof rawInput === 'object' && !Array.isArray(rawInput) ? copyInput(rawInput as Record<string, unknown>) : rawInput;
    const outcome = await this.run(op, owned, { door: 'invoke', ...call });
    if (outcome.ok) return outcome.output;
    throw new ActionError(outcome.status, outcome.error.message, { code: outcome.error.code, details: outcome.error.details, ...(outcome.headers ? { headers: outcome.headers } : {}) });
  }
}

/** A registry of these groups (one, or a list), for the entry points built on a bare registry; `who` names the function in errors. */
export function registryOf(who: string, groups: ActionGroup | readonly ActionGroup[], options: RegistryOptions): Registry {
  const registry = new Registry(options);
  for (const group of Array.isArray(groups) ? groups : [groups]) {
    if (!(group instanceof ActionGroup)) throw new TypeError(`${who}: expected a group from actionGroup() or a list of them`);
    registry.add(group);
  }
  return registry;
}

function agentOnly(op: Operation | undefined): Operation | undefined {
  return op !== undefined && op.doors.agent ? op : undefined;
}
