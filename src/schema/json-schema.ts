import type { z } from 'zod';

/** A JSON Schema object (OpenAPI 3.0 flavour) as plain data. */
export type JsonSchema = { [key: string]: unknown };

type Scalar = string | number | boolean;

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
// Keys shown first so documents read type → description → the rest, whatever order zod used.
const LEADING_KEYS = ['type', 'format', 'nullable', 'description'];

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The OpenAPI 3.0 JSON Schema of what a caller sends for `schema` (zod's own JSON Schema output, `io: 'input'`),
 * with named definitions inlined so every fragment stands alone. `where` names the schema in errors.
 * It calls the schema's own `toJSONSchema` method, so this module loads no zod code itself: importing the
 * core stays light, and the user's zod copy does the work.
 */
export function jsonSchemaOf(schema: z.ZodType, where: string): JsonSchema {
  let raw: JsonSchema;
  try {
    raw = (schema as z.ZodType & { toJSONSchema(params: object): unknown }).toJSONSchema({
      target: 'openapi-3.0',
      io: 'input',
      unrepresentable: 'any',
      cycles: 'throw',
      reused: 'inline',
      // A Date reaches the caller through JSON.stringify, i.e. as an ISO 8601 string.
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema._zod.def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
      },
    }) as JsonSchema;
  } catch (error) {
    throw new Error(`${where}: the schema cannot be written as OpenAPI 3.0 (${(error as Error).message.split('\n')[0]}). Use a non-recursive, JSON-representable zod schema.`);
  }
  return inlineDefinitions(raw);
}

function inlineDefinitions(root: JsonSchema): JsonSchema {
  const defs = { ...(root.$defs as JsonSchema | undefined), ...(root.definitions as JsonSchema | undefined) };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isJsonObject(node)) return node;
    const out: JsonSchema = {};
    if (typeof node.$ref === 'string') Object.assign(out, walk(defs[node.$ref.split('/').pop() as string]));
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$ref' && key !== '$defs' && key !== 'definitions') out[key] = walk(value);
    }
    return out;
  };
  return walk(root) as JsonSchema;
}

/** The allowed values of an `enum`/`const` schema, or undefined. */
export function allowedValues(node: JsonSchema): Scalar[] | undefined {
  if (Array.isArray(node.enum)) return (node.enum as unknown[]).filter((v): v is Scalar => v !== null);
  if (node.const !== undefined && node.const !== null) return [node.const as Scalar];
  return undefined;
}

/** The JSON type of a list of allowed values (`integer` when every number is whole). */
function typeOfValues(values: readonly Scalar[]): string {
  const types = new Set(values.map((v) => typeof v));
  if (types.size !== 1) return 'string';
  const t = [...types][0] as string;
  return t === 'number' && values.every((v) => Number.isInteger(v)) ? 'integer' : t;
}

/** `Allowed values: "open", "closed".` */
export function valuesNote(values: readonly Scalar[]): string {
  return `Allowed values: ${values.map((v) => JSON.stringify(v)).join(', ')}.`;
}

/** A description followed by notes, each a sentence. Returns undefined when there is nothing to say. */
export function withNotes(description: unknown, notes: readonly string[]): string | undefined {
  const text = typeof description === 'string' ? description.trim() : '';
  const parts = [text && !/[.!?:]$/.test(text) && notes.length > 0 ? `${text}.` : text, ...notes].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function bound(node: JsonSchema, key: string): number | undefined {
  const value = node[key];
  // zod writes ±MAX_SAFE_INTEGER for every .int(); that says nothing to a model or a validator.
  return typeof value === 'number' && Math.abs(value) !== SAFE_INTEGER ? value : undefined;
}

/**
 * Constraints of a schema in words, for formats that carry only `type` and `description` (function
 * details, AgentCore tools): allowed values, default, bounds, lengths, format, pattern, nullability.
 */
export function constraintNotes(node: JsonSchema): string[] {
  const notes: string[] = [];
  const values = allowedValues(node);
  if (values && values.length > 0) notes.push(valuesNote(values));
  if (node.default !== undefined) notes.push(`Default: ${JSON.stringify(node.default)}.`);
  const min = bound(node, 'minimum');
  const max = bound(node, 'maximum');
  const exclusive = node.exclusiveMinimum === true || node.exclusiveMaximum === true;
  if (min !== undefined && max !== undefined && !exclusive) notes.push(`Between ${min} and ${max}.`);
  else {
    if (min !== undefined) notes.push(node.exclusiveMinimum === true ? `Greater than ${min}.` : `At least ${min}.`);
    if (max !== undefined) notes.push(node.exclusiveMaximum === true ? `Less than ${max}.` : `At most ${max}.`);
  }
  for (const [key, unit, word] of [['minLength', 'character', 'At least'], ['maxLength', 'character', 'At most'], ['minItems', 'item', 'At least'], ['maxItems', 'item', 'At most']] as const) {
    const n = node[key];
    if (typeof n === 'number') notes.push(`${word} ${n} ${unit}${n === 1 ? '' : 's'}.`);
  }
  if (typeof node.format === 'string') notes.push(`Format: ${node.format}.`);
  else if (typeof node.pattern === 'string') notes.push(`Must match the regular expression ${node.pattern}`);
  if (node.nullable === true) notes.push('May be null.');
  return notes;
}

function ordered(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of LEADING_KEYS) if (node[key] !== undefined) out[key] = node[key];
  for (const [key, value] of Object.entries(node)) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * Rewrites a JSON Schema into the OpenAPI 3.0 subset Bedrock Agents accepts, at every depth: no `enum`
 * or `const` (the allowed values go into the description, as AWS documents), no `$schema`, no
 * `additionalProperties: false`, no ±2^53 integer bounds, and no zod format regexes beside a `format`.
 */
export function bedrockSubset(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'enum' || key === 'const' || key === 'id') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if ((key === 'minimum' || key === 'maximum') && bound(node, key) === undefined) continue;
    if (key === 'pattern' && typeof node.format === 'string') continue;
    if (key === 'properties' && isJsonObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isJsonObject(child) ? bedrockSubset(child) : child]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isJsonObject(value)) {
      out[key] = bedrockSubset(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((child) => (isJsonObject(child) ? bedrockSubset(child) : child));
    } else {
      out[key] = value;
    }
  }
  const values = allowedValues(node);
  if (values && values.length > 0) {
    out.description = withNotes(node.description, [valuesNote(values)]);
    out.type ??= typeOfValues(values);
  }
  return ordered(out);
}

/** Collapses `anyOf`/`oneOf`/`allOf` into one typed schema, for formats that have no composition. */
function flatten(node: JsonSchema): JsonSchema {
  const { anyOf, oneOf, allOf, ...rest } = node;
  const branches = (anyOf ?? oneOf) as unknown[] | undefined;
  if (Array.isArray(allOf)) return flatten({ ...rest, ...mergeObjects(allOf.filter(isJsonObject).map(flatten), 'all') });
  if (!Array.isArray(branches)) return node;
  const flat = branches.filter(isJsonObject).map(flatten);
  const types = [...new Set(flat.map(typeOf))];
  if (types.length === 1 && types[0] === 'object') return { ...rest, ...mergeObjects(flat, 'any') };
  if (types.length === 1) {
    const values = flat.map(allowedValues);
    // A union of literals is an enum of their values.
    const merged = values.every((v) => v !== undefined) ? { enum: [...new Set(values.flat())] } : {};
    return { ...flat[0], ...merged, ...rest };
  }
  return { ...flat[0], ...rest, description: withNotes(rest.description, [`One of: ${types.join(', ')}.`]) };
}

// Object branches merge into one object: for a union a property is required only when every branch
// requires it; for an intersection, when any part does.
function mergeObjects(parts: JsonSchema[], mode: 'any' | 'all'): JsonSchema {
  const properties: JsonSchema = {};
  for (const part of parts) {
    for (const [name, prop] of Object.entries(isJsonObject(part.properties) ? part.properties : {})) {
      // A property several branches declare takes every branch's shape (a discriminator gets all its values).
      properties[name] = name in properties && isJsonObject(prop) ? flatten({ anyOf: [properties[name], prop] }) : prop;
    }
  }
  const requiredSets = parts.map((p) => new Set((p.required as string[] | undefined) ?? []));
  const required = Object.keys(properties).filter((k) => (mode === 'all' ? requiredSets.some((s) => s.has(k)) : requiredSets.every((s) => s.has(k))));
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** The JSON type of a schema, inferred when zod left it out. */
export function typeOf(node: JsonSchema): string {
  if (typeof node.type === 'string') return node.type;
  const values = allowedValues(node);
  if (values && values.length > 0) return typeOfValues(values);
  if (isJsonObject(node.properties) || isJsonObject(node.additionalProperties)) return 'object';
  if (node.items !== undefined) return 'array';
  return 'string';
}

/**
 * Rewrites a JSON Schema into the keywords an AgentCore Gateway tool schema allows (`type`,
 * `description`, `properties`, `required`, `items`); every other constraint becomes words in the description.
 */
export function toolSubset(source: JsonSchema): JsonSchema {
  const node = flatten(source);
  const type = typeOf(node);
  const notes = constraintNotes(node);
  if (type === 'string' && node.type === undefined && !allowedValues(node)) notes.push('Any JSON value.');
  const description = withNotes(node.description, notes);
  const out: JsonSchema = { type, ...(description ? { description } : {}) };
  if (type === 'object' && isJsonObject(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([name, child]) => [name, toolSubset(isJsonObject(child) ? child : {})]));
    if (Array.isArray(node.required) && node.required.length > 0) out.required = node.required;
  }
  if (type === 'array') out.items = toolSubset(isJsonObject(node.items) ? node.items : {});
  return out;
}

/**
 * An OpenAPI 3.0 fragment (what {@link jsonSchemaOf} gives) as standard JSON Schema (draft 2020-12), which
 * MCP clients (they check `structuredContent` against `outputSchema`), Converse and OpenAI read: at every
 * depth `nullable` becomes a `null` type, a boolean `exclusiveMinimum`/`exclusiveMaximum` its numeric form,
 * and `$schema`, zod's ±2^53 integer bounds and the regex beside a `format` go.
 */
export function standardJsonSchema(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === '$schema' || key === 'exclusiveMinimum' || key === 'exclusiveMaximum') continue;
    if ((key === 'minimum' || key === 'maximum') && bound(node, key) === undefined) continue;
    if (key === 'pattern' && typeof node.format === 'string') continue;
    if (key === 'properties' && isJsonObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isJsonObject(child) ? standardJsonSchema(child) : child]));
    else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isJsonObject(value)) out[key] = standardJsonSchema(value);
    else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) out[key] = value.map((child) => (isJsonObject(child) ? standardJsonSchema(child) : child));
    else out[key] = value;
  }
  for (const [flag, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (node[flag] === true && typeof out[limit] === 'number') {
      out[flag] = out[limit];
      delete out[limit];
    }
  }
  return node.nullable === true ? withNull(out) : out;
}

/** Whether a standard JSON Schema accepts `null`. */
export function acceptsNull(node: JsonSchema): boolean {
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  return Array.isArray(node.anyOf) && node.anyOf.some((b) => isJsonObject(b) && acceptsNull(b));
}

/** The standard JSON Schema that also accepts `null`. */
export function withNull(node: JsonSchema): JsonSchema {
  if (acceptsNull(node)) return node;
  if (typeof node.type === 'string') {
    const out: JsonSchema = { ...node, type: [node.type, 'null'] };
    if (Array.isArray(node.enum)) out.enum = [...node.enum, null];
    return out;
  }
  if (Array.isArray(node.type)) return { ...node, type: [...node.type, 'null'] };
  if (Array.isArray(node.anyOf) && Object.keys(node).every((k) => k === 'anyOf' || k === 'description')) return { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  const { description, ...rest } = node;
  return { ...(description !== undefined ? { description } : {}), anyOf: [rest, { type: 'null' }] };
}
