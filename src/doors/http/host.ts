import type { AgentReplySettings } from '../../core/agent-reply.js';
import type { Caller, LambdaContext } from '../../core/context.js';
import type { HealthReport } from '../../core/health.js';
import type { Logger } from '../../core/logger.js';
import type { Registry } from '../../core/registry.js';
import type { MaybePromise } from '../../util/maybe-async.js';
import type { HttpExchange, HttpReply } from './exchange.js';
import type { HttpDoorOptions } from './options.js';
import type { RouteTable } from './routes.js';

/** A built-in route another door plugs in at an exact path (the envelope's `POST /lambda`); it needs no identity. */
export interface PluggedRoute {
  readonly allow: readonly string[];
  run(ex: HttpExchange, http: HttpHost): MaybePromise<HttpReply>;
}

/**
 * A web handler mounted on the HTTP door (`router.mount`): it answers first every path that is `base` or
 * under it (`/chat`, `/chat/x`, not `/chatty`), or resolves `undefined` to let the router answer.
 */
export interface Mount {
  /** The prefix as shown in messages. */
  readonly prefix: string;
  /** The prefix without its trailing "/" (`''` for the root). */
  readonly base: string;
  readonly handler: (request: Request) => Response | undefined | Promise<Response | undefined>;
  /** The largest body handed to the handler (`MountOptions.maxBodyBytes`); unset: the router's `maxBodyBytes`. */
  readonly maxBodyBytes?: number;
}

/** The options of `router.mount`. */
export interface MountOptions {
  /**
   * The largest request body handed to the handler, in bytes (default: the router's `maxBodyBytes`, 1 MiB
   * unless set). The body is read whole before the handler runs; a larger one is a 413 and the handler is
   * not called. Raise it for a handler that takes uploads, such as `diskBlobs().serve` for presigned PUTs
   * (their own `maxBytes` is checked by the handler), without raising the JSON limit of every operation.
   */
  maxBodyBytes?: number;
}

/** What the HTTP door's request handling reads from the door of one router (see `HttpDoor`). */
export interface HttpHost {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly options: Readonly<HttpDoorOptions>;
  /** The session attribute holding the role on agent doors, which `POST /bedrock` replaces with the HTTP identity. */
  readonly roleAttribute: string;
  /** The agent doors' reply settings (`maxResponseBytes`…), which the MCP endpoint answers with. */
  readonly agentReplies: AgentReplySettings;
  /** Runs a raw Bedrock Agents event for `POST /bedrock` (the router's agent doors). */
  readonly bedrock: (event: Record<string, unknown>, lambdaContext: LambdaContext | undefined) => Promise<unknown>;
  /**
   * Runs an AgentCore Gateway call for `POST /agentcore` (the router's AgentCore door): `custom` is the
   * Lambda client context's; `caller`, when given (the HTTP identity), replaces `agentCoreCaller`'s.
   */
  readonly agentCore: (event: unknown, custom: Record<string, unknown>, caller: Caller | undefined) => Promise<unknown>;
  /** The health report of the router's probes, for `GET /health` (cached, never rejects). */
  readonly health: () => Promise<Omit<HealthReport, 'version'>>;
  /** The route table of the HTTP-callable operations. Throws on clashing routes. */
  routes(): RouteTable;
  /** Built-in routes other doors plugged in, by exact raw path. */
  readonly plugged: Map<string, PluggedRoute>;
  /** Mounted web handlers, tried in order before anything else. */
  readonly mounts: readonly Mount[];
  /** Generated documents (schemas) by key, dropped when the groups change. */
  documents(): Map<string, string>;
}
