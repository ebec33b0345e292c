import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { converseAgent, toConverseTools, type AgentEvent, type AskRequest } from '../../src/agents/mcp.js';
import { converseAgent as fromAgents } from '../../src/agents/index.js';
import { createRouter, type ActionError } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';
import { mcpGroups } from '../support/mcp-groups.js';

// The real BedrockRuntimeClient over HTTP/1.1 (NodeHttpHandler, which msw sees) against msw at the wire.
const REGION = 'us-east-1';
const MODEL = 'anthropic.claude-test-v1:0';
const BASE = `https://bedrock-runtime.${REGION}.amazonaws.com/model/${encodeURIComponent(MODEL)}`;

type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | { stream: Uint8Array[] };
const sent: { path: string; body: any }[] = [];
let replies: Reply[] = [];

function answer(path: string) {
  return async ({ request }: { request: Request }) => {
    sent.push({ path, body: await request.json() });
    const next = replies.shift();
    if (!next) return HttpResponse.json({ message: 'no reply queued' }, { status: 500 });
    if ('stream' in next) {
      const body = new ReadableStream({ start: (c) => (next.stream.forEach((frame) => c.enqueue(frame)), c.close()) });
      return new HttpResponse(body, { headers: { 'content-type': 'application/vnd.amazon.eventstream' } });
    }
    return HttpResponse.json(next.body as object, { status: next.status ?? 200, headers: next.headers });
  };
}

const mock = setupServer(http.post(`${BASE}/converse`, answer('converse')), http.post(`${BASE}/converse-stream`, answer('converse-stream')));
beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  sent.length = 0;
  replies = [];
});
afterAll(() => mock.close());

const client = () => new BedrockRuntimeClient({ region: REGION, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });

function setup(options: Partial<Parameters<typeof converseAgent>[0]> = {}) {
  const router = createRouter({ logger: memoryLogger().logger });
  for (const group of mcpGroups()) router.add(group);
  return { router, agent: converseAgent({ modelId: MODEL, router, client: client(), system: 'Answer briefly.', ...options }) };
}

function request(overrides: Partial<AskRequest> = {}): AskRequest {
  return { prompt: 'Where is order A-1?', sessionId: 's-1', files: [], caller: { userId: 'u-1', role: 'Agent' }, signal: new AbortController().signal, ...overrides };
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const turn = (stopReason: string, content: unknown[]) => ({ body: { output: { message: { role: 'assistant', content } }, stopReason, usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 12 } } });
const toolUse = (toolUseId: string, name: string, input: unknown) => ({ toolUse: { toolUseId, name, input } });

describe('converseAgent (Converse)', () => {
  it('runs a two-round tool loop: every toolResult of the turn goes back in one user message', async () => {
    const { router, agent } = setup();
    replies = [
      turn('tool_use', [{ text: 'Let me check.' }, toolUse('t-1', 'getOrder', { orderId: 'A-1' }), toolUse('t-2', 'Billing_status', {})]),
      turn('end_turn', [{ text: 'Order A-1 has shipped.' }]),
    ];
    const events = await collect(agent.ask(request()));
    expect(events).toEqual([
      { type: 'chunk', text: 'Let me check.' },
      { type: 'chunk', text: 'Order A-1 has shipped.' },
      { type: 'done', result: { text: 'Let me check.Order A-1 has shipped.', files: [], rounds: 1, agentId: MODEL } },
    ]);
    expect(sent.map((s) => s.path)).toEqual(['converse', 'converse']);
    const [first, second] = sent.map((s) => s.body);
    expect(first).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Where is order A-1?' }] }],
      system: [{ text: 'Answer briefly.' }],
      toolConfig: { tools: toConverseTools(router) },
    });
    expect(second.messages).toHaveLength(3);
    expect(second.messages[1]).toEqual({ role: 'assistant', content: [{ text: 'Let me check.' }, toolUse('t-1', 'getOrder', { orderId: 'A-1' }), toolUse('t-2', 'Billing_status', {})] });
    expect(second.messages[2]).toEqual({
      role: 'user',
      content: [
        { toolResult: { toolUseId: 't-1', status: 'success', content: [{ json: { orderId: 'A-1', status: 'shipped', total: 42.5, caller: 'u-1' } }] } },
        { toolResult: { toolUseId: 't-2', status: 'success', content: [{ json: { result: 'billing up' } }] } },
      ],
    });
  });

  it('reports a refused role, bad input and an unknown tool as toolResults with status "error"', async () => {
    const { agent } = setup();
    replies = [
      turn('tool_use', [toolUse('a', 'cancelOrder', { orderId: 'A-1' }), toolUse('b', 'addCredit', { customerId: 'c-1', amount: 0, reason: 'late' }), toolUse('c', 'uploadScan', { orderId: 'A-1' })]),
      turn('end_turn', [{ text: 'I cannot do that.' }]),
    ];
    await collect(agent.ask(request()));
    const results = sent[1]!.body.messages[2].content.map((c: any) => c.toolResult);
    expect(results.map((r: any) => [r.toolUseId, r.status])).toEqual([['a', 'error'], ['b', 'error'], ['c', 'error']]);
    expect(results[0].content[0].text).toMatch(/Supervisor/);
    expect(results[1].content[0].text).toMatch(/amount.*more than 0/);
    expect(results[2].content[0].text).toBe('Unknown tool "uploadScan". Known tools: getOrder, cancelOrder, Orders_status, addCredit, setLimit, Billing_status.');
  });

  it('stops at maxToolRounds: one more tool turn is a 502, and no request past the bound is sent', async () => {
    const { agent } = setup({ maxToolRounds: 2 });
    replies = [0, 1, 2, 3].map((i) => turn('tool_use', [toolUse(`t-${i}`, 'Orders_status', {})]));
    const error = (await collect(agent.ask(request())).then(() => undefined, (e: unknown) => e)) as ActionError;
    expect(error).toMatchObject({ status: 502, code: 'TOOL_ROUNDS_EXCEEDED', message: 'The model kept asking for tools after 2 rounds (maxToolRounds); ask a narrower question.' });
    expect(sent).toHaveLength(3);
  });

  it('maps throttling to a 503 with Retry-After, and refuses an agentId', async () => {
    const { agent } = setup();
    replies = [{ status: 429, body: { message: 'Too many requests' }, headers: { 'x-amzn-errortype': 'ThrottlingException' } }];
    const error = (await collect(agent.ask(request())).then(() => undefined, (e: unknown) => e)) as ActionError;
    expect(error).toMatchObject({ status: 503, code: 'UPSTREAM_THROTTLED', headers: { 'retry-after': '5' } });
    await expect(collect(agent.ask(request({ agentId: 'AGENT1' })))).rejects.toMatchObject({ status: 403 });
    expect(sent).toHaveLength(1);
  });

  it('sends S3 files of known formats as documents and names the others; tools run as options.caller when the question has none', async () => {
    const { agent } = setup({ caller: { role: 'Supervisor' } });
    replies = [turn('tool_use', [toolUse('x', 'cancelOrder', { orderId: 'A-9' })]), turn('end_turn', [{ text: 'Done.' }])];
    const files = [
      { fileId: 'f1', key: 'k1', fileName: '0b7e9f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b_Invoice #7 (March).pdf', fileType: 'application/pdf', s3Uri: 's3://bucket/k1' },
      { fileId: 'f2', key: 'k2', fileName: 'photo.png', fileType: 'image/png', url: 'https://files.example/k2' },
    ];
    await collect(agent.ask(request({ files, caller: {} })));
    expect(sent[0]!.body.messages[0].content).toEqual([
      { text: 'Where is order A-1?' },
      { document: { format: 'pdf', name: 'Invoice 7 (March)', source: { s3Location: { uri: 's3://bucket/k1' } } } },
      { text: 'Files the user attached that are not included above: photo.png (image/png, https://files.example/k2).' },
    ]);
    expect(sent[1]!.body.messages[2].content[0].toolResult).toMatchObject({ status: 'success', content: [{ json: { orderId: 'A-9', cancelled: true } }] });
  });

  it('is the same function from ./agents, and checks its options', () => {
    expect(fromAgents).toBe(converseAgent);
    const router = createRouter();
    expect(() => converseAgent({ modelId: '', router })).toThrow('converseAgent: "modelId" must be a model id or ARN');
    expect(() => converseAgent({ modelId: MODEL, router, maxToolRounds: -1 })).toThrow('"maxToolRounds" must be a whole number of at least 0');
  });
});

// ConverseStream: real event-stream frames, as Bedrock sends them.
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (type: string, payload: unknown) =>
  codec.encode({
    headers: { ':event-type': { type: 'string', value: type }, ':message-type': { type: 'string', value: 'event' }, ':content-type': { type: 'string', value: 'application/json' } },
    body: fromUtf8(JSON.stringify(payload)),
  });

describe('converseAgent (ConverseStream)', () => {
  it('yields text as it arrives and rebuilds a streamed toolUse whose input came in pieces', async () => {
    const { agent } = setup({ stream: true });
    replies = [
      {
        stream: [
          frame('messageStart', { role: 'assistant' }),
          frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking' } }),
          frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: '…' } }),
          frame('contentBlockStop', { contentBlockIndex: 0 }),
          frame('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 's-1', name: 'getOrder' } } }),
          frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"orderId":' } } }),
          frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"A-3"}' } } }),
          frame('contentBlockStop', { contentBlockIndex: 1 }),
          frame('messageStop', { stopReason: 'tool_use' }),
        ],
      },
      { stream: [frame('messageStart', { role: 'assistant' }), frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'It ' } }), frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'shipped.' } }), frame('messageStop', { stopReason: 'end_turn' })] },
    ];
    const events = await collect(agent.ask(request()));
    expect(events.map((e) => (e.type === 'chunk' ? e.text : e.type))).toEqual(['Checking', '…', 'It ', 'shipped.', 'done']);
    expect(events.at(-1)).toEqual({ type: 'done', result: { text: 'Checking…It shipped.', files: [], rounds: 1, agentId: MODEL } });
    expect(sent.map((s) => s.path)).toEqual(['converse-stream', 'converse-stream']);
    expect(sent[1]!.body.messages[1]).toEqual({ role: 'assistant', content: [{ text: 'Checking…' }, toolUse('s-1', 'getOrder', { orderId: 'A-3' })] });
    expect(sent[1]!.body.messages[2].content[0].toolResult).toMatchObject({ toolUseId: 's-1', status: 'success', content: [{ json: { orderId: 'A-3' } }] });
  });
});
