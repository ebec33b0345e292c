import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter } from '../../src/index.js';
import { bedrockFunctionEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

// The input event shape of the AWS "agents-lambda" page (function details action groups).
const awsEvent = {
  messageVersion: '1.0',
  agent: { name: 'support-agent', id: 'AGENTID123', alias: 'TSTALIASID', version: '1' },
  inputText: 'Is order A-7 shipped?',
  sessionId: '123456789012345',
  actionGroup: 'Orders',
  function: 'getOrder',
  parameters: [
    { name: 'orderId', type: 'string', value: 'A-7' },
    { name: 'maxItems', type: 'number', value: '3' },
  ],
  sessionAttributes: { role: 'Supervisor' },
  promptSessionAttributes: {},
};

type FnReply = {
  messageVersion: string;
  response: { actionGroup: string; function: string; functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } };
  sessionAttributes: Record<string, string>;
  promptSessionAttributes: Record<string, string>;
};

describe('Bedrock Agents, function door', () => {
  it('answers the documented event with no responseState on success', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    expect(await router.handle(awsEvent)).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'Orders',
        function: 'getOrder',
        functionResponse: { responseBody: { TEXT: { body: JSON.stringify({ orderId: 'A-7', status: 'shipped', includeItems: false, maxItems: 3, caller: 'Supervisor' }) } } },
      },
      sessionAttributes: { role: 'Supervisor', lastOrder: 'A-7' },
      promptSessionAttributes: {},
    });
  });

  it('marks 4xx outcomes REPROMPT and 5xx FAILURE', async () => {
    const log = memoryLogger();
    const router = createRouter({ logger: log.logger }).add(ordersGroup());
    const notFound = (await router.handle({ ...awsEvent, parameters: [{ name: 'orderId', type: 'string', value: 'missing' }] })) as FnReply;
    expect(notFound.response.functionResponse).toEqual({
      responseState: 'REPROMPT',
      responseBody: { TEXT: { body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'order missing not found' } }) } },
    });
    const boom = (await router.handle({ ...awsEvent, parameters: [{ name: 'orderId', type: 'string', value: 'boom' }] }, { awsRequestId: 'req-9' })) as FnReply;
    expect(boom.response.functionResponse.responseState).toBe('FAILURE');
    const body = boom.response.functionResponse.responseBody.TEXT.body;
    expect(JSON.parse(body)).toEqual({ error: { code: 'INTERNAL', message: 'getOrder failed unexpectedly; the details were logged (request req-9). Try again later.' } });
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('at ');
    const logged = log.lines.find((l) => l.message === 'unexpected error') as { error: { stack: string }; requestId: string; build: string };
    expect(logged.error.stack).toContain('database password=hunter2 exploded');
    expect(logged.requestId).toBe('req-9');
    expect(logged.build).toBe('test-build');
  });

  it('replies 404 naming the known functions for an unknown function', async () => {
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    const reply = (await router.handle({ ...awsEvent, function: 'refund' })) as FnReply;
    expect(reply.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error.message).toBe(
      'Unknown operation: function "refund" in action group "Orders". Known operations: getOrder (GET /orders/{orderId}), addItems (POST /orders/{orderId}/items), orderNote (GET /orders/{orderId}/note).',
    );
  });

  it('passes custom ActionError statuses, codes and details through', async () => {
    const group = actionGroup({ name: 'Up', description: 'Upstream calls' }).operation({
      name: 'callUp',
      method: 'GET',
      path: '/up',
      description: 'Calls upstream',
      input: z.object({}),
      handler: () => {
        throw new ActionError(502, 'HubSpot answered 503 (correlation id abc-123)', { code: 'UPSTREAM_ERROR', details: { upstreamStatus: 503 } });
      },
    });
    const router = createRouter({ logger: memoryLogger().logger }).add(group);
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Up', function: 'callUp' }))) as FnReply;
    expect(reply.response.functionResponse).toEqual({
      responseState: 'FAILURE',
      responseBody: { TEXT: { body: JSON.stringify({ error: { code: 'UPSTREAM_ERROR', message: 'HubSpot answered 503 (correlation id abc-123)', details: { upstreamStatus: 503 } } }) } },
    });
  });

  it('keeps session values strings and carries prompt session attributes through', async () => {
    const group = actionGroup({ name: 'S', description: 'Session' }).operation({
      name: 'remember',
      method: 'POST',
      path: '/remember',
      description: 'Remember things',
      input: z.object({ count: z.number().int().describe('How many') }),
      handler: ({ count }, ctx) => {
        ctx.session.count = String(count + Number(ctx.session.count ?? 0));
        (ctx.session as Record<string, unknown>).flag = true;
        ctx.promptSession.hint = 'asked twice';
        delete ctx.session.drop;
        return { ok: true };
      },
    });
    const router = createRouter({ logger: memoryLogger().logger }).add(group);
    const first = (await router.handle(
      bedrockFunctionEvent({ actionGroup: 'S', function: 'remember', parameters: { count: 2 }, sessionAttributes: { count: '5', drop: 'x' }, promptSessionAttributes: { p: '1' } }),
    )) as FnReply;
    expect(first.sessionAttributes).toEqual({ count: '7', flag: 'true' });
    expect(first.promptSessionAttributes).toEqual({ p: '1', hint: 'asked twice' });
    const second = (await router.handle(
      bedrockFunctionEvent({ actionGroup: 'S', function: 'remember', parameters: { count: 1 }, sessionAttributes: first.sessionAttributes, promptSessionAttributes: first.promptSessionAttributes }),
    )) as FnReply;
    expect(second.sessionAttributes.count).toBe('8');
  });
});
