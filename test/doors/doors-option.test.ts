import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter, lintBedrock, toAgentCoreTools, toFunctionSchema, toOpenApi, type BedrockFunctionResponse, type BedrockOpenApiResponse } from '../../src/index.js';
import { agentCoreContext, bedrockFunctionEvent, bedrockOpenApiEvent } from '../../src/testing/index.js';

// `upload` is for people only (agent: false), `suggest` for agents only (http: false), `status` for both.
const docs = actionGroup({ name: 'Docs', description: 'Documents of a case' })
  .operation({
    name: 'status', method: 'GET', path: '/docs/{docId}', description: 'Status of one document.',
    input: z.object({ docId: z.string().describe('Document id') }),
    handler: ({ docId }) => ({ docId, status: 'ready' }),
  })
  .operation({
    name: 'upload', method: 'POST', path: '/docs', description: 'Upload a document.', doors: { agent: false },
    // No descriptions: the lint must not ask for them on an operation no agent sees.
    input: z.object({ name: z.string(), size: z.number().int() }),
    handler: ({ name, size }) => ({ uploaded: name, size }),
  })
  .operation({
    name: 'suggest', method: 'GET', path: '/suggestions', description: 'Suggest a next document to ask for.', doors: { http: false },
    input: z.object({ caseId: z.string().describe('Case id') }),
    handler: ({ caseId }) => ({ caseId, suggestion: 'ID card' }),
  });

const router = createRouter({ bedrockEndpoint: true }).add(docs, { prefix: '/v1' });
const notForAgents = 'Known operations: status (GET /docs/{docId}), suggest (GET /suggestions).';

function v2(method: string, rawPath: string, body?: unknown) {
  return {
    version: '2.0', routeKey: '$default', rawPath, rawQueryString: '',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    requestContext: { http: { method }, stage: '$default' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

describe('doors: { agent: false }', () => {
  it('is absent from every agent schema and from the lint', () => {
    expect(Object.keys(toOpenApi(docs).paths)).toEqual(['/docs/{docId}', '/suggestions']);
    expect(toFunctionSchema(docs).functions.map((f) => f.name)).toEqual(['status', 'suggest']);
    expect(toAgentCoreTools(docs).map((t) => t.name)).toEqual(['status', 'suggest']);
    expect(lintBedrock(docs)).toEqual([]);
    const described = actionGroup({ name: 'Docs', description: 'd' }).operation({ name: 'upload', method: 'POST', path: '/docs', description: 'Upload.', input: z.object({ name: z.string() }), handler: () => 1 });
    expect(lintBedrock(described).map((p) => p.rule)).toEqual(['parameter-description']);
  });

  it('answers 404 on the Bedrock OpenAPI door', async () => {
    const reply = (await router.handle(bedrockOpenApiEvent({ actionGroup: 'Docs', apiPath: '/docs', httpMethod: 'POST', body: { name: 'a.pdf', size: 3 } }))) as BedrockOpenApiResponse;
    expect(reply.response.httpStatusCode).toBe(404);
    expect(JSON.parse(reply.response.responseBody['application/json'].body)).toEqual({
      error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation: POST /docs in action group "Docs". ${notForAgents}` },
    });
  });

  it('answers 404 on the Bedrock function door', async () => {
    const reply = (await router.handle(bedrockFunctionEvent({ actionGroup: 'Docs', function: 'upload', parameters: { name: 'a.pdf', size: 3 } }))) as BedrockFunctionResponse;
    expect(reply.response.functionResponse.responseState).toBe('REPROMPT');
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({
      error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation: function "upload" in action group "Docs". ${notForAgents}` },
    });
  });

  it('answers 404 in return of control, both entry styles', async () => {
    const results = await router.returnControl({
      invocationId: 'inv-1',
      invocationInputs: [
        { apiInvocationInput: { actionGroup: 'Docs', apiPath: '/docs', httpMethod: 'POST', requestBody: { content: { 'application/json': { properties: [{ name: 'name', type: 'string', value: 'a' }] } } } } },
        { functionInvocationInput: { actionGroup: 'Docs', function: 'upload', parameters: [] } },
      ],
    });
    expect(results).toEqual([
      { apiResult: expect.objectContaining({ apiPath: '/docs', httpStatusCode: 404, responseState: 'REPROMPT' }) },
      { functionResult: expect.objectContaining({ function: 'upload', responseState: 'REPROMPT' }) },
    ]);
    expect(JSON.parse((results[1] as { functionResult: { responseBody: { TEXT: { body: string } } } }).functionResult.responseBody.TEXT.body).error.code).toBe('UNKNOWN_OPERATION');
  });

  it('answers 404 on the AgentCore Gateway door', async () => {
    expect(await router.handle({ name: 'a.pdf', size: 3 }, agentCoreContext('upload', { target: 'docs' }))).toEqual({
      error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation: tool "upload" in any action group (served: Docs). ${notForAgents}` },
    });
  });

  it('answers 404 through POST /bedrock, which runs the agent doors', async () => {
    const event = bedrockFunctionEvent({ actionGroup: 'Docs', function: 'upload', parameters: { name: 'a.pdf', size: 3 } });
    const res = await router.fetch(new Request('http://localhost/bedrock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) }));
    const body = (await res.json()) as BedrockFunctionResponse;
    expect(JSON.parse(body.response.functionResponse.responseBody.TEXT.body).error.code).toBe('UNKNOWN_OPERATION');
  });

  it('is still served over HTTP and by router.invoke', async () => {
    const res = await router.fetch(new Request('http://localhost/v1/docs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'a.pdf', size: 3 }) }));
    expect([res.status, await res.json()]).toEqual([200, { uploaded: 'a.pdf', size: 3 }]);
    expect(await router.invoke('Docs', 'upload', { name: 'b.pdf', size: '4' })).toEqual({ uploaded: 'b.pdf', size: 4 });
  });
});

describe('doors: { http: false }', () => {
  it('answers 404 over HTTP: router.fetch and API Gateway', async () => {
    const res = await router.fetch(new Request('http://localhost/v1/suggestions?caseId=C-1'));
    expect([res.status, await res.json()]).toEqual([
      404,
      { error: { code: 'NOT_FOUND', message: 'No operation at GET /v1/suggestions. The HTTP API is described at GET /openapi.json (groups: Docs).' } },
    ]);
    const viaGateway = (await router.handle(v2('GET', '/v1/suggestions'))) as { statusCode: number };
    expect(viaGateway.statusCode).toBe(404);
  });

  it('is served to agents and by router.invoke', async () => {
    const reply = (await router.handle(bedrockOpenApiEvent({ actionGroup: 'Docs', apiPath: '/suggestions', httpMethod: 'GET', parameters: { caseId: 'C-1' } }))) as BedrockOpenApiResponse;
    expect([reply.response.httpStatusCode, JSON.parse(reply.response.responseBody['application/json'].body)]).toEqual([200, { caseId: 'C-1', suggestion: 'ID card' }]);
    expect(await router.handle({ caseId: 'C-2' }, agentCoreContext('suggest'))).toEqual({ caseId: 'C-2', suggestion: 'ID card' });
    expect(await router.invoke('Docs', 'suggest', { caseId: 'C-3' })).toEqual({ caseId: 'C-3', suggestion: 'ID card' });
  });
});

describe('GET /openapi.json', () => {
  const notes = actionGroup({ name: 'Notes', description: 'Case notes' }).operation({
    name: 'status', method: 'GET', path: '/notes/{noteId}', description: 'Status of one note.',
    input: z.object({ noteId: z.string().describe('Note id'), full: z.boolean().optional().describe('Whole text') }),
    handler: () => ({}),
  });

  async function document(options: Parameters<typeof createRouter>[0] = {}) {
    const r = createRouter({ version: '2.3.4', ...options }).add(docs, { prefix: '/v1' }).add(notes);
    const res = await r.fetch(new Request('http://localhost/openapi.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = (await res.json()) as Record<string, any>;
    // swagger-parser dereferences in place, so it gets a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
    return doc;
  }

  it('documents every HTTP-callable operation of every group under its prefix, as OpenAPI 3.0.3', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info).toEqual({ title: 'HTTP API', version: '2.3.4' });
    expect(doc.tags).toEqual([{ name: 'Docs', description: 'Documents of a case' }, { name: 'Notes', description: 'Case notes' }]);
    expect(Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item as object)]))).toEqual({
      '/v1/docs/{docId}': ['get'],
      '/v1/docs': ['post'],
      '/notes/{noteId}': ['get'],
    });
    // Two groups name an operation "status": their operationIds carry the group's name.
    expect(doc.paths['/v1/docs/{docId}'].get.operationId).toBe('Docs_status');
    expect(doc.paths['/notes/{noteId}'].get.operationId).toBe('Notes_status');
    expect(doc.paths['/v1/docs'].post.operationId).toBe('upload');
    expect(doc.paths['/v1/docs'].post.tags).toEqual(['Docs']);
    expect(doc.paths['/v1/docs'].post.requestBody.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, size: { type: 'integer' } },
      required: ['name', 'size'],
    });
    expect(doc.paths['/notes/{noteId}'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:noteId', 'query:full']);
    expect(doc).not.toHaveProperty('security');
    expect(doc).not.toHaveProperty('components');
    expect(Object.keys(doc.paths['/v1/docs'].post.responses)).toEqual(['200', '400', '403', '404', '500']);
  });

  it('declares a bearer security scheme and the 401 when authenticate is set, and needs no identity itself', async () => {
    const doc = await document({ authenticate: () => null });
    expect(doc.components).toEqual({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/docs'].post.responses['401']).toEqual({
      description: 'No valid credentials: send Authorization: Bearer <token>.',
      content: { 'application/json': { schema: expect.objectContaining({ required: ['error'] }) } },
    });
  });

  it('follows groups added later, while /openapi/{group}.json stays the Bedrock document of one group', async () => {
    const r = createRouter().add(docs, { prefix: '/v1' });
    const before = (await (await r.fetch(new Request('http://localhost/openapi.json'))).json()) as { paths: object };
    r.add(notes);
    const after = (await (await r.fetch(new Request('http://localhost/openapi.json'))).json()) as { paths: object };
    expect([Object.keys(before.paths).length, Object.keys(after.paths).length]).toEqual([2, 3]);
    const bedrock = (await (await r.fetch(new Request('http://localhost/openapi/Docs.json'))).json()) as { openapi: string; paths: object };
    expect(bedrock.openapi).toBe('3.0.0');
    expect(Object.keys(bedrock.paths)).toEqual(['/docs/{docId}', '/suggestions']);
    const post = await r.fetch(new Request('http://localhost/openapi.json', { method: 'POST' }));
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
  });
});
