import type { SetupServer } from 'msw/node';
import { createRouter, type Router } from '../../../src/router.js';
import type { BedrockOpenApiResponse } from '../../../src/doors/bedrock-openapi.js';
import { interactionOps, type InteractionOpsOptions } from '../../../src/packs/interactions/index.js';
import { bedrockOpenApiEvent, lambdaContext } from '../../../src/testing/index.js';
import type { ActionGroup } from '../../../src/core/operation.js';
import { memoryLogger } from '../../support/logger.js';
import { hubspotHandlers, TOKEN, type Portal, type Seen } from './fixtures/hubspot.js';

export const AGENT = { role: 'Agent', email: 'ana@example.com', userId: 'u-17' };

/** A router serving InteractionOps against the fake portal; `seen` holds what HubSpot received. */
export function setup(server: SetupServer, portal: Portal, options: InteractionOpsOptions | ActionGroup = {}) {
  const seen: Seen[] = [];
  server.use(...hubspotHandlers(portal, seen));
  const log = memoryLogger();
  const group = 'name' in options && typeof options.name === 'string' ? (options as ActionGroup) : interactionOps({ accessToken: TOKEN, ...(options as InteractionOpsOptions) });
  const router = createRouter({ logger: log.logger }).add(group);
  return { router, seen, log };
}

/** Calls an operation the way a Bedrock agent does and returns the Bedrock reply with its parsed body. */
export async function call(router: Router, apiPath: string, parameters: Record<string, unknown>, sessionAttributes: Record<string, string> = AGENT) {
  const event = bedrockOpenApiEvent({ actionGroup: 'InteractionOps', apiPath, httpMethod: 'GET', parameters, sessionAttributes });
  const reply = (await router.handle(event, lambdaContext())) as BedrockOpenApiResponse;
  return { reply, status: reply.response.httpStatusCode, body: JSON.parse(reply.response.responseBody['application/json'].body) };
}

export const transcription = (router: Router, parameters: Record<string, unknown>, session?: Record<string, string>) => call(router, '/call-transcription/{ticketId}', parameters, session);
export const emailThread = (router: Router, parameters: Record<string, unknown>, session?: Record<string, string>) => call(router, '/email-thread/{ticketId}', parameters, session);
