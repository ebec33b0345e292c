import type { CallInfo } from './context.js';
import type { Logger } from './logger.js';
import type { ActionGroup } from './operation.js';
import { registryOf, type RegistryOptions } from './registry.js';

/** Calls operations in process, as `router.invoke` does, with no door behind it (see {@link createInvoker}). */
export interface Invoker {
  /**
   * Calls an operation directly with a raw (uncoerced) input: roles, coercion, validation and the
   * handler's deadline apply as on every door. Resolves with the output; rejects with an ActionError
   * carrying the status and message a door would have sent. Reaches every operation, whatever its `doors`.
   */
  invoke(groupName: string, operationName: string, rawInput: unknown, call?: Partial<CallInfo>): Promise<unknown>;
  /** The groups served, in the order given. */
  readonly groups: readonly ActionGroup[];
  /** The logger operations write to. */
  readonly logger: Logger;
}

/**
 * The operations of these groups, callable in process with no door at all: a script, a test or another
 * framework's server code that only calls `invoke`. It runs exactly what `router.invoke` runs, but a
 * bundle that imports only this carries no door and no schema generator (see the README's bundle sizes).
 * Group names must be unique (throws naming the repeated one).
 */
export function createInvoker(groups: ActionGroup | readonly ActionGroup[], options: RegistryOptions = {}): Invoker {
  const registry = registryOf('createInvoker', groups, options);
  return {
    invoke: (groupName, operationName, rawInput, call) => registry.invoke(groupName, operationName, rawInput, call),
    groups: registry.groups,
    logger: registry.logger,
  };
}
