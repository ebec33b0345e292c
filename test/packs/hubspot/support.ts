import type { SetupServer } from 'msw/node';
import { createRouter, type Router } from '../../../src/router.js';
import type { BedrockOpenApiResponse } from '../../../src/doors/bedrock-openapi.js';
import { hubspotOps, type HubSpotOpsOptions } from '../../../src/packs/hubspot/index.js';
import { bedrockOpenApiEvent } from '../../../src/testing/index.js';
import { fakeHubSpot, HUBSPOT_BASE, HUBSPOT_TOKEN, type FakeHubSpot } from '../../fixtures/hubspot/server.js';
import { memoryLogger } from '../../support/logger.js';

export const AGENT = { role: 'Agent', email: 'agent@example.com', userId: 'user-1' };
export const CURSOR_SECRET = 'hubspot-test-cursor-secret-0001';
export const TICKET_URL_BASE = 'https://app.hubspot.com/contacts/4242/ticket/';

/** The pack wired to the fake HubSpot through a real router; `call` speaks Bedrock's OpenAPI door. */
export interface Harness {
  router: Router;
  fake: FakeHubSpot;
  log: ReturnType<typeof memoryLogger>;
  /** Sends a Bedrock OpenAPI event for `GET apiPath` and returns the status and the parsed body. */
  get(apiPath: string, parameters?: Record<string, unknown>, options?: { inputText?: string; session?: Record<string, string> }): Promise<{ status: number; body: any; raw: BedrockOpenApiResponse }>;
}

export function harness(server: SetupServer, options: HubSpotOpsOptions = {}): Harness {
  const fake = fakeHubSpot();
  server.use(...fake.handlers);
  const log = memoryLogger();
  const router = createRouter({ logger: log.logger }).add(
    hubspotOps({ accessToken: HUBSPOT_TOKEN, baseUrl: HUBSPOT_BASE, cursorSecret: CURSOR_SECRET, ticketUrlBase: TICKET_URL_BASE, retry: { baseDelayMs: 10 }, ...options }),
  );
  return {
    router,
    fake,
    log,
    async get(apiPath, parameters = {}, o = {}) {
      const event = bedrockOpenApiEvent({
        actionGroup: 'HubSpotOps',
        apiPath,
        httpMethod: 'GET',
        parameters,
        sessionAttributes: o.session ?? AGENT,
        ...(o.inputText !== undefined ? { inputText: o.inputText } : {}),
      });
      const raw = (await router.handle(event)) as BedrockOpenApiResponse;
      return { status: raw.response.httpStatusCode, body: JSON.parse(raw.response.responseBody['application/json'].body), raw };
    },
  };
}
