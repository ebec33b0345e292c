import { operationsFor, type ActionGroup, type Operation } from '../core/operation.js';
import type { JsonSchema } from './json-schema.js';
import { whereOf } from './names.js';
import { ERROR_SCHEMA, jsonResponse, operationObject } from './openapi.js';

/** Options of {@link toHttpOpenApi}. */
export interface HttpOpenApiOptions {
  /** `info.title` (default `'HTTP API'`). */
  title?: string;
  /** `info.version` (default `'1.0.0'`). */
  version?: string;
  /** Declare a bearer security scheme required by every operation (the router has `authenticate`). */
  bearer?: boolean;
}

/** An OpenAPI 3.0.3 document as plain JSON data. */
export type HttpOpenApiDocument = {
  openapi: '3.0.3';
  info: { title: string; version: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components?: { securitySchemes: Record<string, JsonSchema> };
  security?: Record<string, string[]>[];
};

/** A group with the prefix it is served under over HTTP. */
export interface MountedGroup {
  readonly group: ActionGroup;
  readonly prefix: string;
}

const UNAUTHORIZED = 'No valid credentials: send Authorization: Bearer <token>.';

/**
 * One OpenAPI 3.0.3 document of a whole HTTP API: every operation HTTP may call (`doors.http` not false)
 * of every group, at its path under the group's prefix, tagged with its group. operationIds are the
 * operation names, prefixed with the group's name where two groups use the same one. With `bearer`, a
 * bearer security scheme applies to every operation and each documents its 401.
 */
export function toHttpOpenApi(mounted: readonly MountedGroup[], options: HttpOpenApiOptions = {}): HttpOpenApiDocument {
  const entries = mounted.map(({ group, prefix }) => ({ group, prefix, ops: operationsFor(group, 'http') }));
  const uses = new Map<string, number>();
  for (const { ops } of entries) for (const op of ops) uses.set(op.name, (uses.get(op.name) ?? 0) + 1);
  const paths: HttpOpenApiDocument['paths'] = {};
  for (const { group, prefix, ops } of entries) {
    for (const op of ops) {
      const path = prefix + op.path;
      const item = (paths[path] ??= {});
      const method = op.method.toLowerCase();
      if (item[method]) throw new Error(`${whereOf(op, group)}: ${op.method} ${path} is already served by operation "${String(item[method].operationId)}"; mount one of the groups under a prefix.`);
      item[method] = httpOperation(op, group, (uses.get(op.name) ?? 0) > 1, options.bearer === true);
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: options.title ?? 'HTTP API', version: options.version ?? '1.0.0' },
    tags: entries.filter((e) => e.ops.length > 0).map(({ group }) => ({ name: group.name, description: group.description })),
    paths,
    ...(options.bearer ? { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }, security: [{ bearer: [] }] } : {}),
  };
}

function httpOperation(op: Operation, group: ActionGroup, shared: boolean, bearer: boolean): JsonSchema {
  const object = operationObject(op, group);
  const responses = bearer ? { ...(object.responses as JsonSchema), '401': jsonResponse(UNAUTHORIZED, ERROR_SCHEMA) } : object.responses;
  return { ...object, operationId: shared ? `${group.name}_${op.name}` : op.name, tags: [group.name], responses };
}
