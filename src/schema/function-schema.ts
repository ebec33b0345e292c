import type { FieldInfo } from '../core/fields.js';
import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { whereOf } from './names.js';
import { constraintNotes, isJsonObject, jsonSchemaOf, typeOf, withNotes, type JsonSchema } from './json-schema.js';

/** The parameter types Bedrock's function details accept (`ParameterDetail.type`). */
export type FunctionParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'array';

/** One parameter of a function (Bedrock `ParameterDetail`). */
export interface FunctionParameter {
  type: FunctionParameterType;
  /** The field's description followed by its constraints in words (allowed values, default, bounds). */
  description?: string;
  required: boolean;
}

/** One function of a function-details action group (Bedrock `Function`). */
export interface FunctionDefinition {
  name: string;
  description: string;
  parameters: Record<string, FunctionParameter>;
  /** Present, as `'ENABLED'`, when the operation asks for user confirmation. */
  requireConfirmation?: 'ENABLED';
}

/** The `functionSchema` of a Bedrock action group defined with function details. */
export interface FunctionSchema {
  functions: FunctionDefinition[];
}

const PARAMETER_TYPES: ReadonlySet<string> = new Set<FunctionParameterType>(['string', 'number', 'integer', 'boolean', 'array']);

function itemNotes(items: JsonSchema): string[] {
  if (typeOf(items) === 'object' && isJsonObject(items.properties)) {
    const required = new Set((items.required as string[] | undefined) ?? []);
    const fields = Object.entries(items.properties).map(([name, child]) => {
      const prop = isJsonObject(child) ? child : {};
      const text = withNotes(prop.description, constraintNotes(prop));
      return `${name} (${typeOf(prop)}${required.has(name) ? ', required' : ''})${text ? `: ${text.replace(/\.$/, '')}` : ''}`;
    });
    return [`Each item is an object with the fields ${fields.join('; ')}.`];
  }
  const notes = constraintNotes(items).join(' ');
  return notes ? [`Each item: ${notes.charAt(0).toLowerCase()}${notes.slice(1)}`] : [];
}

/**
 * What a model reads about one parameter in function details: the field's own description, then its
 * constraints in words (function details have no `enum`, bounds or item schemas), items included.
 */
export function parameterDescription(field: FieldInfo, where: string): string | undefined {
  const json = jsonSchemaOf(field.schema, `${where}, field "${field.name}"`);
  const notes = constraintNotes(json);
  if (isJsonObject(json.items)) notes.push(...itemNotes(json.items));
  return withNotes(field.description ?? json.description, notes);
}

function functionOf(op: Operation, group: ActionGroup): FunctionDefinition {
  const where = whereOf(op, group);
  const parameters: Record<string, FunctionParameter> = {};
  for (const field of op.fields) {
    if (!PARAMETER_TYPES.has(field.kind)) {
      throw new Error(`${where}: field "${field.name}" is of kind "${field.kind}", which function details cannot carry; use ${[...PARAMETER_TYPES].join(', ')}.`);
    }
    const description = parameterDescription(field, where);
    parameters[field.name] = { type: field.kind, ...(description ? { description } : {}), required: field.required };
  }
  return {
    name: op.name,
    description: op.description,
    parameters,
    ...(op.requireConfirmation ? { requireConfirmation: 'ENABLED' as const } : {}),
  };
}

/**
 * The function-details schema of a group (`functionSchema` of CreateAgentActionGroup): one function per
 * operation, every input field a parameter typed `string|number|integer|boolean|array`, enums written as
 * their scalar type with the allowed values in the description; operations with `doors: { agent: false }`
 * are left out. Run `lintBedrock` first: this
 * writes what is there, including descriptions Bedrock would reject as too long.
 */
export function toFunctionSchema(group: ActionGroup): FunctionSchema {
  return { functions: operationsFor(group, 'agent').map((op) => functionOf(op, group)) };
}
