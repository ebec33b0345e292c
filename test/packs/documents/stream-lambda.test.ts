// streamPrompt on Lambda (toLambdaStreaming, a Function URL in RESPONSE_STREAM mode) and past its deadline.
// The agent is bedrockAgent on the real client against the local HTTP/2 InvokeAgent stand-in.
import { PassThrough, type Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from 'bedrock-action-groups';
import { bedrockAgent, documentsApi } from 'bedrock-action-groups/documents';
import { toLambdaStreaming, type LambdaStreamingRuntime } from 'bedrock-action-groups/lambda';
import { diskBlobs, memoryStore, type Store } from 'bedrock-action-groups/stores';
import { startInvokeAgentServer, type InvokeAgentServer } from '../../support/invoke-agent-server.ts';
import { memoryLogger } from '../../support/logger.ts';
import { until } from '../../support/timing.ts';

let server: InvokeAgentServer;
let client: BedrockAgentRuntimeClient;
let store: Store;
let router: Router;
const dir = mkdtempSync(join(tmpdir(), 'docs-lambda-'));
beforeAll(async () => {
  server = await startInvokeAgentServer((request) =>
    request.body.inputText === 'colgado'
      ? [{ type: 'chunk', text: 'Empiezo' }, { pauseMs: 3_000 }, { type: 'chunk', text: ' tarde' }]
      : [{ type: 'chunk', text: 'Uno, ' }, { pauseMs: 300 }, { type: 'chunk', text: 'dos, ' }, { pauseMs: 300 }, { type: 'chunk', text: 'tres.' }],
  );
  client = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  store = memoryStore();
  router = createRouter({ logger: memoryLogger().logger, authenticate: () => ({ userId: 'user-1' }) });
  router.add(documentsApi({ store, blobs: diskBlobs({ dir }), agent: bedrockAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', client, router }), timeoutMs: 1_000 }), { prefix: '/bocppocia-bedrock' });
});
afterAll(async () => {
  client.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the Lambda runtime writes for a Function URL: the JSON prelude, eight NUL bytes, then the body. */
const runtime: LambdaStreamingRuntime = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from: (stream, metadata) => {
      stream.write(`${JSON.stringify(metadata)}${'\u0000'.repeat(8)}`);
      return stream;
    },
  },
};

describe('streamPrompt on Lambda, through toLambdaStreaming', () => {
  it('writes each event to the response stream as it comes', async () => {
    const handler = toLambdaStreaming(router, { runtime }) as (event: unknown, stream: Writable, context: object) => Promise<void>;
    const out = new PassThrough();
    const writes: { text: string; at: number }[] = [];
    out.on('data', (chunk: Buffer) => writes.push({ text: chunk.toString('utf8'), at: performance.now() }));
    const before = server.requests.length;
    await handler(
      { version: '2.0', routeKey: '$default', rawPath: '/bocppocia-bedrock/prompt/stream', headers: { 'content-type': 'application/json' }, requestContext: { http: { method: 'POST' } }, body: JSON.stringify({ prompt: 'cuenta', sessionId: 's-lambda' }) },
      out,
      {},
    );
    const [prelude, body] = writes.map((w) => w.text).join('').split('\u0000'.repeat(8));
    expect(JSON.parse(prelude as string)).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
    expect(body).toMatch(/^event: chunk\ndata: {"text":"Uno, "}\n\nevent: chunk\ndata: {"text":"dos, "}\n\nevent: chunk\ndata: {"text":"tres\."}\n\nevent: done\ndata: {"conversationId":"[^"]+","sessionId":"s-lambda","files":\[\],"timestamp":"[^"]+"}\n\n$/);
    const firstChunk = writes.find((w) => w.text.includes('Uno'));
    expect(firstChunk!.at).toBeLessThan(server.requests[before]!.sentAt[2]!);
    expect((await store.listConversations({ sessionId: 's-lambda' })).records.map((c) => c.response)).toEqual(['Uno, dos, tres.']);
  });
});

describe('streamPrompt past timeoutMs', () => {
  it('ends with a 504 error event, aborts InvokeAgent and keeps nothing', async () => {
    const before = server.requests.length;
    const reply = await router.fetch(new Request('http://localhost/bocppocia-bedrock/prompt/stream', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'colgado', sessionId: 's-late' }) }));
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe('event: chunk\ndata: {"text":"Empiezo"}\n\nevent: error\ndata: {"statusCode":504,"message":"Error al procesar el prompt: streamPrompt did not finish within 1000 ms."}\n\n');
    const upstream = server.requests[before]!;
    await until(() => upstream.aborted, 'the upstream request was aborted', 2_000);
    expect((await store.listConversations({ sessionId: 's-late' })).total).toBe(0);
  });
});
