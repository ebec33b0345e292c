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
}

/** Checks the HTTP options when the router is created, so a bad setting fails at start-up. */
export function checkHttpOptions(options: HttpDoorOptions): void {
  if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes > 0)) {
    throw new Error('createRouter: "maxBodyBytes" must be a positive integer');
  }
  if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new Error('createRouter: "authenticate" must be a function');
  const cors = options.cors;
  if (cors !== undefined) {
    if (cors.origins !== '*' && !Array.isArray(cors.origins)) throw new Error('createRouter: "cors.origins" must be "*" or a list of origins');
    if (cors.origins === '*' && cors.credentials) throw new Error('createRouter: "cors.origins" "*" cannot be combined with "credentials"; list the origins');
  }
}
