// POST /prompt/stream through the node adapter on a real socket: chunks reach the client while the agent
// is still writing, the conversation is kept after `done`, a client that goes away aborts InvokeAgent, and
// a failure half-way is an `error` event with nothing stored. Also GET /files/{fileId}/content on S3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF, PREFIX, startDocs, type DocsWorld } from './support.ts';
import type { InvokeAgentEvent, InvokeAgentRequest } from '../../support/invoke-agent-server.ts';
import { until } from '../../support/timing.ts';

function script(request: InvokeAgentRequest): InvokeAgentEvent[] {
  const text = String(request.body.inputText);
  if (text === 'lento') return [{ type: 'chunk', text: 'Primero, ' }, { pauseMs: 400 }, { type: 'chunk', text: 'luego, ' }, { pauseMs: 400 }, { type: 'chunk', text: 'al final.' }];
  if (text === 'largo') return [{ type: 'chunk', text: 'Empiezo' }, { pauseMs: 4_000 }, { type: 'chunk', text: ' y nunca llego' }];
  if (text === 'rompe') return [{ type: 'chunk', text: 'Empiezo' }, { pauseMs: 100 }, { reset: true }];
  if (text === 'frena') return [{ exception: 'throttlingException', message: 'Rate exceeded' }];
  return [{ type: 'chunk', text: 'ok' }];
}

let world: DocsWorld;
let ana = '';
beforeAll(async () => {
  world = await startDocs(script);
  ana = await world.bearer('user-ana');
});
afterAll(() => world.close());

interface Received {
  event: string;
  data: Record<string, any>;
  at: number;
}

/** Reads a server-sent event stream as it arrives, noting when each event came. */
async function readEvents(body: ReadableStream<Uint8Array>, stopAfter = Infinity): Promise<Received[]> {
  const events: Received[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (events.length < stopAfter) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.+)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null') as Record<string, any>;
      events.push({ event: name, data, at: performance.now() });
    }
  }
  if (events.length >= stopAfter) await reader.cancel();
  return events;
}

const stream = (body: unknown, signal?: AbortSignal) =>
  fetch(`${world.url}${PREFIX}/prompt/stream`, { method: 'POST', headers: { authorization: ana, 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

describe('POST /prompt/stream', () => {
  it('sends each chunk as it comes: the first reaches the client before the agent writes its last frame', async () => {
    const before = world.agentServer.requests.length;
    const reply = await stream({ prompt: 'lento', sessionId: 's-stream' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(reply.body!);
    const upstream = world.agentServer.requests[before]!;
    expect(upstream.body.streamingConfigurations).toEqual({ streamFinalResponse: true });
    expect(events.map((e) => e.event)).toEqual(['chunk', 'chunk', 'chunk', 'done']);
    expect(events.slice(0, 3).map((e) => e.data)).toEqual([{ text: 'Primero, ' }, { text: 'luego, ' }, { text: 'al final.' }]);
    // Timestamps: the first chunk was read by the client while the agent still had frames to write.
    expect(upstream.sentAt).toHaveLength(3);
    expect(events[0]!.at).toBeLessThan(upstream.sentAt[2]!);
    expect(events[1]!.at).toBeLessThan(upstream.sentAt[2]!);
    expect(events[3]!.data).toEqual({ conversationId: expect.any(String), sessionId: 's-stream', files: [], timestamp: expect.stringMatching(/^\d{4}-/) });
    const history = await world.call('GET', '/history?sessionId=s-stream', { token: ana });
    expect(history.body.records).toEqual([expect.objectContaining({ conversationId: events[3]!.data.conversationId, prompt: 'lento', response: 'Primero, luego, al final.' })]);
  });

  it('a client that goes away aborts the InvokeAgent call, and nothing is kept', async () => {
    const counts = await world.counts();
    const before = world.agentServer.requests.length;
    const controller = new AbortController();
    const reply = await stream({ prompt: 'largo', sessionId: 's-gone' }, controller.signal);
    const events = await readEvents(reply.body!, 1);
    expect(events.map((e) => e.data)).toEqual([{ text: 'Empiezo' }]);
    controller.abort();
    const upstream = world.agentServer.requests[before]!;
    await until(() => upstream.aborted, 'the upstream request was aborted', 2_000);
    expect(upstream.sentAt).toHaveLength(1);
    expect(await world.counts()).toEqual(counts);
  });

  it('a stream that breaks half-way ends with an error event, and nothing is kept', async () => {
    const counts = await world.counts();
    const reply = await stream({ prompt: 'rompe', sessionId: 's-broken' });
    const events = await readEvents(reply.body!);
    expect(events.map((e) => e.event)).toEqual(['chunk', 'error']);
    expect(events[1]!.data).toEqual({ statusCode: 502, message: expect.stringMatching(/^Error al procesar el prompt: The agent failed \(/) });
    expect(await world.counts()).toEqual(counts);
  });

  it('refusals before the first event are ordinary replies with their status (403, 404, 503 with Retry-After)', async () => {
    const other = await stream({ prompt: 'x', userId: 'user-beto' });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { result: boolean }).result).toBe(false);
    expect((await stream({ prompt: 'x', fileIds: ['no-such-file'] })).status).toBe(404);
    const throttled = await stream({ prompt: 'frena' });
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('retry-after')).toBe('5');
    expect(await throttled.json()).toEqual({ statusCode: 503, result: false, message: 'Error al procesar el prompt: The agent is throttled (ThrottlingException); try again in 5 s.', error: { code: 'THROTTLED' } });
  });
});

describe('GET /files/{fileId}/content on S3', () => {
  it('redirects the owner (and a supervisor) to a presigned GET; anyone else gets a 404', async () => {
    const fileId = (await world.call('POST', '/upload', { token: ana, body: { fileBase64: PDF.toString('base64'), fileName: 'contrato.pdf' } })).body.records.fileId;
    const content = (token: string) => fetch(`${world.url}${PREFIX}/files/${fileId}/content`, { headers: { authorization: token }, redirect: 'manual' });
    const mine = await content(ana);
    expect(mine.status).toBe(302);
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await (await fetch(mine.headers.get('location')!)).arrayBuffer())).toEqual(PDF);
    expect((await content(await world.bearer('user-sup', ['Supervisor']))).status).toBe(302);
    const theirs = await content(await world.bearer('user-beto'));
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toEqual({ statusCode: 404, result: false, message: `No existe el archivo "${fileId}".`, error: { code: 'FILE_NOT_FOUND', details: { fileId } } });
  });
});
