import type { FieldInfo } from '../core/fields.js';
import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { parameterDescription } from './function-schema.js';
import { isJsonObject, jsonSchemaOf } from './json-schema.js';
import { NAME_PATTERN, TOOL_NAME_MAX, toolNameOf, whereOf } from './names.js';

/** Rules whose problems Bedrock rejects, or that the schemas of this library promise (always reported). */
export type LintErrorRule =
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

/** Advice: Bedrock accepts these, but a model uses the tool worse (reported with `{ warnings: true }` only). */
export type LintWarningRule = 'nested-field-description' | 'short-description' | 'get-many-parameters' | 'duplicate-description';

/** Stable identifiers of the rules {@link lintBedrock} checks. */
export type LintRule = LintErrorRule | LintWarningRule;

/** `'error'`: Bedrock rejects it (the CLI writes nothing). `'warning'`: advice (fatal only with `--strict`). */
export type LintSeverity = 'error' | 'warning';

/** One reason Bedrock would reject (or a model would misuse) a group's schemas. */
export interface LintProblem {
  /** The operation concerned; absent for problems of the group itself. */
  operation?: string;
  rule: LintRule;
  /** What is wrong and what to change. */
  message: string;
  /** Present on every problem when {@link lintBedrock} was asked for `{ warnings: true }`. */
  severity?: LintSeverity;
}

/** A problem as returned with `{ warnings: true }`: its severity is always set. */
export type LintFinding = LintProblem & { severity: LintSeverity };

/** Options of {@link lintBedrock}. */
export interface LintOptions {
  /** Also return advice (`severity: 'warning'`), and set `severity` on every problem. Default `false`: errors only. */
  warnings?: boolean;
}

/** Default "APIs per agent" quota of Bedrock Agents (adjustable; counts every API an agent has). */
export const MAX_OPERATIONS = 11;
/** Bedrock action group `description` length limit. */
export const GROUP_DESCRIPTION_MAX = 200;
/** Bedrock `Function.description` length limit. */
export const FUNCTION_DESCRIPTION_MAX = 1200;
/** Bedrock `ParameterDetail.description` length limit. */
export const PARAMETER_DESCRIPTION_MAX = 500;
/** Fewest words of an operation description that can say what it does and when to use it (warning below). */
export const OPERATION_DESCRIPTION_MIN_WORDS = 4;
/** Fewest words of a parameter description that say more than its name (warning below). */
export const PARAMETER_DESCRIPTION_MIN_WORDS = 2;
/** Most parameters of a GET before a model starts to leave some out or mix them up (warning above). */
export const GET_PARAMETERS_MAX = 8;

const PARAMETER_KINDS: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'array']);

const error = (rule: LintErrorRule, message: string, operation?: string): LintFinding =>
  ({ ...(operation === undefined ? {} : { operation }), rule, message, severity: 'error' });
const warning = (rule: LintWarningRule, message: string, operation?: string): LintFinding =>
  ({ ...(operation === undefined ? {} : { operation }), rule, message, severity: 'warning' });

const wordCount = (text: string) => text.split(/\s+/).filter((w) => /\w/u.test(w)).length;

function nameProblems(kind: string, name: string, operation?: string): LintFinding[] {
  if (name.includes('__')) {
    return [error('double-underscore', `${kind} name "${name}" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".`, operation)];
  }
  if (!NAME_PATTERN.test(name)) {
    return [error('name-pattern', `${kind} name "${name}" does not match ([0-9a-zA-Z][_-]?){1,100}; use letters and digits, optionally separated by single "_" or "-", with at most 100 letters and digits.`, operation)];
  }
  return [];
}

function fieldProblems(op: Operation, field: FieldInfo, where: string): LintFinding[] {
  const problems = nameProblems(`${where}: parameter`, field.name, op.name);
  if (!PARAMETER_KINDS.has(field.kind)) {
    problems.push(error('function-object-parameter', `${where}: parameter "${field.name}" is an object, which function details cannot carry; flatten it into separate scalar fields.`, op.name));
  }
  const own = field.description?.trim() ?? '';
  if (own === '') {
    problems.push(error('parameter-description', `${where}: parameter "${field.name}" has no description; add .describe('…') saying what the value is and its format.`, op.name));
  } else if (wordCount(own) < PARAMETER_DESCRIPTION_MIN_WORDS) {
    problems.push(warning('short-description', `${where}: the description of parameter "${field.name}" ("${own}") is under ${PARAMETER_DESCRIPTION_MIN_WORDS} words; say what the value is and its format.`, op.name));
  }
  let items: unknown;
  try {
    items = jsonSchemaOf(field.schema, `${where}, field "${field.name}"`).items;
    const text = parameterDescription(field, where) ?? '';
    if (text.length > PARAMETER_DESCRIPTION_MAX) {
      problems.push(error('parameter-description-length', `${where}: the description of parameter "${field.name}" is ${text.length} characters with its constraints; Bedrock allows ${PARAMETER_DESCRIPTION_MAX}. Shorten it by ${text.length - PARAMETER_DESCRIPTION_MAX}.`, op.name));
    }
  } catch (caught) {
    problems.push(error('schema-unrepresentable', (caught as Error).message, op.name));
  }
  // Fields of objects inside an array reach the model only through their descriptions, but Bedrock takes them without.
  if (isJsonObject(items) && isJsonObject(items.properties)) {
    for (const [name, prop] of Object.entries(items.properties)) {
      if (!(isJsonObject(prop) && typeof prop.description === 'string' && prop.description.trim())) {
        problems.push(warning('nested-field-description', `${where}: field "${name}" of the items of "${field.name}" has no description; add .describe('…') to it so the model knows what to put there.`, op.name));
      }
    }
  }
  return problems;
}

function operationProblems(op: Operation, group: ActionGroup): LintFinding[] {
  const where = whereOf(op, group);
  const problems = nameProblems('Operation', op.name, op.name);
  const tool = toolNameOf(op, group);
  if (tool.length > TOOL_NAME_MAX) {
    problems.push(error('tool-name-length', `${where}: Bedrock names the tool "${tool}" (${tool.length} characters, at most ${TOOL_NAME_MAX}); shorten the group or operation name by ${tool.length - TOOL_NAME_MAX}.`, op.name));
  }
  const description = typeof op.description === 'string' ? op.description.trim() : '';
  if (description === '') {
    problems.push(error('operation-description', `${where} has no description; say what it does and when the model should use it.`, op.name));
  } else if (op.description.length > FUNCTION_DESCRIPTION_MAX) {
    problems.push(error('function-description-length', `${where}: the description is ${op.description.length} characters; Bedrock allows ${FUNCTION_DESCRIPTION_MAX} for a function. Shorten it by ${op.description.length - FUNCTION_DESCRIPTION_MAX}.`, op.name));
  } else if (wordCount(description) < OPERATION_DESCRIPTION_MIN_WORDS) {
    problems.push(warning('short-description', `${where}: the description ("${description}") is under ${OPERATION_DESCRIPTION_MIN_WORDS} words; say what it does and when the model should use it.`, op.name));
  }
  const fields = op.fields ?? [];
  if (op.method === 'GET' && fields.length > GET_PARAMETERS_MAX) {
    problems.push(warning('get-many-parameters', `${where} is a GET with ${fields.length} parameters (advice: at most ${GET_PARAMETERS_MAX}); models fill long parameter lists poorly, so split it or move rarely used filters into a second operation.`, op.name));
  }
  for (const field of fields) problems.push(...fieldProblems(op, field, where));
  if (op.output) {
    try {
      jsonSchemaOf(op.output, `${where}, output`);
    } catch (caught) {
      problems.push(error('schema-unrepresentable', (caught as Error).message, op.name));
    }
  }
  return problems;
}

function groupProblems(group: ActionGroup): LintFinding[] {
  const problems = nameProblems('Group', group.name);
  const operations = operationsFor(group, 'agent');
  if (operations.length > MAX_OPERATIONS) {
    problems.push(error('max-operations', `Group "${group.name}" has ${operations.length} operations; Bedrock allows ${MAX_OPERATIONS} APIs per agent by default. Split it into smaller groups (on separate agents) or remove ${operations.length - MAX_OPERATIONS}.`));
  }
  if (group.description.length > GROUP_DESCRIPTION_MAX) {
    problems.push(error('group-description-length', `Group "${group.name}": the description is ${group.description.length} characters; Bedrock allows ${GROUP_DESCRIPTION_MAX} for an action group. Shorten it by ${group.description.length - GROUP_DESCRIPTION_MAX} and move detail into the operation descriptions.`));
  }
  const names = new Set<string>();
  const routes = new Map<string, string>();
  const descriptions = new Map<string, string>();
  for (const op of operations) {
    if (names.has(op.name)) {
      problems.push(error('unique-operation-id', `Group "${group.name}" has more than one operation named "${op.name}"; operationIds must be unique, so rename one.`, op.name));
    }
    names.add(op.name);
    const route = `${op.method} ${op.path}`;
    const taken = routes.get(route);
    if (taken !== undefined) {
      problems.push(error('unique-route', `${whereOf(op, group)} uses ${route}, already used by "${taken}"; give it its own path or method.`, op.name));
    } else {
      routes.set(route, op.name);
    }
    const text = typeof op.description === 'string' ? op.description.trim().toLowerCase() : '';
    const twin = text === '' ? undefined : descriptions.get(text);
    if (twin !== undefined && twin !== op.name) {
      problems.push(warning('duplicate-description', `${whereOf(op, group)} has the same description as "${twin}"; the model cannot tell them apart, so say how each differs.`, op.name));
    } else if (text !== '') {
      descriptions.set(text, op.name);
    }
    problems.push(...operationProblems(op, group));
  }
  return problems;
}

/**
 * Checks a group against what Bedrock Agents accept, before any schema is written. Errors (always
 * returned): at most 11 operations (the default "APIs per agent" quota); a group description within 200
 * characters; names matching `([0-9a-zA-Z][_-]?){1,100}` without `__`; `<method>__<group>__<operation>`
 * within 64 characters; every operation and every top-level parameter or body field described, within
 * 1200 and 500 characters (parameter descriptions counted with the constraints written into them); no
 * object-typed parameter in function form; unique operationIds and method + path pairs; schemas OpenAPI
 * 3.0 can express. With `{ warnings: true }` also advice Bedrock does not enforce (fields of array items
 * without a description, descriptions of only a word or two, a GET with more than 8 parameters, two
 * operations with the same description), and every problem carries its `severity`. Operations with
 * `doors: { agent: false }` are no agent's concern and are not checked. Returns `[]` when the group is fine.
 */
export function lintBedrock(group: ActionGroup, options: LintOptions & { warnings: true }): LintFinding[];
export function lintBedrock(group: ActionGroup, options?: LintOptions): LintProblem[];
export function lintBedrock(group: ActionGroup, options: LintOptions = {}): LintProblem[] {
  const found = groupProblems(group);
  if (options.warnings === true) return found;
  return found.filter((p) => p.severity === 'error').map(({ severity: _severity, ...problem }) => problem);
}
