import type { FieldInfo } from '../core/fields.js';
import type { HttpMethod } from '../core/operation.js';
import type { MountedGroup } from './http-openapi.js';
import { jsonSchemaOf, type JsonSchema } from './json-schema.js';
import { whereOf } from './names.js';

/** One input field of a {@link PlaygroundOperation}: its JSON Schema as a caller sends it, and where it travels. */
export interface PlaygroundField {
  name: string;
  /** Where the field travels in OpenAPI form (and over HTTP). */
  in: FieldInfo['location'];
  required: boolean;
  /** The field's JSON Schema (enums, defaults, bounds and descriptions kept). */
  schema: JsonSchema;
}

/** One operation as the playground page shows it: enough to draw its form and build every door's request. */
export interface PlaygroundOperation {
  name: string;
  description: string;
  method: HttpMethod;
  /** The OpenAPI path, as Bedrock sends it in `apiPath`. */
  apiPath: string;
  /** The HTTP path: the group's prefix, then `apiPath`. */
  httpPath: string;
  /** Which kinds of door may call it. */
  doors: { agent: boolean; http: boolean };
  /** The roles allowed to call it, when restricted (the operation's list, else the group's). */
  allowedRoles?: readonly string[];
  requireConfirmation: boolean;
  fields: PlaygroundField[];
}

/** The groups and operations the playground lists, in the order they were added. */
export interface PlaygroundCatalog {
  groups: { name: string; description: string; operations: PlaygroundOperation[] }[];
}

/**
 * Every operation of every mounted group with its input fields' JSON Schemas, for the playground page.
 * Throws naming the operation when a field's schema cannot be written as JSON Schema.
 */
export function toPlaygroundCatalog(mounted: readonly MountedGroup[]): PlaygroundCatalog {
  return {
    groups: mounted.map(({ group, prefix }) => ({
      name: group.name,
      description: group.description,
      operations: group.operations.map((op) => {
        const where = whereOf(op, group);
        const roles = op.allowedRoles ?? group.allowedRoles;
        return {
          name: op.name,
          description: op.description,
          method: op.method,
          apiPath: op.path,
          httpPath: prefix + op.path,
          doors: { agent: op.doors.agent, http: op.doors.http },
          ...(roles ? { allowedRoles: roles } : {}),
          requireConfirmation: op.requireConfirmation,
          fields: op.fields.map((f) => ({ name: f.name, in: f.location, required: f.required, schema: jsonSchemaOf(f.schema, `${where}, field "${f.name}"`) })),
        };
      }),
    })),
  };
}
