import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/index.js';
import { bedrockOpenApiEvent, lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

// The input event shape of the AWS "agents-lambda" page (OpenAPI schema action groups).
const awsEvent = {
  messageVersion: '1.0',
  agent: { name: 'support-agent', id: 'AGENTID123', alias: 'TSTALIASID', version: 'DRAFT' },
  inputText: 'Where is my order A-1001? Show me up to 5 lines',
  sessionId: '123456789012345',
  actionGroup: 'Orders',
  apiPath: '/orders/{orderId}',
  httpMethod: 'GET',
  parameters: [
    { name: 'orderId', type: 'string', value: 'A-1001' },
    { name: 'includeItems', type: 'boolean', value: 'true' },
    { name: 'maxItems', type: 'integer', value: '5' },
  ],
  sessionAttributes: { role: 'Agent', email: 'ana@example.com' },
  promptSessionAttributes: { tone: 'formal' },
};

function setup() {
  const log = memoryLogger();
  return { router: createRouter({ logger: log.logger }).add(ordersGroup()), log };
}

describe('Bedrock Agents, OpenAPI door', () => {
  it('answers the documented event with the documented reply shape, echoing session state', async () => {
    const { router } = setup();
    const reply = await router.handle(awsEvent, lambdaContext());
    expect(reply).toEqual({
      messageVersion: '1.0',
      response: {
        actionGroup: 'Orders',
        apiPath: '/orders/{orderId}',
        httpMethod: 'GET',
        httpStatusCode: 200,
        responseBody: {
          'application/json': {
            body: JSON.stringify({ orderId: 'A-1001', status: 'shipped', includeItems: true, maxItems: 5, caller: 'Agent' }),
          },
        },
      },
      sessionAttributes: { role: 'Agent', email: 'ana@example.com', lastOrder: 'A-1001' },
      promptSessionAttributes: { tone: 'formal' },
    });
  });

  it('an event that has both apiPath and function is read as OpenAPI style (one Bedrock door serves both styles)', async () => {
    const { router } = setup();
    const reply = (await router.handle({ ...awsEvent, function: 'getOrder' }, lambdaContext())) as { response: Record<string, unknown> };
    expect(reply.response.apiPath).toBe('/orders/{orderId}');
    expect(reply.response.httpStatusCode).toBe(200);
    expect(reply.response).not.toHaveProperty('functionResponse');
  });

  it('merges requestBody properties with path parameters and parses Java-style arrays of objects', async () => {
    const { router } = setup();
    const event = {
      ...awsEvent,
      apiPath: '/orders/{orderId}/items',
      httpMethod: 'POST',
      parameters: [{ name: 'orderId', type: 'string', value: 'A-1001' }],
      requestBody: {
        content: {
          'application/json': {
            properties: [
              { name: 'items', type: 'array', value: '[{sku=MUG-1, qty=2}, {sku=TEE-9, qty=1}]' },
              { name: 'giftWrap', type: 'boolean', value: 'TRUE' },
              { name: 'tags', type: 'array', value: 'birthday, urgent' },
            ],
          },
        },
      },
    };
    const reply = (await router.handle(event)) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
    expect(reply.response.httpStatusCode).toBe(200);
    expect(JSON.parse(reply.response.responseBody['application/json'].body)).toEqual({
      orderId: 'A-1001',
      added: [
        { sku: 'MUG-1', qty: 2 },
        { sku: 'TEE-9', qty: 1 },
      ],
      giftWrap: true,
      tags: ['birthday', 'urgent'],
    });
  });

  it('sends a string output as the string itself, never double-quoted', async () => {
    const { router } = setup();
    const reply = (await router.handle(bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}/note', httpMethod: 'GET', parameters: { orderId: 'A-1' } }))) as {
      response: { responseBody: { 'application/json': { body: string } } };
    };
    expect(reply.response.responseBody['application/json'].body).toBe('Note for A-1: leave at the door');
  });

  it('replies 404 in the Bedrock shape for an unknown path, listing the known operations', async () => {
    const { router } = setup();
    const reply = (await router.handle({ ...awsEvent, apiPath: '/refunds/{id}' })) as { response: { httpStatusCode: number; apiPath: string; responseBody: { 'application/json': { body: string } } } };
    expect(reply.response.httpStatusCode).toBe(404);
    expect(reply.response.apiPath).toBe('/refunds/{id}');
    const body = JSON.parse(reply.response.responseBody['application/json'].body);
    expect(body.error.code).toBe('UNKNOWN_OPERATION');
    expect(body.error.message).toContain('GET /refunds/{id}');
    expect(body.error.message).toContain('getOrder (GET /orders/{orderId})');
    expect(body.error.message).toContain('addItems (POST /orders/{orderId}/items)');
  });

  it('finds the operation when the agent names the action group differently', async () => {
    const { router } = setup();
    const reply = (await router.handle({ ...awsEvent, actionGroup: 'orders-prod' })) as { response: { httpStatusCode: number; actionGroup: string } };
    expect(reply.response).toMatchObject({ httpStatusCode: 200, actionGroup: 'orders-prod' });
  });

  it('replies 400 in the Bedrock shape for a malformed parameters list instead of throwing', async () => {
    const { router } = setup();
    const reply = (await router.handle({ ...awsEvent, parameters: 'orderId=1' })) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } }; sessionAttributes: object };
    expect(reply.response.httpStatusCode).toBe(400);
    expect(JSON.parse(reply.response.responseBody['application/json'].body).error.message).toBe('Malformed event: parameters must be a list of { name, value } objects.');
    expect(reply.sessionAttributes).toEqual(awsEvent.sessionAttributes);
  });

  it('lists every field problem in one 400', async () => {
    const { router } = setup();
    const reply = (await router.handle(
      bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', parameters: { orderId: 'A-1', includeItems: 'maybe', maxItems: 'abc' } }),
    )) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
    expect(reply.response.httpStatusCode).toBe(400);
    expect(JSON.parse(reply.response.responseBody['application/json'].body)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid input for getOrder: includeItems expected true or false, got "maybe"; maxItems expected a number, got "abc". Fix these fields and call again.',
        details: [
          { field: 'includeItems', problem: 'expected true or false, got "maybe"' },
          { field: 'maxItems', problem: 'expected a number, got "abc"' },
        ],
      },
    });
  });
});
