import type { ActionGroup, Operation } from '../core/operation.js';

/** Bedrock's pattern for action group, function and parameter names (`([0-9a-zA-Z][_-]?){1,100}`). */
export const NAME_PATTERN = /^([0-9a-zA-Z][_-]?){1,100}$/;

/** Longest tool name Bedrock builds from a group and an operation. */
export const TOOL_NAME_MAX = 64;

/** `Operation "x" in group "y"`: how errors and problems name an operation. */
export function whereOf(op: Pick<Operation, 'name'>, group: Pick<ActionGroup, 'name'>): string {
  return `Operation "${op.name}" in group "${group.name}"`;
}

/** The tool name Bedrock gives the model for an OpenAPI operation: `<method>__<group>__<operation>`. */
export function toolNameOf(op: Pick<Operation, 'name' | 'method'>, group: Pick<ActionGroup, 'name'>): string {
  return `${op.method}__${group.name}__${op.name}`;
}
