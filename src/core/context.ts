import type { Logger } from './logger.js';

/** Which protocol an operation was called through. */
export type Door =
  | 'bedrock-openapi'
  | 'bedrock-function'
  | 'return-control'
  | 'agentcore'
  | 'http'
  | 'cognito'
  | 'schedule'
  | 'envelope'
  | 'mcp'
  | 'invoke';

/** Who is calling: from session attributes on agent doors, from `authenticate` over HTTP. */
export interface Caller {
  role?: string;
  userId?: string;
  email?: string;
}

/** The agent that sent a Bedrock Agents event. */
export interface AgentInfo {
  name?: string;
  id?: string;
  alias?: string;
  version?: string;
}

/** The parts of the AWS Lambda context this library reads. */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  clientContext?: { custom?: Record<string, unknown> | undefined } | null | undefined;
  [key: string]: unknown;
}

/** The second argument of every handler. */
export interface ActionContext {
  /** Request id: the Lambda request id, the HTTP `x-request-id`, or a fresh UUID. */
  requestId: string;
  /** The agent session id, when the door carries one. */
  sessionId?: string;
  /** What the user said to the agent, when the door carries it. */
  inputText?: string;
  /** The calling agent, on Bedrock doors. */
  agent?: AgentInfo;
  /** Name of the action group the operation belongs to. */
  actionGroup: string;
  /** Name of the operation being run. */
  operation: string;
  /** The protocol the call came through. */
  door: Door;
  /** Session attributes (string → string), echoed back to the agent; empty on doors without sessions. */
  session: Record<string, string>;
  /** Prompt session attributes (string → string), echoed back; empty on doors without sessions. */
  promptSession: Record<string, string>;
  /** Who is calling; `{}` when unknown. */
  caller: Caller;
  /** Structured JSON logger carrying `requestId`, the operation and `BUILD_TAG`. */
  logger: Logger;
  /** Aborted when the operation's `timeoutMs` elapses; pass it to fetch and SDK calls. */
  signal: AbortSignal;
  /** The Lambda context, when called from Lambda. */
  lambdaContext?: LambdaContext;
}

/** What a door knows about a call before the router builds the {@link ActionContext}. */
export interface CallInfo {
  door: Door;
  requestId?: string;
  sessionId?: string;
  inputText?: string;
  agent?: AgentInfo;
  /**
   * The received session attributes; `ctx.session` is a string → string copy made on first use. A door
   * that echoes them in its reply (the agent doors) passes them string → string already (`receivedMap`),
   * since an untouched map is sent back as it is.
   */
  session?: Record<string, unknown>;
  /** The received prompt session attributes, as `session`. */
  promptSession?: Record<string, unknown>;
  caller?: Caller;
  /**
   * When `caller` is not given: read it from `session`, with the role under this attribute (agent doors,
   * whose session attributes are trusted). Read only when a handler or a role check needs it.
   */
  roleAttribute?: string;
  lambdaContext?: LambdaContext;
}
