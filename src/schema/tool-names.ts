import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { whereOf } from './names.js';

/** What a tool name may be so that every MCP client and Bedrock Converse accepts it. */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** One agent-callable operation with the tool name it is published under. */
export interface NamedTool {
  readonly name: string;
  readonly op: Operation;
}

/**
 * The tools of a set of groups (MCP, Converse): one per agent-callable operation, named by the operation;
 * an operation name that several groups use becomes `<Group>_<operation>` for each of them. Throws naming
 * the operation when a name is not `[A-Za-z0-9_-]{1,64}` or two tools would still share one.
 */
export function namedTools(groups: readonly ActionGroup[]): NamedTool[] {
  const ops = groups.flatMap((group) => operationsFor(group, 'agent'));
  const uses = new Map<string, number>();
  for (const op of ops) uses.set(op.name, (uses.get(op.name) ?? 0) + 1);
  const taken = new Map<string, Operation>();
  return ops.map((op) => {
    const name = (uses.get(op.name) ?? 0) > 1 ? `${op.group.name}_${op.name}` : op.name;
    if (!TOOL_NAME.test(name)) {
      throw new Error(`${whereOf(op, op.group)}: its tool name "${name}" must be 1 to 64 letters, digits, "_" or "-" (MCP clients and Converse refuse others); shorten the operation or group name.`);
    }
    const other = taken.get(name);
    if (other) throw new Error(`${whereOf(op, op.group)}: its tool name "${name}" is also the tool name of ${whereOf(other, other.group)}; rename one.`);
    taken.set(name, op);
    return { name, op };
  });
}

/** The groups of a router-like source (anything with `groups`) or of one group. */
export function groupsOf(source: ActionGroup | { readonly groups: readonly ActionGroup[] }): readonly ActionGroup[] {
  return 'groups' in source && Array.isArray(source.groups) ? source.groups : [source as ActionGroup];
}
