import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handler, router } from '../../examples/lambda/handler.js';
import { lintBedrock } from '../../src/schema/lint.js';
import { toOpenApi } from '../../src/schema/openapi.js';
import { bedrockFunctionEvent, bedrockOpenApiEvent, lambdaContext } from '../../src/testing/index.js';

describe('examples/lambda: one handler for the agent and for HTTP', () => {
  it('answers a Bedrock OpenAPI-style event, with confirmation-worthy cancel refusing shipped orders', async () => {
    const reply = (await handler(bedrockOpenApiEvent({ actionGroup: 'OrderStatus', apiPath: '/orders/{orderId}/cancel', httpMethod: 'POST', parameters: { orderId: 'A-1001' }, body: {} }), lambdaContext())) as {
      response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } };
    };
    expect(reply.response.httpStatusCode).toBe(409);
    expect(JSON.parse(reply.response.responseBody['application/json'].body).error.message).toBe('Order A-1001 is already shipped and can no longer be cancelled; offer a return instead.');
  });

  it('answers a function-details event', async () => {
    const reply = (await handler(bedrockFunctionEvent({ actionGroup: 'OrderStatus', function: 'getOrderStatus', parameters: { orderId: 'A-1003' } }), lambdaContext())) as {
      response: { functionResponse: { responseBody: { TEXT: { body: string } } } };
    };
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({ orderId: 'A-1003', status: 'delivered', carrier: 'UPS' });
  });

  it('answers a Function URL event with a proxy result', async () => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/orders/A-1002',
      rawQueryString: '',
      headers: { host: 'abc.lambda-url.us-east-1.on.aws' },
      requestContext: { http: { method: 'GET', path: '/orders/A-1002' }, stage: '$default', requestId: 'r', domainName: 'abc.lambda-url.us-east-1.on.aws' },
      isBase64Encoded: false,
    };
    expect(await handler(event, lambdaContext())).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' },
      body: '{"orderId":"A-1002","status":"processing"}',
      isBase64Encoded: false,
    });
  });

  it('deploys a schema that passes the Bedrock lint, uploaded under the name the CLI writes', () => {
    const group = router.group('OrderStatus')!;
    expect(lintBedrock(group)).toEqual([]);
    expect(toOpenApi(group).paths['/orders/{orderId}/cancel']?.post?.['x-requireConfirmation']).toBe('ENABLED');
    const snippet = readFileSync(new URL('../../examples/lambda/deploy-cdk.txt', import.meta.url), 'utf8');
    expect(snippet).toContain("s3ObjectKey: 'openapi/OrderStatus.openapi.json'");
    expect(snippet).toContain("actionGroupName: 'OrderStatus'");
    expect(snippet).toContain("entry: 'examples/lambda/handler.ts'");
  });
});
