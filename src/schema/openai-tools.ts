import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { whereOf } from './names.js';
import { acceptsNull, constraintNotes, isJsonObject, jsonSchemaOf, standardJsonSchema, typeOf, withNotes, withNull, type JsonSchema } from './json-schema.js';

/**
 * One function tool of the OpenAI Responses API (`tools: [{ type: 'function', … }]`), made from an
 * operation: `name` is the operation name, `parameters` the JSON Schema of its input.
 */
export interface OpenAiFunctionTool {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
  /**
   * `true` when the schema fits OpenAI's strict subset (every property required — optional ones as
   * nullable —, every object closed, only supported keywords); the model's arguments then always match it.
   */
  strict: boolean;
}

/** What {@link toOpenAiTools} takes: one group, or anything serving groups (a `Router`). */
export type OpenAiToolSource = ActionGroup | { readonly groups: readonly ActionGroup[] };

/** Undoes the strict rewriting of one tool's arguments: a `null` OpenAI sent for an optional field is dropped. */
interface NullPlan {
  drop?: string[];
  props?: Record<string, NullPlan>;
  items?: NullPlan;
}

/** A tool with what a tool loop needs to run it: the operation, and how to restore the model's arguments. */
export interface OpenAiToolEntry {
  tool: OpenAiFunctionTool;
  group: ActionGroup;
  operation: Operation;
  /** The arguments as the operation expects them (strict tools: `null` for an absent optional field removed). */
  restore(args: Record<string, unknown>): Record<string, unknown>;
}

// OpenAI's strict-mode limits (Structured Outputs, "Supported schemas"): nesting depth, total properties, enum values.
const MAX_DEPTH = 10;
const MAX_PROPERTIES = 5000;
const MAX_ENUM = 1000;
// Keywords strict mode accepts as they are.
const STRICT_KEYS = new Set(['type', 'description', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'pattern', 'format', 'multipleOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems']);
// Keywords strict mode does not take, which only narrow what is valid: told to the model in words instead
// (the operation still validates them); annotations without effect are dropped.
const WORDED_KEYS = new Set(['default', 'minLength', 'maxLength']);
const DROPPED_KEYS = new Set(['title', 'examples', '$schema', 'id']);
const STRICT_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
// Lookaround and backreferences are outside the regular-expression subset strict mode supports.
const UNSUPPORTED_PATTERN = /\(\?<?[=!]|\\[1-9]|\\k</;

/** Thrown inside the strict rewriting when a schema has no strict form; the tool is then sent with `strict: false`. */
class NotStrict extends Error {}

interface StrictState {
  properties: number;
}

/**
 * The strict form of a JSON Schema node and how to undo its rewriting, or a {@link NotStrict} throw. Objects
 * are closed and list every property as required (an optional one made nullable), unsupported narrowing
 * keywords become words in the description, and anything else strict mode cannot express (open maps,
 * `oneOf`/`allOf`/`not`, tuples, a schema without a type, optional fields inside a union) gives up.
 */
function strictOf(node: JsonSchema, depth: number, state: StrictState): { schema: JsonSchema; plan?: NullPlan } {
  if (depth > MAX_DEPTH) throw new NotStrict();
  const out: JsonSchema = {};
  const worded: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    if (WORDED_KEYS.has(key) || (key === 'format' && !STRICT_FORMATS.has(value as string)) || (key === 'pattern' && UNSUPPORTED_PATTERN.test(String(value)))) worded[key] = value;
    else if (STRICT_KEYS.has(key)) out[key] = value;
    else throw new NotStrict();
  }
  if (out.type === undefined && out.enum === undefined && out.const === undefined && out.anyOf === undefined) throw new NotStrict();
  if (Array.isArray(out.enum) && out.enum.length > MAX_ENUM) throw new NotStrict();
  const notes = constraintNotes(worded);
  if (notes.length > 0) out.description = withNotes(node.description, notes);
  let plan: NullPlan | undefined;
  const types = Array.isArray(out.type) ? out.type : [out.type ?? typeOf(out)];
  if (types.includes('object') || out.properties !== undefined) {
    if (out.additionalProperties !== undefined && out.additionalProperties !== false) throw new NotStrict();
    if (out.properties !== undefined && !isJsonObject(out.properties)) throw new NotStrict();
    const properties = (out.properties ?? {}) as JsonSchema;
    const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
    const names = Object.keys(properties);
    state.properties += names.length;
    if (state.properties > MAX_PROPERTIES) throw new NotStrict();
    const strictProps: JsonSchema = {};
    const drop: string[] = [];
    const props: Record<string, NullPlan> = {};
    for (const name of names) {
      const child = properties[name];
      if (!isJsonObject(child)) throw new NotStrict();
      const inner = strictOf(child, depth + 1, state);
      if (required.has(name) || acceptsNull(child)) strictProps[name] = inner.schema;
      else {
        strictProps[name] = withNull(inner.schema);
        drop.push(name);
      }
      if (inner.plan) props[name] = inner.plan;
    }
    out.properties = strictProps;
    out.required = names;
    out.additionalProperties = false;
    if (drop.length > 0 || Object.keys(props).length > 0) plan = { ...(drop.length > 0 ? { drop } : {}), ...(Object.keys(props).length > 0 ? { props } : {}) };
  }
  if (types.includes('array') || out.items !== undefined) {
    if (!isJsonObject(out.items)) throw new NotStrict();
    const inner = strictOf(out.items, depth + 1, state);
    out.items = inner.schema;
    if (inner.plan) plan = { ...plan, items: inner.plan };
  }
  if (Array.isArray(out.anyOf)) {
    out.anyOf = out.anyOf.map((branch) => {
      if (!isJsonObject(branch)) throw new NotStrict();
      const inner = strictOf(branch, depth + 1, state);
      // Which branch a value took is not known when restoring it, so a branch with optional fields has no strict form.
      if (inner.plan) throw new NotStrict();
      return inner.schema;
    });
  }
  return plan ? { schema: out, plan } : { schema: out };
}

function restoreWith(value: unknown, plan: NullPlan): void {
  if (Array.isArray(value)) {
    if (plan.items) for (const item of value) restoreWith(item, plan.items);
    return;
  }
  if (!isJsonObject(value)) return;
  for (const name of plan.drop ?? []) if (value[name] === null) delete value[name];
  for (const [name, inner] of Object.entries(plan.props ?? {})) restoreWith(value[name], inner);
}

function entryOf(op: Operation, group: ActionGroup): OpenAiToolEntry {
  const where = whereOf(op, group);
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const field of op.fields) {
    properties[field.name] = standardJsonSchema(jsonSchemaOf(field.schema, `${where}, field "${field.name}"`));
    if (field.required) required.push(field.name);
  }
  const parameters: JsonSchema = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  let strict: { schema: JsonSchema; plan?: NullPlan } | undefined;
  try {
    strict = strictOf(parameters, 1, { properties: 0 });
  } catch (error) {
    if (!(error instanceof NotStrict)) throw error;
  }
  const plan = strict?.plan;
  return {
    tool: { type: 'function', name: op.name, description: op.description, parameters: strict?.schema ?? parameters, strict: strict !== undefined },
    group,
    operation: op,
    restore: (args) => {
      if (plan) restoreWith(args, plan);
      return args;
    },
  };
}

/**
 * The tools of a group or a router, by name, for a tool loop; with `names`, only those (each must be an
 * agent-callable operation: an Error naming the unknown ones and the known ones otherwise). Two groups of a
 * router with an operation of the same name cannot both be offered: an Error names them.
 */
export function openAiToolEntries(source: OpenAiToolSource, names?: readonly string[]): Map<string, OpenAiToolEntry> {
  const groups = 'groups' in source ? source.groups : [source];
  const wanted = names ? new Set(names) : undefined;
  const entries = new Map<string, OpenAiToolEntry>();
  const owners = new Map<string, string>();
  for (const group of groups) {
    for (const op of operationsFor(group, 'agent')) {
      if (wanted && !wanted.has(op.name)) continue;
      const taken = owners.get(op.name);
      if (taken) throw new Error(`OpenAI tools: operation "${op.name}" is in both "${taken}" and "${group.name}"; tool names must be unique — offer one of the groups`);
      owners.set(op.name, group.name);
      entries.set(op.name, entryOf(op, group));
    }
  }
  const unknown = [...(wanted ?? [])].filter((n) => !entries.has(n));
  if (unknown.length > 0) {
    const known = groups.flatMap((g) => operationsFor(g, 'agent').map((o) => o.name));
    throw new Error(`unknown tool(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}: a tool must be an agent-callable operation of the router (${known.join(', ') || 'none'})`);
  }
  return entries;
}

/**
 * OpenAI Responses API function tools for the agent-callable operations of a group or a router
 * (`doors: { agent: false }` ones left out): `{ type: 'function', name, description, parameters, strict }`.
 * `strict` is `true` whenever the input can be written in OpenAI's strict subset: every object closed
 * (`additionalProperties: false`), every property required with optional ones made nullable (a tool loop
 * built on {@link openAiToolEntries} drops those `null`s again before calling the operation), `minLength`,
 * `maxLength`, `default` and unsupported formats or patterns in the description. Inputs with open maps
 * (`z.record`), `oneOf`/`allOf`, tuples, untyped values or optional fields inside a union are sent with
 * `strict: false` and their plain JSON Schema.
 */
export function toOpenAiTools(source: OpenAiToolSource): OpenAiFunctionTool[] {
  return [...openAiToolEntries(source).values()].map((e) => e.tool);
}
