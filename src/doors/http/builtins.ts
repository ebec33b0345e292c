import type { ActionGroup, Operation } from '../../core/operation.js';
import type { Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import type { Router } from '../../router.js';
import { toFunctionSchema } from '../../schema/function-schema.js';
import { toOpenApi } from '../../schema/openapi.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonObject } from './body.js';
import { isRecord } from '../../core/door.js';
import { jsonReply, type HttpExchange, type HttpReply } from './exchange.js';
import { LIBRARY_VERSION } from '../../core/version.js';

/** A built-in route resolved from a path: the methods it answers and how. */
export interface Builtin {
  readonly allow: readonly string[];
  /** Whether the route runs operations, and so needs an identity when `authenticate` is set. */
  readonly needsIdentity: boolean;
  run(ex: HttpExchange, router: Router, identify: () => Promise<Caller>): HttpReply | Promise<HttpReply>;
}

const GET = ['GET'] as const;
const POST = ['POST'] as const;

const health: Builtin = {
  allow: GET,
  needsIdentity: false,
  run: (_ex, router) =>
    jsonReply(200, JSON.stringify({ status: 'ok', version: router.options.version ?? (process.env.BUILD_TAG || LIBRARY_VERSION), groups: router.groups.map((g) => g.name) }), {
      'cache-control': 'no-store',
    }),
};

// Generated documents, kept while the group's operation list is unchanged.
const documents = new WeakMap<readonly Operation[], Map<string, string>>();

function schemaRoute(kind: 'openapi' | 'functions', groupName: string): Builtin {
  return {
    allow: GET,
    needsIdentity: false,
    run: (_ex, router) => {
      const group = router.group(groupName);
      if (!group) {
        const served = router.groups.map((g) => g.name).join(', ') || 'none';
        throw new ActionError(404, `No action group named ${JSON.stringify(groupName.slice(0, 100))}; served: ${served}.`, { code: 'NOT_FOUND' });
      }
      return jsonReply(200, schemaText(kind, group));
    },
  };
}

function schemaText(kind: 'openapi' | 'functions', group: ActionGroup): string {
  let byKind = documents.get(group.operations);
  if (!byKind) documents.set(group.operations, (byKind = new Map()));
  let text = byKind.get(kind);
  if (text === undefined) {
    try {
      text = JSON.stringify(kind === 'openapi' ? toOpenApi(group) : toFunctionSchema(group), null, 2);
    } catch (error) {
      // A definition problem the developer must fix; the message names the operation, never a secret.
      throw new ActionError(500, `The ${kind} schema of "${group.name}" cannot be generated: ${(error as Error).message}`, { code: 'SCHEMA_ERROR' });
    }
    byKind.set(kind, text);
  }
  return text;
}

/** Session attributes that name the caller on Bedrock doors (see `callerFromSession`), replaced by the HTTP identity. */
const IDENTITY_ATTRIBUTES = ['userId', 'user_id', 'sub', 'email', 'userEmail'];

/**
 * `POST /bedrock`: a raw Bedrock Agents event in, the Bedrock reply out, for testing an agent's Lambda
 * contract with curl. The event's session attributes are trusted as on Lambda, except that when
 * `authenticate` is set the caller must be identified and the identity replaces role, user and email.
 */
const bedrock: Builtin = {
  allow: POST,
  needsIdentity: true,
  run: async (ex, router, identify) => {
    const caller = router.options.authenticate ? await identify() : undefined;
    const event = await readJsonObject(ex, router.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'POST /bedrock');
    const isBedrock = typeof event.messageVersion === 'string' && typeof event.actionGroup === 'string' && (typeof event.apiPath === 'string' || typeof event.function === 'string');
    if (!isBedrock) {
      throw new ActionError(400, 'POST /bedrock takes a Bedrock Agents action group event: messageVersion, actionGroup, and apiPath + httpMethod (OpenAPI style) or function (function details).', {
        code: 'BAD_REQUEST',
      });
    }
    if (caller) {
      const session: Record<string, unknown> = isRecord(event.sessionAttributes) ? { ...event.sessionAttributes } : {};
      for (const key of [router.roleAttribute, ...IDENTITY_ATTRIBUTES]) delete session[key];
      if (caller.role) session[router.roleAttribute] = caller.role;
      if (caller.userId) session.userId = caller.userId;
      if (caller.email) session.email = caller.email;
      event.sessionAttributes = session;
    }
    let reply: unknown;
    try {
      reply = await router.handle(event, ex.lambdaContext);
    } catch (error) {
      throw new ActionError(400, (error as Error).message, { code: 'BAD_REQUEST' });
    }
    return jsonReply(200, JSON.stringify(reply));
  },
};

const OPENAPI_PREFIX = '/openapi/';
const FUNCTIONS_PREFIX = '/functions/';

function groupNameIn(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix) || !path.endsWith('.json')) return undefined;
  const raw = path.slice(prefix.length, -'.json'.length);
  if (raw === '' || raw.includes('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The built-in route at a raw path, if any: `/health`, the schemas, and `/bedrock` when enabled. */
export function builtinAt(router: Router, path: string): Builtin | undefined {
  if (path === '/health') return health;
  if (path === '/bedrock') return router.options.bedrockEndpoint ? bedrock : undefined;
  const openapi = groupNameIn(path, OPENAPI_PREFIX);
  if (openapi !== undefined) return schemaRoute('openapi', openapi);
  const functions = groupNameIn(path, FUNCTIONS_PREFIX);
  return functions === undefined ? undefined : schemaRoute('functions', functions);
}
