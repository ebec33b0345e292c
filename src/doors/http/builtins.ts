import type { ActionGroup } from '../../core/operation.js';
import { ActionError } from '../../core/errors.js';
import { toFunctionSchema } from '../../schema/function-schema.js';
import { toHttpOpenApi } from '../../schema/http-openapi.js';
import { toOpenApi } from '../../schema/openapi.js';
import { isRecord } from '../../util/is-record.js';
import { serveMcp } from '../mcp/http.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonObject } from './body.js';
import type { HttpHost } from './host.js';
import { cachedDocument, GET, NO_STORE, POST, versionOf, type Builtin } from './builtin.js';
import { mcpPathOf } from './options.js';
import { jsonReply, type HttpReply } from './exchange.js';
import { playgroundBuiltinAt } from './playground.js';

export { versionOf };

/** `GET /health/live` and `GET /health?probe=false`: the process answers; nothing is probed. */
function liveness(http: HttpHost): HttpReply {
  return jsonReply(200, JSON.stringify({ status: 'healthy', version: versionOf(http), timestamp: new Date().toISOString(), groups: http.registry.groups.map((g) => g.name) }), NO_STORE);
}

/** `GET /health`: every probe's state (see `router.probe`); 503 when a required dependency is down. */
const health: Builtin = {
  allow: GET,
  run: async (ex, http) => {
    if (/[?&]probe=false(&|$)/.test(ex.target)) return liveness(http);
    const report = await http.health();
    const body = { status: report.status, version: versionOf(http), timestamp: report.timestamp, services: report.services, groups: http.registry.groups.map((g) => g.name) };
    return jsonReply(report.status === 'unhealthy' ? 503 : 200, JSON.stringify(body), NO_STORE);
  },
};

const live: Builtin = { allow: GET, run: (_ex, http) => liveness(http) };

/** `GET /openapi.json`: one OpenAPI 3.0.3 document of everything the HTTP door serves. */
const httpApi: Builtin = {
  allow: GET,
  run: (_ex, http) => jsonReply(200, cachedDocument(http, '/openapi.json', 'The OpenAPI document of the HTTP API', () =>
    toHttpOpenApi(http.registry.mounted, { version: versionOf(http), bearer: http.options.authenticate !== undefined }),
  )),
};

function schemaRoute(kind: 'openapi' | 'functions', groupName: string): Builtin {
  return {
    allow: GET,
      run: (_ex, http) => {
      const group = http.registry.group(groupName);
      if (!group) {
        const served = http.registry.groups.map((g) => g.name).join(', ') || 'none';
        throw new ActionError(404, `No action group named ${JSON.stringify(groupName.slice(0, 100))}; served: ${served}.`, { code: 'NOT_FOUND' });
      }
      return jsonReply(200, cachedDocument(http, `${kind}/${group.name}`, `The ${kind} schema of "${group.name}"`, () => (kind === 'openapi' ? toOpenApi(group) : toFunctionSchema(group))));
    },
  };
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
  run: async (ex, http, identify) => {
    const caller = http.options.authenticate ? await identify() : undefined;
    const event = await readJsonObject(ex, http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'POST /bedrock');
    const isBedrock = typeof event.messageVersion === 'string' && typeof event.actionGroup === 'string' && (typeof event.apiPath === 'string' || typeof event.function === 'string');
    if (!isBedrock) {
      throw new ActionError(400, 'POST /bedrock takes a Bedrock Agents action group event: messageVersion, actionGroup, and apiPath + httpMethod (OpenAPI style) or function (function details).', {
        code: 'BAD_REQUEST',
      });
    }
    if (caller) {
      const session: Record<string, unknown> = isRecord(event.sessionAttributes) ? { ...event.sessionAttributes } : {};
      for (const key of [http.roleAttribute, ...IDENTITY_ATTRIBUTES]) delete session[key];
      if (caller.role) session[http.roleAttribute] = caller.role;
      if (caller.userId) session.userId = caller.userId;
      if (caller.email) session.email = caller.email;
      event.sessionAttributes = session;
    }
    let reply: unknown;
    try {
      reply = await http.bedrock(event, ex.lambdaContext);
    } catch (error) {
      throw new ActionError(400, (error as Error).message, { code: 'BAD_REQUEST' });
    }
    return jsonReply(200, JSON.stringify(reply));
  },
};

/** The MCP endpoint (`mcp` option): Streamable HTTP; GET and DELETE are answered by the SDK as the spec says for a stateless server. */
const mcp: Builtin = {
  allow: ['POST', 'GET', 'DELETE'],
  run: (ex, http, identify) => serveMcp(ex, http, identify, versionOf(http)),
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

/**
 * The built-in route at a raw path, if any: a plugged-in one (the envelope's), `/health`, `/openapi.json`,
 * the groups' schemas, and `/bedrock`, the MCP endpoint and the playground's routes when enabled.
 */
export function builtinAt(http: HttpHost, path: string): Builtin | undefined {
  const plugged = http.plugged.get(path);
  if (plugged) return plugged;
  if (path === '/health') return health;
  if (path === '/health/live') return live;
  if (path === '/openapi.json') return httpApi;
  if (path === '/bedrock') return http.options.bedrockEndpoint ? bedrock : undefined;
  if (http.options.playground) {
    const page = playgroundBuiltinAt(path);
    if (page) return page;
  }
  if (http.options.mcp && path === mcpPathOf(http.options)) return mcp;
  const openapi = groupNameIn(path, OPENAPI_PREFIX);
  if (openapi !== undefined) return schemaRoute('openapi', openapi);
  const functions = groupNameIn(path, FUNCTIONS_PREFIX);
  return functions === undefined ? undefined : schemaRoute('functions', functions);
}
