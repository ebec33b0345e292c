import type { CallInfo, LambdaContext } from './core/context.js';
import { handleEvent, type DoorPlugin } from './core/door.js';
import type { Logger } from './core/logger.js';
import type { ActionGroup } from './core/operation.js';
import { HealthChecks, type HealthOptions, type HealthReport, type Probe, type ProbeOptions } from './core/health.js';
import { LIBRARY_VERSION } from './core/version.js';
import { Registry, type RegistryOptions } from './core/registry.js';
import { agentDoors, type AgentDoorOptions, type AgentDoors } from './doors/agent.js';
import { agentDoorList } from './doors/agent-list.js';
import { handleAgentCore } from './doors/agentcore.js';
import { apiGatewayDoor } from './doors/api-gateway.js';
import { CognitoDoor } from './doors/cognito/door.js';
import { EnvelopeDoor } from './doors/envelope/door.js';
import type { EnvelopeOptions } from './doors/envelope/types.js';
import type { CognitoTrigger } from './doors/cognito/types.js';
import { HttpDoor } from './doors/http/door.js';
import { checkRoutes } from './doors/http/routes.js';
import type { MountOptions } from './doors/http/host.js';
import type { HttpDoorOptions } from './doors/http/options.js';
import { runReturnControl, type ReturnControlOptions, type ReturnControlPayload, type ReturnControlResult } from './doors/return-control.js';
import { ScheduleDoor } from './doors/schedule/door.js';
import type { ScheduledJob } from './doors/schedule/types.js';

/** Options of {@link createRouter}: the core's, the agent doors' and the HTTP door's. */
export interface RouterOptions extends RegistryOptions, AgentDoorOptions, HttpDoorOptions {
  /** Health probes of the service's dependencies for `GET /health`, with their timeout and cache time (see {@link Router.probe}). */
  health?: HealthOptions;
}

/** Options of {@link Router.add}. */
export interface AddOptions {
  /** Path prefix the group is mounted under on the HTTP door (`/v1`). */
  prefix?: string;
}

/** The door instances of one router, from which the default list is made. */
interface RouterDoors {
  agent: AgentDoors;
  http: HttpDoor;
  envelope: EnvelopeDoor;
  cognito: CognitoDoor;
  schedule: ScheduleDoor;
}

/** The doors `router.handle` tries, in this order: the one list, the agent doors first (see `agentDoorList`). */
function defaultDoors({ agent, http, envelope, cognito, schedule }: RouterDoors): DoorPlugin[] {
  return [...agentDoorList(agent), apiGatewayDoor(http), envelope, cognito, schedule];
}

// The HTTP door of each router, for the node and Express adapters; not part of the Router's API.
const httpDoors = new WeakMap<Router, HttpDoor>();

/**
 * One router serves many action groups through every door: `router.handle(event, context)` in Lambda,
 * `router.fetch(request)` over HTTP, `router.invoke(...)` directly, `router.returnControl(...)` for
 * InvokeAgent's return of control.
 */
export class Router {
  readonly #registry: Registry;
  readonly #agent: AgentDoors;
  readonly #cognito: CognitoDoor;
  readonly #schedule: ScheduleDoor;
  readonly #envelope: EnvelopeDoor;
  readonly #doors: readonly DoorPlugin[];
  readonly #health: HealthChecks;
  readonly #version: string | undefined;

  constructor(options: RouterOptions = {}) {
    const registry = new Registry(options);
    const agent = agentDoors(registry, options);
    this.#health = new HealthChecks(options.health);
    this.#version = options.version;
    const http = new HttpDoor({
      registry,
      options,
      roleAttribute: agent.roleAttribute,
      agentReplies: agent,
      bedrock: (event, context) => this.handle(event, context),
      agentCore: async (event, custom, caller) => handleAgentCore(agent, event, { clientContext: { custom } }, caller),
      health: () => this.#check(),
    });
    const doors: RouterDoors = { agent, http, envelope: new EnvelopeDoor(registry, http), cognito: new CognitoDoor(registry.logger), schedule: new ScheduleDoor(registry.logger) };
    this.#registry = registry;
    this.#agent = agent;
    this.#cognito = doors.cognito;
    this.#schedule = doors.schedule;
    this.#envelope = doors.envelope;
    this.#doors = defaultDoors(doors);
    httpDoors.set(this, http);
    this.fetch = (request) => http.fetch(request);
  }

  /**
   * Serves a web-standard HTTP request (bound, so `router.fetch` can be passed around): the operations at
   * their OpenAPI paths under their prefixes, plus `GET /health`, `GET /openapi.json` (the whole HTTP API),
   * `GET /openapi/{group}.json` and `GET /functions/{group}.json` (a group's Bedrock schemas) and, with
   * `bedrockEndpoint`, `POST /bedrock`; with `playground`, `GET /playground`, `GET /docs` and their routes. Never rejects: every failure is a JSON
   * `{ error: { code, message, details? } }` reply.
   */
  readonly fetch: (request: Request) => Promise<Response>;

  /** The logger operations and the router write to. */
  get logger(): Logger {
    return this.#registry.logger;
  }

  /** The groups served, in the order they were added. */
  get groups(): readonly ActionGroup[] {
    return this.#registry.groups;
  }

  /** The group with this name, if served. */
  group(name: string): ActionGroup | undefined {
    return this.#registry.group(name);
  }

  /**
   * Serves a group. Group names must be unique within a router, and two operations may not answer the same
   * HTTP method and path (throws naming both; mount one group under a `prefix`).
   */
  add(group: ActionGroup, options: AddOptions = {}): this {
    // A taken name is the registry's error to report; a route clash is checked before anything is added.
    if (!this.#registry.group(group.name)) checkRoutes([...this.#registry.mounted, { group, prefix: (options.prefix ?? '').replace(/\/+$/, '') }]);
    this.#registry.add(group, options.prefix);
    return this;
  }

  /**
   * Mounts a web handler on the HTTP door (router.fetch, the node and Express adapters, API Gateway): every
   * request whose path is `prefix` or under it (`/chat` takes `/chat` and `/chat/app.js`, not `/chatty`) goes
   * to it first, with its body, and its `Response` is sent as is (streamed); resolving `undefined` lets the
   * router answer. Mounts are tried in the order they were made.
   * The body is read whole before the handler runs, up to `options.maxBodyBytes` (default: the router's
   * `maxBodyBytes`, 1 MiB unless set): a larger one — declared by Content-Length or sent chunked — is a 413
   * `PAYLOAD_TOO_LARGE` and the handler is not called. GET and HEAD are handed over without reading a body.
   * Mounted handlers do their own authentication (`authenticate` is not applied): `diskBlobs().serve`
   * checks its links' signatures, so `router.mount('/blobs/', blobs.serve, { maxBodyBytes })` serves a disk
   * store's `url()`s and takes its presigned uploads up to `maxBodyBytes`.
   */
  mount(prefix: string, handler: (request: Request) => Response | undefined | Promise<Response | undefined>, options?: MountOptions): this {
    httpDoorOf(this).mount(prefix, handler, options);
    return this;
  }

  /**
   * Registers a health probe for `GET /health`: a cheap check of one dependency (a store's `probe`, a
   * blob store's, an upstream API) that rejects when it is down. A required one down makes the reply
   * 503 `unhealthy`; an optional one `degraded`. Names are unique; returns the router.
   */
  probe(name: string, probe: Probe, options?: ProbeOptions): this {
    this.#health.add(name, probe, options);
    return this;
  }

  /**
   * Runs the probes (the router's and its groups') concurrently, each under the health timeout, or reuses
   * a report younger than the cache time. Never rejects; failures are logged, the report names states only.
   */
  async health(): Promise<HealthReport> {
    return { ...(await this.#check()), version: this.#version ?? (process.env.BUILD_TAG || LIBRARY_VERSION) };
  }

  #check(): Promise<Omit<HealthReport, 'version'>> {
    const fromGroups = new Map<string, { probe: Probe; required: boolean }>();
    for (const group of this.groups) for (const [name, entry] of group.probes) if (!fromGroups.has(name)) fromGroups.set(name, entry);
    return this.#health.check(this.logger, fromGroups);
  }

  /** Registers a scheduled job (EventBridge `aws.events` or a direct `{ since, limit, manual }` event). */
  schedule(job: ScheduledJob): this {
    this.#schedule.add(job);
    return this;
  }

  /**
   * Serves the event envelope `{ payload, body: { event_name, …input } }` (alias `event`): invoked
   * directly through `router.handle` (answered with the operation's output itself, errors as
   * `{ error: { code, message } }`) and as `POST <path>` (default `/lambda`) over HTTP, API Gateway
   * included. `verify` checks the payload (every refusal the same 401); `events` names the operations,
   * which must be on the router already (throws otherwise); with `replayStore` each `jti` is accepted once.
   * Once per router; returns the router.
   */
  envelope(options: EnvelopeOptions): this {
    this.#envelope.configure(options);
    return this;
  }

  /** Registers a Cognito trigger for each of its `triggerSources`. */
  cognito(trigger: CognitoTrigger): this {
    this.#cognito.add(trigger);
    return this;
  }

  /**
   * Detects the door an event came through and answers in that door's shape. Rejects with an Error
   * naming the accepted shapes when no door recognises the event.
   */
  handle(event: unknown, lambdaContext?: LambdaContext): Promise<unknown> {
    return handleEvent(this.#doors, event, lambdaContext);
  }

  /**
   * Calls an operation directly with a raw (uncoerced) input. Resolves with the output; rejects with an
   * ActionError carrying the status and message a door would have sent. A trusted in-process call: it
   * reaches every operation, whatever its `doors` option.
   */
  invoke(groupName: string, operationName: string, rawInput: unknown, call: Partial<CallInfo> = {}): Promise<unknown> {
    return this.#registry.invoke(groupName, operationName, rawInput, call);
  }

  /**
   * Runs every entry of an InvokeAgent `returnControl` payload and returns the
   * `returnControlInvocationResults` array to send back with the payload's `invocationId`.
   */
  returnControl(payload: ReturnControlPayload, options: ReturnControlOptions = {}): Promise<ReturnControlResult[]> {
    return runReturnControl(this.#agent, payload, options);
  }
}

/** Creates a router; add groups with `.add(group)`. */
export function createRouter(options?: RouterOptions): Router {
  return new Router(options);
}

/** The router's HTTP door, for the adapters that serve it (node, Express). */
export function httpDoorOf(router: Router): HttpDoor {
  const http = httpDoors.get(router);
  if (!http) throw new TypeError('expected a router from createRouter()');
  return http;
}
