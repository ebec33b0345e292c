// toAgentLambda: the agent doors only, answering exactly as toLambda does; everything else refused.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { actionGroup, type LambdaContext } from '../../src/index.js';
import { toAgentLambda, toLambda } from '../../src/adapters/lambda.js';
import { bedrockFunctionEvent, bedrockOpenApiEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

const lambdaContext = { awsRequestId: 'req-1', functionName: 'agent', getRemainingTimeInMillis: () => 30_000 };
const agentCoreContext = { ...lambdaContext, clientContext: { custom: { bedrockAgentCoreToolName: 'orders-target___getOrder' } } };

const events: [string, unknown, LambdaContext][] = [
  ['a function-details event', bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { orderId: 'A-1', includeItems: true }, sessionAttributes: { role: 'Agent' } }), lambdaContext],
  ['an OpenAPI event with a body', bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}/items', httpMethod: 'POST', parameters: { orderId: 'A-1' }, body: { items: [{ sku: 'S', qty: 2 }] }, sessionAttributes: { role: 'Agent' } }), lambdaContext],
  ['a refused role', bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}/items', httpMethod: 'POST', parameters: { orderId: 'A-1' }, body: { items: [{ sku: 'S', qty: 2 }] }, sessionAttributes: { role: 'Guest' } }), lambdaContext],
  ['a validation failure', bedrockFunctionEvent({ actionGroup: 'Orders', function: 'getOrder', parameters: { maxItems: 'many' } }), lambdaContext],
  ['an unknown function', bedrockFunctionEvent({ actionGroup: 'Orders', function: 'nope' }), lambdaContext],
  ['an AgentCore Gateway call', { orderId: 'A-2' }, agentCoreContext],
];

describe('toAgentLambda', () => {
  it.each(events)('answers %s exactly as toLambda does', async (_name, event, context) => {
    const agentOnly = toAgentLambda(ordersGroup(), { logger: memoryLogger().logger });
    const full = toLambda(ordersGroup());
    expect(await agentOnly(structuredClone(event), context)).toEqual(await full(structuredClone(event), context));
  });

  it('answers a function-details event in Bedrock’s shape, session attributes echoed', async () => {
    const handler = toAgentLambda(ordersGroup());
    const reply = await handler(bedrockFunctionEvent({ actionGroup: 'Orders', function: 'orderNote', parameters: { orderId: 'A-9' }, sessionAttributes: { role: 'Agent' } }), lambdaContext);
    expect(reply).toEqual({
      messageVersion: '1.0',
      response: { actionGroup: 'Orders', function: 'orderNote', functionResponse: { responseBody: { TEXT: { body: 'Note for A-9: leave at the door' } } } },
      sessionAttributes: { role: 'Agent' },
      promptSessionAttributes: {},
    });
  });

  it('refuses an API Gateway event, naming the three shapes it accepts', async () => {
    const handler = toAgentLambda(ordersGroup());
    const apiGateway = { version: '2.0', rawPath: '/orders/A-1', requestContext: { http: { method: 'GET', path: '/orders/A-1' } }, headers: {} };
    await expect(handler(apiGateway, lambdaContext)).rejects.toThrow(
      /^Unrecognised event \(.*\)\. This router accepts: an AgentCore Gateway Lambda-target call \(context\.clientContext\.custom\.bedrockAgentCoreToolName\); a Bedrock Agents OpenAPI-style event \(messageVersion, actionGroup, apiPath, httpMethod\); a Bedrock Agents function-style event \(messageVersion, actionGroup, function\)\.$/,
    );
  });

  it('serves a list of groups and applies the agent options (roleAttribute, maxResponseBytes, logger)', async () => {
    const big = actionGroup({ name: 'Big', description: 'Big replies' }).operation({
      name: 'big', method: 'GET', path: '/big', description: 'A large reply.',
      input: z.object({}), handler: async () => ({ text: 'é'.repeat(400) }),
    });
    const log = memoryLogger();
    const handler = toAgentLambda([ordersGroup(), big], { roleAttribute: 'userRole', maxResponseBytes: 600, logger: log.logger });
    const added = (await handler(
      bedrockOpenApiEvent({ actionGroup: 'Orders', apiPath: '/orders/{orderId}/items', httpMethod: 'POST', parameters: { orderId: 'A-1' }, body: { items: [{ sku: 'S', qty: 1 }] }, sessionAttributes: { userRole: 'Supervisor' } }),
      lambdaContext,
    )) as { response: { httpStatusCode: number } };
    expect(added.response.httpStatusCode).toBe(200);
    // 400 two-byte characters are 800 bytes of UTF-8: over 600, so a 413 naming the limit.
    const reply = (await handler(bedrockFunctionEvent({ actionGroup: 'Big', function: 'big' }), lambdaContext)) as { response: { functionResponse: { responseState: string; responseBody: { TEXT: { body: string } } } } };
    expect(reply.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('refuses what is not a group, and a repeated group name, when it is created', () => {
    expect(() => toAgentLambda({ name: 'Orders' } as never)).toThrow(new TypeError('toAgentLambda: expected a group from actionGroup() or a list of them'));
    expect(() => toAgentLambda([ordersGroup(), ordersGroup()])).toThrow('Router: a group named "Orders" was already added');
    expect(() => toAgentLambda(ordersGroup(), { maxResponseBytes: 0 })).toThrow(new Error('toAgentLambda: "maxResponseBytes" must be a positive number'));
  });
});
