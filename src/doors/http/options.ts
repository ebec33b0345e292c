import type { Caller } from '../../core/context.js';

/** The router options the HTTP door reads. */
export interface HttpDoorOptions {
  /**
   * HTTP door: who is calling, read from the request (a verified bearer token, a session cookie…).
   * Return `null` or throw for an unauthenticated request: operations then answer 401. When set, every
   * operation needs an identity (built-in routes such as `/health` and the schemas do not). Over HTTP the
   * caller comes only from here, never from the body or headers by itself.
   */
  authenticate?: (request: Request) => Caller | null | Promise<Caller | null>;
  /**
   * HTTP door: CORS for browsers. Off by default: no CORS headers, and OPTIONS is a 405. Preflights are
   * answered for the listed origins only; `'*'` allows any origin and cannot be combined with `credentials`.
   */
  cors?: { origins: readonly string[] | '*'; credentials?: boolean };
  /** HTTP door: largest request body, in bytes (default 1 MiB); an operation's own `maxBodyBytes` wins. */
  maxBodyBytes?: number;
  /**
   * HTTP door: serve `POST /bedrock`, which runs a raw Bedrock Agents event (whose session attributes are
   * trusted, roles included). A local development aid: default `false` (404).
   */
  bedrockEndpoint?: boolean;
  /**
   * HTTP door: serve the playground, a local development aid (default `false`: every route below is a 404).
   * `GET /playground` (try every operation through every door, see the exact event and reply),
   * `GET /docs` (Swagger UI over `/openapi.json`), `GET /playground/operations.json` (the operations and
   * their input JSON Schemas), the pages' assets under `/playground/assets/`, and `POST /agentcore` (a raw
   * AgentCore Gateway call, trusted like `POST /bedrock`). The Bedrock doors of the page also need `bedrockEndpoint`.
   */
  playground?: boolean;
  /** HTTP door: the `version` reported by `GET /health` and `GET /openapi.json` (default: `BUILD_TAG` from the environment, else this library's version). */
  version?: string;
  /**
   * HTTP door: serve the agent-callable operations as an MCP server over Streamable HTTP (stateless) at
   * `path` (default `/mcp`); needs `@modelcontextprotocol/server`, loaded on the first MCP request. Same
   * body limit, CORS and `authenticate` as the rest of the HTTP door; a request with an `Origin` not in
   * `cors.origins` is refused (403). `name` is the server name sent to clients (default
   * `bedrock-action-groups`); the version is `version`'s. Default `false`.
   */
  mcp?: boolean | McpHttpOptions;
}

/** The `mcp` option of the HTTP door as an object. */
export interface McpHttpOptions {
  /** Where the MCP endpoint is served (default `/mcp`). */
  path?: string;
  /** The server name sent to MCP clients (default `bedrock-action-groups`). */
  name?: string;
}

/** The path of the MCP endpoint, or undefined when `mcp` is off. */
export function mcpPathOf(options: HttpDoorOptions): string | undefined {
  const mcp = options.mcp;
  if (!mcp) return undefined;
  return mcp === true ? '/mcp' : (mcp.path ?? '/mcp');
}

// The built-in routes the MCP endpoint must not hide behind (see builtins.ts).
const BUILTIN_PATH = /^\/(health(\/live)?|openapi\.json|bedrock|openapi\/.*|functions\/.*)$/;

/** Checks the HTTP options when the router is created, so a bad setting fails at start-up. */
export function checkHttpOptions(options: HttpDoorOptions): void {
  if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes > 0)) {
    throw new Error('createRouter: "maxBodyBytes" must be a positive integer');
  }
  if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new Error('createRouter: "authenticate" must be a function');
  const mcp = options.mcp;
  if (mcp !== undefined && typeof mcp !== 'boolean') {
    if (mcp === null || typeof mcp !== 'object' || Array.isArray(mcp)) throw new Error('createRouter: "mcp" must be true, false or { path?, name? }');
    if (mcp.path !== undefined && !(typeof mcp.path === 'string' && /^\/[^?#\s]*$/.test(mcp.path))) throw new Error('createRouter: "mcp.path" must be a path starting with "/", like "/mcp"');
    if (mcp.path !== undefined && BUILTIN_PATH.test(mcp.path)) throw new Error(`createRouter: "mcp.path" ${JSON.stringify(mcp.path)} is a built-in route; choose another path, like "/mcp"`);
    if (mcp.name !== undefined && !(typeof mcp.name === 'string' && mcp.name.trim() !== '')) throw new Error('createRouter: "mcp.name" must be a non-empty string');
  }
  const cors = options.cors;
  if (cors !== undefined) {
    if (cors.origins !== '*' && !Array.isArray(cors.origins)) throw new Error('createRouter: "cors.origins" must be "*" or a list of origins');
    if (cors.origins === '*' && cors.credentials) throw new Error('createRouter: "cors.origins" "*" cannot be combined with "credentials"; list the origins');
  }
}
