import type { FieldInfo } from '../core/fields.js';
import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { parameterDescription } from './function-schema.js';
import { isJsonObject, jsonSchemaOf } from './json-schema.js';
import { NAME_PATTERN, TOOL_NAME_MAX, toolNameOf, whereOf } from './names.js';

/** Stable identifiers of the rules {@link lintBedrock} checks. */
export type LintRule =
  | 'max-operations'
  | 'group-description-length'
  | 'name-pattern'
  | 'double-underscore'
  | 'tool-name-length'
  | 'operation-description'
  | 'function-description-length'
  | 'parameter-description'
  | 'parameter-description-length'
  | 'function-object-parameter'
  | 'unique-operation-id'
  | 'unique-route'
  | 'schema-unrepresentable';

/** One reason Bedrock would reject (or a model would misuse) a group's schemas. */
export interface LintProblem {
  /** The operation concerned; absent for problems of the group itself. */
  operation?: string;
  rule: LintRule;
  /** What is wrong and what to change. */
  message: string;
}

/** Default "APIs per agent" quota of Bedrock Agents (adjustable; counts every API an agent has). */
export const MAX_OPERATIONS = 11;
/** Bedrock action group `description` length limit. */
export const GROUP_DESCRIPTION_MAX = 200;
/** Bedrock `Function.description` length limit. */
export const FUNCTION_DESCRIPTION_MAX = 1200;
/** Bedrock `ParameterDetail.description` length limit. */
export const PARAMETER_DESCRIPTION_MAX = 500;

const PARAMETER_KINDS: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'array']);

function nameProblems(kind: string, name: string, operation?: string): LintProblem[] {
  const at = operation === undefined ? {} : { operation };
  if (name.includes('__')) {
    return [{ ...at, rule: 'double-underscore', message: `${kind} name "${name}" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".` }];
  }
  if (!NAME_PATTERN.test(name)) {
    return [{ ...at, rule: 'name-pattern', message: `${kind} name "${name}" does not match ([0-9a-zA-Z][_-]?){1,100}; use letters and digits, optionally separated by single "_" or "-", at most 100 groups.` }];
  }
  return [];
}

function fieldProblems(op: Operation, field: FieldInfo, where: string): LintProblem[] {
  const at = { operation: op.name };
  const problems = nameProblems(`${where}: parameter`, field.name, op.name);
  if (!PARAMETER_KINDS.has(field.kind)) {
    problems.push({ ...at, rule: 'function-object-parameter', message: `${where}: parameter "${field.name}" is an object, which function details cannot carry; flatten it into separate scalar fields.` });
  }
  if (!field.description?.trim()) {
    problems.push({ ...at, rule: 'parameter-description', message: `${where}: parameter "${field.name}" has no description; add .describe('…') saying what the value is and its format.` });
  }
  let items: unknown;
  try {
    items = jsonSchemaOf(field.schema, `${where}, field "${field.name}"`).items;
    const text = parameterDescription(field, where) ?? '';
    if (text.length > PARAMETER_DESCRIPTION_MAX) {
      problems.push({ ...at, rule: 'parameter-description-length', message: `${where}: the description of parameter "${field.name}" is ${text.length} characters with its constraints; Bedrock allows ${PARAMETER_DESCRIPTION_MAX}. Shorten it by ${text.length - PARAMETER_DESCRIPTION_MAX}.` });
    }
  } catch (error) {
    problems.push({ ...at, rule: 'schema-unrepresentable', message: (error as Error).message });
  }
  // Fields of objects inside an array reach the model only through their descriptions.
  if (isJsonObject(items) && isJsonObject(items.properties)) {
    for (const [name, prop] of Object.entries(items.properties)) {
      if (!(isJsonObject(prop) && typeof prop.description === 'string' && prop.description.trim())) {
        problems.push({ ...at, rule: 'parameter-description', message: `${where}: field "${name}" of the items of "${field.name}" has no description; add .describe('…') to it.` });
      }
    }
  }
  return problems;
}

function operationProblems(op: Operation, group: ActionGroup): LintProblem[] {
  const where = whereOf(op, group);
  const at = { operation: op.name };
  const problems = nameProblems('Operation', op.name, op.name);
  const tool = toolNameOf(op, group);
  if (tool.length > TOOL_NAME_MAX) {
    problems.push({ ...at, rule: 'tool-name-length', message: `${where}: Bedrock names the tool "${tool}" (${tool.length} characters, at most ${TOOL_NAME_MAX}); shorten the group or operation name by ${tool.length - TOOL_NAME_MAX}.` });
  }
  const description = typeof op.description === 'string' ? op.description.trim() : '';
  if (description === '') {
    problems.push({ ...at, rule: 'operation-description', message: `${where} has no description; say what it does and when the model should use it.` });
  } else if (op.description.length > FUNCTION_DESCRIPTION_MAX) {
    problems.push({ ...at, rule: 'function-description-length', message: `${where}: the description is ${op.description.length} characters; Bedrock allows ${FUNCTION_DESCRIPTION_MAX} for a function. Shorten it by ${op.description.length - FUNCTION_DESCRIPTION_MAX}.` });
  }
  for (const field of op.fields ?? []) problems.push(...fieldProblems(op, field, where));
  if (op.output) {
    try {
      jsonSchemaOf(op.output, `${where}, output`);
    } catch (error) {
      problems.push({ ...at, rule: 'schema-unrepresentable', message: (error as Error).message });
    }
  }
  return problems;
}

/**
 * Checks a group against what Bedrock Agents accept and what a model needs, before any schema is written:
 * at most 11 operations (the default "APIs per agent" quota); a group description within 200 characters; names matching `([0-9a-zA-Z][_-]?){1,100}`
 * without `__`; `<method>__<group>__<operation>` within 64 characters; every operation and parameter
 * described, within 1200 and 500 characters (parameter descriptions counted with the constraints written
 * into them); no object-typed parameter in function form; unique operationIds and method + path pairs;
 * schemas OpenAPI 3.0 can express. Operations with `doors: { agent: false }` are no agent's concern and
 * are not checked. Returns every problem (empty when the group is fine).
 */
export function lintBedrock(group: ActionGroup): LintProblem[] {
  const problems = nameProblems('Group', group.name);
  const operations = operationsFor(group, 'agent');
  if (operations.length > MAX_OPERATIONS) {
    problems.push({ rule: 'max-operations', message: `Group "${group.name}" has ${operations.length} operations; Bedrock allows ${MAX_OPERATIONS} APIs per agent by default. Split it into smaller groups (on separate agents) or remove ${operations.length - MAX_OPERATIONS}.` });
  }
  if (group.description.length > GROUP_DESCRIPTION_MAX) {
    problems.push({ rule: 'group-description-length', message: `Group "${group.name}": the description is ${group.description.length} characters; Bedrock allows ${GROUP_DESCRIPTION_MAX} for an action group. Shorten it by ${group.description.length - GROUP_DESCRIPTION_MAX} and move detail into the operation descriptions.` });
  }
  const names = new Set<string>();
  const routes = new Map<string, string>();
  for (const op of operations) {
    if (names.has(op.name)) {
      problems.push({ operation: op.name, rule: 'unique-operation-id', message: `Group "${group.name}" has more than one operation named "${op.name}"; operationIds must be unique, so rename one.` });
    }
    names.add(op.name);
    const route = `${op.method} ${op.path}`;
    const taken = routes.get(route);
    if (taken !== undefined) {
      problems.push({ operation: op.name, rule: 'unique-route', message: `${whereOf(op, group)} uses ${route}, already used by "${taken}"; give it its own path or method.` });
    } else {
      routes.set(route, op.name);
    }
    problems.push(...operationProblems(op, group));
  }
  return problems;
}
