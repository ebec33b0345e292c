import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import { whereOf } from './names.js';
import { bedrockSubset, jsonSchemaOf, type JsonSchema } from './json-schema.js';

/** Options of {@link toOpenApi}. */
export interface OpenApiOptions {
  /** `info.title`; defaults to the group's name. */
  title?: string;
  /** `info.version`; defaults to `'1.0.0'`. */
  version?: string;
}

/** An OpenAPI 3.0.0 document as plain JSON data. */
export type OpenApiDocument = {
  openapi: '3.0.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, JsonSchema>>;
};

// Every failure reaches the caller as `{ error: { code, message, details? } }` (see the router).
export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

const ERROR_RESPONSES: ReadonlyArray<readonly [string, string]> = [
  ['400', 'The input was not valid; the message names each field and what was expected.'],
  ['403', 'The caller\'s role may not call this operation.'],
  ['404', 'The operation or the requested item was not found.'],
  ['500', 'The operation failed unexpectedly; try again later.'],
];

const SUMMARY_MAX = 120;

/** The first sentence of a description, without its full stop, cut at a word near 120 characters. */
function summaryOf(description: string): string {
  const first = (description.trim().split(/(?<=[.!?])\s/)[0] ?? '').replace(/\.$/, '');
  if (first.length <= SUMMARY_MAX) return first;
  const cut = first.slice(0, SUMMARY_MAX - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

/** A response object with a JSON body. */
export function jsonResponse(description: string, schema: JsonSchema): JsonSchema {
  return { description, content: { 'application/json': { schema } } };
}

/** The OpenAPI operation object of one operation, in the subset Bedrock accepts (also valid OpenAPI 3.0.3). */
export function operationObject(op: Operation, group: ActionGroup): JsonSchema {
  const where = whereOf(op, group);
  const parameters: JsonSchema[] = [];
  const bodyProperties: JsonSchema = {};
  const bodyRequired: string[] = [];
  for (const field of op.fields) {
    const schema = bedrockSubset(jsonSchemaOf(field.schema, `${where}, field "${field.name}"`));
    if (field.location === 'body') {
      bodyProperties[field.name] = schema;
      if (field.required) bodyRequired.push(field.name);
      continue;
    }
    // A parameter's description belongs to the parameter object; the schema keeps only the type.
    const { description, ...typed } = schema;
    parameters.push({
      name: field.name,
      in: field.location,
      ...(description !== undefined ? { description } : {}),
      required: field.location === 'path' || field.required,
      schema: typed,
    });
  }
  const output = op.output
    ? bedrockSubset(jsonSchemaOf(op.output, `${where}, output`))
    : { type: 'object', description: `The result of ${op.name}.` };
  const responses: JsonSchema = { '200': jsonResponse(`${op.name} succeeded.`, output) };
  for (const [status, text] of ERROR_RESPONSES) responses[status] = jsonResponse(text, ERROR_SCHEMA);
  return {
    operationId: op.name,
    summary: op.summary ?? summaryOf(op.description),
    description: op.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(Object.keys(bodyProperties).length > 0
      ? {
          requestBody: {
            required: bodyRequired.length > 0,
            content: {
              'application/json': {
                schema: { type: 'object', properties: bodyProperties, ...(bodyRequired.length > 0 ? { required: bodyRequired } : {}) },
              },
            },
          },
        }
      : {}),
    responses,
    ...(op.requireConfirmation ? { 'x-requireConfirmation': 'ENABLED' } : {}),
  };
}

/**
 * The OpenAPI 3.0.0 document of a group, in the subset Bedrock Agents accepts: `operationId` = operation
 * name, a summary and description on every operation, path/query parameters each typed and described,
 * a JSON `requestBody` only for POST/PUT/PATCH, a 200 response (the `output` schema when given) and
 * 400/403/404/500 responses carrying `{ error: { code, message, details? } }`, `x-requireConfirmation:
 * ENABLED` where asked; no `enum` anywhere (allowed values are written into descriptions) and `nullable`
 * instead of 3.1 type arrays. Operations with `doors: { agent: false }` are left out. Run `lintBedrock`
 * first: this writes what is there.
 */
export function toOpenApi(group: ActionGroup, options: OpenApiOptions = {}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const op of operationsFor(group, 'agent')) {
    const item = (paths[op.path] ??= {});
    const method = op.method.toLowerCase();
    if (item[method]) throw new Error(`${whereOf(op, group)}: ${op.method} ${op.path} is already used by operation "${String(item[method].operationId)}"; give each operation its own method and path.`);
    item[method] = operationObject(op, group);
  }
  return {
    openapi: '3.0.0',
    info: { title: options.title ?? group.name, version: options.version ?? '1.0.0', description: group.description },
    paths,
  };
}
