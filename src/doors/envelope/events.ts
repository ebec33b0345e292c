import { ActionGroup, type Operation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { isRecord } from '../../util/is-record.js';
import type { EnvelopeEvents } from './types.js';

function groupOnRouter(registry: Registry, group: ActionGroup): ActionGroup {
  if (registry.group(group.name) !== group) {
    throw new Error(`router.envelope: the group "${group.name}" is not on this router; add it first (router.add(group)): the envelope never adds groups`);
  }
  return group;
}

/** The operation a `'Group.operation'` target names, which must be on the router. */
function operationAt(registry: Registry, event: string, target: unknown): Operation {
  const dot = typeof target === 'string' ? target.indexOf('.') : -1;
  if (dot <= 0) throw new Error(`router.envelope: event "${event}" must name an operation as "Group.operation", got ${JSON.stringify(target)}`);
  const text = target as string;
  const group = registry.group(text.slice(0, dot));
  const op = group?.get(text.slice(dot + 1));
  if (op) return op;
  const served = registry.groups.flatMap((g) => g.operations.map((o) => `${g.name}.${o.name}`)).join(', ') || 'none';
  throw new Error(`router.envelope: event "${event}" names "${text}", which is not an operation on this router (add its group first; operations: ${served})`);
}

/**
 * The operation of each event name, checked when `router.envelope` is called: every operation must be on
 * the router already, and no name may be given twice. A group contributes the operations it has now.
 */
export function resolveEvents(registry: Registry, events: EnvelopeEvents): Map<string, Operation> {
  const entries = Array.isArray(events) ? events : [events];
  const byName = new Map<string, Operation>();
  const add = (name: string, op: Operation) => {
    if (byName.has(name)) throw new Error(`router.envelope: the event "${name}" is given twice`);
    byName.set(name, op);
  };
  for (const entry of entries as readonly unknown[]) {
    if (entry instanceof ActionGroup) for (const op of groupOnRouter(registry, entry).operations) add(op.name, op);
    else if (isRecord(entry)) for (const [name, target] of Object.entries(entry)) add(name, operationAt(registry, name, target));
    else throw new Error('router.envelope: "events" must map event names to "Group.operation", or be a group (or a list of those)');
  }
  if (byName.size === 0) throw new Error('router.envelope: "events" names no event');
  return byName;
}
