import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAiAgent } from '../../src/agents/index.js';
import { openAiAgent as fromOpenAiSubpath } from '../../src/packs/openai/index.js';
import type { AgentEvent } from '../../src/agents/types.js';
import { createRouter } from '../../src/router.js';
import { createLogger } from '../../src/core/logger.js';
import { ANA, BASE, client, functionCall, message, ordersGroup, responseObject, type FakeOpenAi, useFakeOpenAi } from '../packs/openai/support.js';

const { server, fake: current } = useFakeOpenAi();
let fake: FakeOpenAi;
beforeEach(() => {
  fake = current();
});

/** A `text/event-stream` reply of Responses API stream events, sent one event per chunk. */
function sse(events: Record<string, unknown>[]): () => Response {
  return () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const e of events) controller.enqueue(encoder.encode(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`));
        controller.close();
      },
    });
    return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}
const delta = (text: string) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: text, sequence_number: 1, logprobs: [] });
const completed = (response: Record<string, unknown>) => ({ type: 'response.completed', response, sequence_number: 9 });

const router = () => createRouter({ logger: createLogger({ level: 'silent' }) }).add(ordersGroup());
const ask = async (agent: ReturnType<typeof openAiAgent>, request: Partial<Parameters<ReturnType<typeof openAiAgent>['ask']>[0]> = {}) => {
  const events: AgentEvent[] = [];
  for await (const e of agent.ask({ prompt: '¿Dónde está A-1?', sessionId: 's-1', files: [], caller: ANA, signal: new AbortController().signal, ...request })) events.push(e);
  return events;
};

describe('openAiAgent', () => {
  it('streams the answer as chunks, running the function calls through the router as the caller', async () => {
    const r = router();
    const agent = openAiAgent({ client: client(), model: 'gpt-test', router: r, instructions: 'Sé breve.' });
    expect(fromOpenAiSubpath).toBe(openAiAgent);
    fake.responses.push(
      sse([completed(responseObject('r1', [functionCall('c1', 'getOrder', { orderId: 'A-1', verbose: null })]))]),
      sse([delta('El pedido '), delta('A-1 '), delta('fue enviado.'), completed(responseObject('r2', [message('El pedido A-1 fue enviado.')]))]),
    );
    const events = await ask(agent);
    expect(events).toEqual([
      { type: 'chunk', text: 'El pedido ' },
      { type: 'chunk', text: 'A-1 ' },
      { type: 'chunk', text: 'fue enviado.' },
      { type: 'done', result: { text: 'El pedido A-1 fue enviado.', files: [], rounds: 1, agentId: 'gpt-test' } },
    ]);
    const [first, second] = fake.seen.filter((s) => s.path === '/responses').map((s) => s.json);
    expect(first).toMatchObject({ model: 'gpt-test', input: '¿Dónde está A-1?', instructions: 'Sé breve.', stream: true });
    expect(first.tools.map((t: { name: string }) => t.name)).toEqual(['getOrder']);
    expect(second).toMatchObject({ previous_response_id: 'r1', stream: true, input: [{ type: 'function_call_output', call_id: 'c1' }] });
    expect(JSON.parse(second.input[0].output)).toMatchObject({ orderId: 'A-1', askedBy: 'ana' });
  });

  it('sends files by URL as input_file parts; refuses a file without one, and any agentId', async () => {
    const agent = openAiAgent({ client: () => client(), model: 'gpt-test', router: router(), tools: [] });
    fake.responses.push(sse([delta('Total: 120 USD.'), completed(responseObject('r1', [message('Total: 120 USD.')]))]));
    const file = { fileId: 'f1', key: 'ana/f.pdf', fileName: 'f.pdf', fileType: 'application/pdf', url: 'https://bucket.s3.amazonaws.com/ana/f.pdf?X-Amz-Signature=abc' };
    const events = await ask(agent, { prompt: '¿Total?', files: [file] });
    expect(events.at(-1)).toEqual({ type: 'done', result: { text: 'Total: 120 USD.', files: [file], rounds: 0, agentId: 'gpt-test' } });
    expect(fake.seen[0]!.json.input).toEqual([{ role: 'user', content: [{ type: 'input_text', text: '¿Total?' }, { type: 'input_file', file_url: file.url, filename: 'f.pdf' }] }]);
    expect(fake.seen[0]!.json.tools).toBeUndefined();
    await expect(ask(agent, { files: [{ ...file, url: '/blobs/ana/f.pdf?signature=x' }] })).rejects.toMatchObject({ status: 400, code: 'FILE_NOT_REACHABLE' });
    await expect(ask(agent, { agentId: 'AGENT1' })).rejects.toMatchObject({ status: 403 });
    expect(fake.seen).toHaveLength(1);
  });

  it('maps a failed stream and an HTTP error like every OpenAI call', async () => {
    const agent = openAiAgent({ client: client(), model: 'gpt-test', router: router() });
    fake.responses.push(sse([delta('Hol'), { type: 'response.failed', sequence_number: 2, response: responseObject('r1', [], { status: 'failed', error: { code: 'server_error', message: 'The model crashed' } }) }]));
    await expect(ask(agent)).rejects.toMatchObject({ status: 502, message: 'OpenAI could not answer: The model crashed' });
    server.use(http.post(`${BASE}/responses`, () => HttpResponse.json({ error: { message: 'slow down' } }, { status: 429, headers: { 'retry-after': '3' } })));
    await expect(ask(agent)).rejects.toMatchObject({ status: 503, details: { retryAfterSeconds: 3 }, headers: { 'retry-after': '3' } });
  });

  it('checks its options', () => {
    expect(() => openAiAgent({ client: client(), model: '', router: router() })).toThrow('"model" is required');
    expect(() => openAiAgent({ model: 'm', router: router() } as never)).toThrow('"client" is required');
    expect(() => openAiAgent({ client: client(), model: 'm' } as never)).toThrow('"router" is required');
  });
});
