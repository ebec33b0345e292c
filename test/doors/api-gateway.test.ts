import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, type RouterOptions } from '../../src/index.js';
import { toLambda } from '../../src/adapters/lambda.js';
import { lambdaContext } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

// The three sample events below are the ones of the AWS documentation, field for field, with only the
// method, path, query, headers and body changed to address this test's operations (marked "changed"):
// - REST API: "Input format of a Lambda function for proxy integration" (API Gateway developer guide);
// - HTTP API: "Payload format version 2.0" (API Gateway developer guide, HTTP API Lambda integrations);
// - Function URL: "Request payload format" (Lambda developer guide, invoking function URLs).

function restApiEvent(changes: Record<string, unknown>) {
  return {
    resource: '/my/path',
    path: '/my/path',
    httpMethod: 'GET',
    headers: { header1: 'value1', header2: 'value1,value2' },
    multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'] },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012',
      apiId: 'id',
      authorizer: { claims: null, scopes: null },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      extendedRequestId: 'request-id',
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '192.0.2.1',
        user: null,
        userAgent: 'user-agent',
        userArn: null,
        clientCert: {
          clientCertPem: 'CERT_CONTENT',
          subjectDN: 'www.example.com',
          issuerDN: 'Example issuer',
          serialNumber: 'a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1',
          validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2021 GMT' },
        },
      },
      path: '/my/path',
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null,
      resourcePath: '/my/path',
      stage: '$default',
    },
    pathParameters: null,
    stageVariables: null,
    body: 'Hello from Lambda!',
    isBase64Encoded: false,
    ...changes,
  };
}

function httpApiEvent(changes: Record<string, unknown>, http: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: { header1: 'value1', header2: 'value1,value2' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      authentication: {
        clientCert: {
          clientCertPem: 'CERT_CONTENT',
          subjectDN: 'www.example.com',
          issuerDN: 'Example issuer',
          serialNumber: 'a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1',
          validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2021 GMT' },
        },
      },
      authorizer: { jwt: { claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] } },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent', ...http },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
      ...context,
    },
    body: 'Hello from Lambda',
    pathParameters: { parameter1: 'value1' },
    isBase64Encoded: false,
    stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
    ...changes,
  };
}

function functionUrlEvent(changes: Record<string, unknown>, http: Record<string, unknown> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: { header1: 'value1', header2: 'value1,value2' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: '<urlid>',
      authentication: null,
      authorizer: {
        iam: { accessKey: 'AKIA...', accountId: '111122223333', callerId: 'AIDA...', cognitoIdentity: null, principalOrgId: null, userArn: 'arn:aws:iam::111122223333:user/example-user', userId: 'AIDA...' },
      },
      domainName: '<url-id>.lambda-url.us-west-2.on.aws',
      domainPrefix: '<url-id>',
      http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '123.123.123.123', userAgent: 'agent', ...http },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: 'Hello from client!',
    pathParameters: null,
    isBase64Encoded: false,
    stageVariables: null,
    ...changes,
  };
}

function catalog() {
  return actionGroup({ name: 'Catalog', description: 'Products' })
    .operation({
      name: 'searchProducts',
      method: 'GET',
      path: '/products',
      description: 'Search products.',
      input: z.object({ tags: z.array(z.string()).default([]).describe('Tags'), limit: z.number().int().default(10).describe('Most results') }),
      handler: (input) => input,
    })
    .operation({
      name: 'addNote',
      method: 'POST',
      path: '/products/{sku}/notes',
      description: 'Add a note.',
      input: z.object({ sku: z.string().describe('SKU'), text: z.string().describe('Text') }),
      handler: ({ sku, text }, ctx) => ({ sku, text, requestId: ctx.requestId, caller: ctx.caller }),
    });
}

function setup(options: RouterOptions = {}) {
  const log = memoryLogger();
  const router = createRouter({ logger: log.logger, ...options }).add(ordersGroup()).add(catalog());
  return { handler: toLambda(router), router, log };
}

const JSON_RESULT = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' };

describe('API Gateway REST API (payload 1.0)', () => {
  it('answers the documented event with a proxy result, reading multi-value query strings as lists', async () => {
    const { handler } = setup();
    const event = restApiEvent({
      resource: '/products', // changed
      path: '/products', // changed
      multiValueQueryStringParameters: { tags: ['red', 'wool'], limit: ['3'] }, // changed
      queryStringParameters: { tags: 'wool', limit: '3' }, // changed (API Gateway keeps the last value here)
      body: null, // changed: a GET has none
    });
    expect(await handler(event, lambdaContext())).toEqual({
      statusCode: 200,
      headers: JSON_RESULT,
      body: JSON.stringify({ tags: ['red', 'wool'], limit: 3 }),
      isBase64Encoded: false,
    });
  });

  it('reads a base64 body and multi-value headers, and passes the Lambda request id to the handler', async () => {
    const { handler } = setup();
    const event = restApiEvent({
      resource: '/products/{sku}/notes', // changed
      path: '/products/SKU-1/notes', // changed
      httpMethod: 'POST', // changed
      multiValueHeaders: { 'Content-Type': ['application/json'], header2: ['value1', 'value2'] }, // changed
      headers: { 'Content-Type': 'application/json', header2: 'value2' }, // changed
      multiValueQueryStringParameters: null, // changed
      queryStringParameters: null, // changed
      body: Buffer.from(JSON.stringify({ text: 'fragile' })).toString('base64'), // changed
      isBase64Encoded: true, // changed
    });
    const result = (await handler(event, lambdaContext())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ sku: 'SKU-1', text: 'fragile', requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', caller: {} });
  });

  it('strips a named stage from the path when it is there', async () => {
    const { handler } = setup();
    const base = { multiValueQueryStringParameters: null, queryStringParameters: null, body: null };
    const staged = restApiEvent({ ...base, path: '/prod/orders/A-1', requestContext: { ...restApiEvent({}).requestContext, stage: 'prod' } }); // changed
    expect(JSON.parse(((await handler(staged, lambdaContext())) as { body: string }).body).orderId).toBe('A-1');
    const plain = restApiEvent({ ...base, path: '/orders/A-2', requestContext: { ...restApiEvent({}).requestContext, stage: 'prod' } }); // changed
    expect(JSON.parse(((await handler(plain, lambdaContext())) as { body: string }).body).orderId).toBe('A-2');
  });

  it('answers errors in the proxy shape: 404 unknown path, 415 text body, 400 traversal', async () => {
    const { handler } = setup();
    const unknown = (await handler(restApiEvent({ body: null }), lambdaContext())) as { statusCode: number; body: string };
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('NOT_FOUND');
    const text = (await handler(restApiEvent({ path: '/products/S/notes', httpMethod: 'POST', multiValueHeaders: { 'content-type': ['text/plain'] } }), lambdaContext())) as { statusCode: number };
    expect(text.statusCode).toBe(415);
    const traversal = (await handler(restApiEvent({ path: '/orders/..%2Fadmin', body: null, multiValueQueryStringParameters: null, queryStringParameters: null }), lambdaContext())) as { statusCode: number };
    expect(traversal.statusCode).toBe(400);
  });
});

describe('API Gateway HTTP API (payload 2.0)', () => {
  it('answers the documented event: raw query string with a repeated key, JSON body, cookies and headers', async () => {
    let seen: Request | undefined;
    const { handler } = setup({
      authenticate: (request) => {
        seen = request;
        return request.headers.get('authorization') === 'Bearer t' ? { role: 'Agent', userId: 'u-1' } : null;
      },
    });
    const event = httpApiEvent(
      {
        rawPath: '/products/SKU-2/notes', // changed
        rawQueryString: 'text=ignored&extra=1&extra=2', // changed
        headers: { 'content-type': 'application/json', authorization: 'Bearer t', header2: 'value1,value2' }, // changed
        body: JSON.stringify({ text: 'from the body' }), // changed
      },
      { path: '/products/SKU-2/notes' }, // changed
    );
    const result = (await handler(event, lambdaContext())) as { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean };
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(JSON.parse(result.body)).toEqual({ sku: 'SKU-2', text: 'from the body', requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', caller: { role: 'Agent', userId: 'u-1' } });
    expect(seen?.headers.get('cookie')).toBe('cookie1; cookie2');
    expect(seen?.url).toBe('https://id.execute-api.us-east-1.amazonaws.com/products/SKU-2/notes?text=ignored&extra=1&extra=2');
    expect(seen?.method).toBe('POST');
  });

  it('turns repeated raw query keys into lists', async () => {
    const { handler } = setup();
    const event = httpApiEvent({ rawPath: '/products', rawQueryString: 'tags=red&tags=wool&limit=2', body: undefined }, { method: 'GET', path: '/products' }); // changed
    expect(JSON.parse(((await handler(event, lambdaContext())) as { body: string }).body)).toEqual({ tags: ['red', 'wool'], limit: 2 });
  });

  it('strips a named stage from rawPath; $default has none', async () => {
    const { handler } = setup();
    const named = httpApiEvent({ rawPath: '/prod/orders/A-3', rawQueryString: '', body: undefined }, { method: 'GET', path: '/prod/orders/A-3' }, { stage: 'prod' }); // changed
    expect(JSON.parse(((await handler(named, lambdaContext())) as { body: string }).body).orderId).toBe('A-3');
    const defaultStage = httpApiEvent({ rawPath: '/prod/orders/A-3', rawQueryString: '', body: undefined }, { method: 'GET' }); // changed
    expect(((await handler(defaultStage, lambdaContext())) as { statusCode: number }).statusCode).toBe(404);
  });

  it('answers 401 with a Bearer challenge when authenticate refuses, and refuses %2F in a path parameter', async () => {
    const { handler } = setup({ authenticate: () => null });
    const refused = (await handler(httpApiEvent({ rawPath: '/orders/A-1', rawQueryString: '' }, { method: 'GET' }), lambdaContext())) as { statusCode: number; headers: Record<string, string> };
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    const open = setup().handler;
    const traversal = (await open(httpApiEvent({ rawPath: '/orders/..%2F..%2Fsecrets', rawQueryString: '' }, { method: 'GET' }), lambdaContext())) as { statusCode: number; body: string };
    expect(traversal.statusCode).toBe(400);
    expect(JSON.parse(traversal.body).error.message).toContain('Path parameter "orderId" may not contain "/"');
  });
});

describe('Lambda Function URL', () => {
  it('answers the documented event (a GET) and a base64-encoded JSON body', async () => {
    const { handler } = setup();
    const get = functionUrlEvent({ rawPath: '/orders/A-1001', rawQueryString: 'includeItems=true', body: undefined }, { method: 'GET', path: '/orders/A-1001' }); // changed
    expect(await handler(get, lambdaContext())).toEqual({
      statusCode: 200,
      headers: JSON_RESULT,
      body: JSON.stringify({ orderId: 'A-1001', status: 'shipped', includeItems: true, caller: null }),
      isBase64Encoded: false,
    });
    // Function URLs base64-encode bodies whose content type is not text (application/json included).
    const post = functionUrlEvent({ rawPath: '/products/S-9/notes', rawQueryString: '', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"text":"é"}').toString('base64'), isBase64Encoded: true }); // changed
    const result = (await handler(post, lambdaContext())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).text).toBe('é');
  });

  it('answers 415 for the documented plain-text body without a content type, 400 when it claims to be JSON', async () => {
    const { handler } = setup();
    const result = (await handler(functionUrlEvent({ rawPath: '/products/S-9/notes', rawQueryString: '' }), lambdaContext())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(415);
    expect(JSON.parse(result.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const claimed = (await handler(functionUrlEvent({ rawPath: '/products/S-9/notes', rawQueryString: '', headers: { 'content-type': 'application/json' } }), lambdaContext())) as { statusCode: number; body: string };
    expect(claimed.statusCode).toBe(400);
    expect(JSON.parse(claimed.body).error.code).toBe('INVALID_JSON');
  });

  it('keeps the other doors: a Bedrock event still goes to the Bedrock door, an unknown event names API Gateway', async () => {
    const { router } = setup();
    await expect(router.handle({ hello: 'world' })).rejects.toThrow(/API Gateway REST \(httpMethod, path, requestContext\), HTTP API or Function URL \(version 2\.0, rawPath, requestContext\.http\) event/);
  });
});
