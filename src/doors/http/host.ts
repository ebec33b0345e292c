import type { AgentReplySettings } from '../../core/agent-reply.js';
import type { LambdaContext } from '../../core/context.js';
import type { HealthReport } from '../../core/health.js';
import type { Logger } from '../../core/logger.js';
import type { Registry } from '../../core/registry.js';
import type { HttpDoorOptions } from './options.js';
import type { RouteTable } from './routes.js';

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
  /** The health report of the router's probes, for `GET /health` (cached, never rejects). */
  readonly health: () => Promise<Omit<HealthReport, 'version'>>;
  /** The route table of the HTTP-callable operations. Throws on clashing routes. */
  routes(): RouteTable;
  /** Generated documents (schemas) by key, dropped when the groups change. */
  documents(): Map<string, string>;
}
