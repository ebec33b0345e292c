// Return of control over the wire: the real BedrockAgentRuntimeClient calls InvokeAgent on a local HTTP/2
// server that streams real event-stream frames; the router answers the returnControl event and the
// results go back with a second InvokeAgent call.
import { BedrockAgentRuntimeClient, InvokeAgentCommand, type InvokeAgentCommandInput, type ReturnControlPayload as SdkReturnControlPayload } from '@aws-sdk/client-bedrock-agent-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type ReturnControlPayload } from '../../src/index.js';
import { startInvokeAgentServer, type InvokeAgentServer } from '../support/invoke-agent-server.js';
import { memoryLogger } from '../support/logger.js';
import { ordersGroup } from '../support/orders.js';

const INVOCATION_ID = 'a0f3c6de-7b0e-4b52-9a55-2f1c8f3f0e11';
const SESSION_ID = 'session-42';

// What Bedrock streams when the action group returns control: one API input, two function inputs
// (one of which fails upstream), in InvokeAgent's documented shape.
const returnControl = {
  invocationId: INVOCATION_ID,
  invocationInputs: [
    {
      apiInvocationInput: {
        actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', actionInvocationType: 'RESULT',
        parameters: [{ name: 'orderId', type: 'string', value: 'A-1' }, { name: 'includeItems', type: 'boolean', value: 'true' }],
      },
    },
    {
      apiInvocationInput: {
        actionGroup: 'Orders', apiPath: '/orders/{orderId}/items', httpMethod: 'POST', actionInvocationType: 'RESULT',
        parameters: [{ name: 'orderId', type: 'string', value: 'A-1' }],
        requestBody: { content: { 'application/json': { properties: [{ name: 'items', type: 'array', value: '[{sku=MUG, qty=2}]' }] } } },
      },
    },
    { apiInvocationInput: { actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', parameters: [{ name: 'orderId', type: 'string', value: 'boom' }] } },
    { functionInvocationInput: { actionGroup: 'Orders', function: 'getOrder', actionInvocationType: 'RESULT', parameters: [{ name: 'orderId', type: 'string', value: 'missing' }] } },
  ],
};

let server: InvokeAgentServer;
let client: BedrockAgentRuntimeClient;

beforeAll(async () => {
  server = await startInvokeAgentServer((request) => {
    const sessionState = request.body.sessionState as { invocationId?: string } | undefined;
    if (sessionState) return [{ type: 'chunk', text: `Done with ${String(sessionState.invocationId)}.` }];
    if (request.body.inputText === 'throttle me') return [{ exception: 'throttlingException', message: 'Your request rate is too high.' }];
    if (request.body.inputText === 'take your time') return [{ type: 'chunk', text: 'Part one. ' }, { pauseMs: 3_000 }, { type: 'chunk', text: 'Part two.' }];
    return [{ type: 'returnControl', payload: returnControl }];
  });
  client = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

/** One InvokeAgent call: the text of its chunks and the returnControl event, if any. */
async function invokeAgent(input: InvokeAgentCommandInput, controller = new AbortController()): Promise<{ text: string; returnControl?: SdkReturnControlPayload }> {
  const reply = await client.send(new InvokeAgentCommand(input), { abortSignal: controller.signal });
  let text = '';
  let control: SdkReturnControlPayload | undefined;
  for await (const event of reply.completion ?? []) {
    if (event.chunk?.bytes) text += new TextDecoder().decode(event.chunk.bytes);
    if (event.returnControl) control = event.returnControl;
  }
  // Over HTTP/2 an aborted stream can simply end: only the signal tells it from a complete reply.
  if (controller.signal.aborted) throw new Error('InvokeAgent was aborted before its stream ended');
  return { text, ...(control ? { returnControl: control } : {}) };
}

describe('return of control with the real BedrockAgentRuntimeClient and InvokeAgent event-stream bytes', () => {
  it('answers the returnControl event through the router and sends the results back with its invocationId', async () => {
    server.requests.length = 0;
    const router = createRouter({ logger: memoryLogger().logger }).add(ordersGroup());
    const first = await invokeAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: SESSION_ID, inputText: 'Add two mugs to order A-1' });
    expect(first.text).toBe('');
    expect(first.returnControl).toEqual(returnControl);

    const results = await router.returnControl(first.returnControl as ReturnControlPayload, { sessionAttributes: { role: 'Agent' }, sessionId: SESSION_ID });
    expect(results).toEqual([
      { apiResult: { actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', httpStatusCode: 200, responseBody: { 'application/json': { body: JSON.stringify({ orderId: 'A-1', status: 'shipped', includeItems: true, caller: 'Agent' }) } } } },
      { apiResult: { actionGroup: 'Orders', apiPath: '/orders/{orderId}/items', httpMethod: 'POST', httpStatusCode: 200, responseBody: { 'application/json': { body: JSON.stringify({ orderId: 'A-1', added: [{ sku: 'MUG', qty: 2 }], giftWrap: false, tags: [] }) } } } },
      { apiResult: { actionGroup: 'Orders', apiPath: '/orders/{orderId}', httpMethod: 'GET', httpStatusCode: 500, responseState: 'FAILURE', responseBody: { 'application/json': { body: expect.stringContaining('"code":"INTERNAL"') } } } },
      { functionResult: { actionGroup: 'Orders', function: 'getOrder', responseState: 'REPROMPT', responseBody: { TEXT: { body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'order missing not found' } }) } } } },
    ]);

    const second = await invokeAgent({
      agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: SESSION_ID,
      sessionState: { invocationId: first.returnControl?.invocationId, returnControlInvocationResults: results as NonNullable<InvokeAgentCommandInput['sessionState']>['returnControlInvocationResults'] },
    });
    expect(second.text).toBe(`Done with ${INVOCATION_ID}.`);

    expect(server.requests.map((r) => [r.agentId, r.agentAliasId, r.sessionId])).toEqual([
      ['AGENT12345', 'ALIAS12345', SESSION_ID],
      ['AGENT12345', 'ALIAS12345', SESSION_ID],
    ]);
    expect(server.requests[0]!.body).toEqual({ inputText: 'Add two mugs to order A-1' });
    // What went over the wire: the invocation id and every result, exactly as the router produced them.
    expect(server.requests[1]!.body).toEqual({ sessionState: { invocationId: INVOCATION_ID, returnControlInvocationResults: results } });
    // HTTP/2 pseudo-headers: the client spoke HTTP/2, as it does against Bedrock.
    expect(server.requests[0]!.headers[':path']).toBe(`/agents/AGENT12345/agentAliases/ALIAS12345/sessions/${SESSION_ID}/text`);
    expect(server.requests[1]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  });

  it('surfaces an exception frame of the stream as the SDK error', async () => {
    await expect(invokeAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: SESSION_ID, inputText: 'throttle me' })).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Your request rate is too high.',
    });
    // The SDK retries a throttled stream like a throttled call: three attempts with its default retry strategy.
    expect(server.requests.filter((r) => r.body.inputText === 'throttle me')).toHaveLength(3);
  });

  it('an abort half-way through the stream rejects instead of returning a partial reply', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(invokeAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: SESSION_ID, inputText: 'take your time' }, controller)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
