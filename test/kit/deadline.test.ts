import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext, LambdaContext } from '../../src/core/context.js';
import { createRouter } from '../../src/index.js';
import { deadlineOf } from '../../src/kit/deadline.js';
import { interactionOps } from '../../src/packs/interactions/index.js';
import { memoryLogger } from '../support/logger.js';
import { bedrockOpenApiEvent, lambdaContext } from '../../src/testing/index.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const lambdaLeft = (remainingMs: number): LambdaContext => ({ ...lambdaContext(), getRemainingTimeInMillis: () => remainingMs });
const ctxWith = (remainingMs?: number) => ({ ...(remainingMs === undefined ? {} : { lambdaContext: lambdaLeft(remainingMs) }) }) as unknown as ActionContext;

describe('deadlineOf', () => {
  it('is the budget from the first ask, capped by the Lambda remaining time less its margin', () => {
    let now = 1_000_000;
    const deadline = deadlineOf(20_000, { replyMarginMs: 250, now: () => now });
    expect(deadline(ctxWith())).toBe(1_000_000 + 20_000 - 250);
    expect(deadline(ctxWith(5_000))).toBe(1_000_000 + 5_000 - 500 - 250);
    expect(deadline(ctxWith(60_000))).toBe(1_000_000 + 20_000 - 250);
    const one = ctxWith(8_000);
    const first = deadline(one);
    now += 3_000;
    // Every request of one call shares its budget: later asks do not move it.
    expect(deadline(one)).toBe(first);
  });

  it("InteractionOps stops retrying HubSpot's 429 when the Lambda has no time left for it", async () => {
    let calls = 0;
    server.use(
      http.get('https://api.hubapi.com/crm/v3/objects/tickets/:id', () => {
        calls++;
        return HttpResponse.json({ status: 'error', message: 'rate limited' }, { status: 429, headers: { 'retry-after': '2' } });
      }),
    );
    const router = createRouter({ logger: memoryLogger().logger }).add(interactionOps({ accessToken: 'pat-test' }));
    const event = bedrockOpenApiEvent({ actionGroup: 'InteractionOps', apiPath: '/call-transcription/{ticketId}', httpMethod: 'GET', parameters: { ticketId: '101' }, sessionAttributes: { role: 'Agent' } });
    const started = Date.now();
    const reply = (await router.handle(event, lambdaLeft(1_500))) as { response: { httpStatusCode: number } };
    // The 2 s wait cannot fit in the 1.5 s the Lambda has left: a 503 at once, not a retry past the Lambda's end.
    expect(reply.response.httpStatusCode).toBe(503);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
