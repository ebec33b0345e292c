import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LambdaContext } from '../core/context.js';
import { handleEvent } from '../core/door.js';
import { ActionGroup } from '../core/operation.js';
import { registryOf, type RegistryOptions } from '../core/registry.js';
import { agentDoors, type AgentDoorOptions } from '../doors/agent.js';
import { agentDoorList } from '../doors/agent-list.js';
import { apiGatewayExchange, isApiGatewayEvent } from '../doors/api-gateway.js';
import { createRouter, httpDoorOf, Router } from '../router.js';

/** A Lambda handler: `(event, context) => Promise<reply>`; plain enough to wrap with Middy. */
export type LambdaHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

function routerOf(target: Router | ActionGroup, who: string): Router {
  const router = target instanceof ActionGroup ? createRouter().add(target) : target;
  if (!(router instanceof Router)) throw new TypeError(`${who}: expected a router from createRouter() or a group from actionGroup()`);
  return router;
}

/**
 * Turns a router (or a single group, served by a default router) into a Lambda handler. The handler
 * detects the door from the event and replies in that door's shape.
 */
export function toLambda(target: Router | ActionGroup): LambdaHandler {
  const router = routerOf(target, 'toLambda');
  return (event, context) => router.handle(event, context);
}

/** Options of {@link toAgentLambda}: the router options that apply to agent doors. */
export interface AgentLambdaOptions extends RegistryOptions, AgentDoorOptions {}

/**
 * A Lambda handler for the agent doors only: Bedrock Agents action groups (OpenAPI and function-details
 * events) and AgentCore Gateway Lambda targets, answered exactly as {@link toLambda} answers them. Any
 * other event (API Gateway, the envelope, Cognito, schedules) is refused with an error naming what it
 * accepts. It is {@link toLambda} for a Lambda only agents call: the bundle carries no HTTP door, no
 * schema generator and no playground (about 34 KiB minified instead of about 81, zod external).
 * Group names must be unique.
 */
export function toAgentLambda(groups: ActionGroup | readonly ActionGroup[], options: AgentLambdaOptions = {}): LambdaHandler {
  const registry = registryOf('toAgentLambda', groups, options);
  const doors = agentDoorList(agentDoors(registry, options, 'toAgentLambda'));
  return (event, context) => handleEvent(doors, event, context);
}

/** The parts of the Lambda Node.js runtime's `awslambda` global that response streaming uses. */
export interface LambdaStreamingRuntime {
  streamifyResponse(handler: (event: unknown, responseStream: Writable, context: LambdaContext) => Promise<void>): unknown;
  HttpResponseStream: { from(stream: Writable, metadata: { statusCode: number; headers: Record<string, string>; cookies?: string[] }): Writable };
}

/** Options of {@link toLambdaStreaming}. */
export interface LambdaStreamingOptions {
  /** The runtime's streaming API (default: the `awslambda` global the Lambda Node.js runtime provides). */
  runtime?: LambdaStreamingRuntime;
}

/**
 * A response-streaming Lambda handler (`awslambda.streamifyResponse`) for a Function URL with
 * `InvokeMode: RESPONSE_STREAM`: HTTP events go through the HTTP door and their bodies are written as
 * they come — server-sent events reach the client chunk by chunk, files are not buffered, and past
 * API Gateway's 6 MB limit (up to Lambda's 200 MB streamed). A client that goes away cancels the body
 * (and so the work producing it). Other events (Bedrock, AgentCore, …) are answered as by
 * {@link toLambda}, the reply written as JSON. Only Function URLs stream; API Gateway buffers, so behind
 * it use {@link toLambda}. Throws at creation outside the Lambda runtime unless `runtime` is given.
 */
export function toLambdaStreaming(target: Router | ActionGroup, options: LambdaStreamingOptions = {}): unknown {
  const router = routerOf(target, 'toLambdaStreaming');
  const runtime = options.runtime ?? (globalThis as { awslambda?: LambdaStreamingRuntime }).awslambda;
  if (!runtime || typeof runtime.streamifyResponse !== 'function') {
    throw new Error('toLambdaStreaming: the "awslambda" global of the Lambda Node.js runtime is missing; this handler runs only on Lambda (or pass options.runtime)');
  }
  const http = httpDoorOf(router);
  http.routes();
  return runtime.streamifyResponse(async (event, responseStream, context) => {
    if (!isApiGatewayEvent(event)) {
      const reply = await router.handle(event, context);
      await pipeline(Readable.from([JSON.stringify(reply) ?? 'null']), responseStream);
      return;
    }
    const reply = await http.dispatch(apiGatewayExchange(event, context));
    const stream = runtime.HttpResponseStream.from(responseStream, { statusCode: reply.status, headers: reply.headers });
    const body = reply.body;
    const source = body === undefined ? Readable.from([]) : typeof body === 'string' || body instanceof Uint8Array ? Readable.from([body]) : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
    // pipeline destroys the source when the client goes away, which cancels a web stream's producer.
    await pipeline(source, stream).catch((error: unknown) => router.logger.warn('the streamed reply ended early', { error }));
  });
}
