// bedrockAgent on the real BedrockAgentRuntimeClient against a local HTTP/2 InvokeAgent that writes real
// event-stream frames: what is sent, what is yielded, the limits, the abort.
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isActionError } from 'bedrock-action-groups';
import { bedrockAgent, type AgentEvent, type AgentFile, type AskRequest } from 'bedrock-action-groups/agents';
import { startInvokeAgentServer, type InvokeAgentServer } from '../support/invoke-agent-server.ts';

let server: InvokeAgentServer;
let client: BedrockAgentRuntimeClient;
beforeAll(async () => {
  server = await startInvokeAgentServer((request) => {
    const text = String(request.body.inputText);
    if (text === 'despacio') return [{ type: 'chunk', text: 'uno ' }, { pauseMs: 2_000 }, { type: 'chunk', text: 'dos' }];
    if (text === 'utf8') {
      // "ñ" split across two frames: the text must still come out whole.
      const bytes = Buffer.from('año', 'utf8');
      return [frame(bytes.subarray(0, 2)), frame(bytes.subarray(2))];
    }
    return [{ type: 'chunk', text: 'Hola, ' }, { type: 'trace', payload: { trace: {} } }, { type: 'chunk', text: 'mundo.' }];
  });
  client = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

/** A chunk frame carrying raw bytes (not necessarily whole UTF-8). */
function frame(bytes: Uint8Array): { type: string; payload: Record<string, unknown> } {
  return { type: 'chunk', payload: { bytes: Buffer.from(bytes).toString('base64') } };
}

const agent = (extra: Partial<Parameters<typeof bedrockAgent>[0]> = {}) => bedrockAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', client, ...extra });
const ask = (overrides: Partial<AskRequest> = {}): AskRequest => ({ prompt: 'hola', sessionId: 'session-1', files: [], caller: { userId: 'u1' }, signal: new AbortController().signal, ...overrides });

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function refusal(run: () => Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isActionError(error)) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const file = (i: number, extra: Partial<AgentFile> = {}): AgentFile => ({ fileId: `f${i}`, key: `k${i}`, fileName: `doc${i}.pdf`, fileType: 'application/pdf', s3Uri: `s3://bucket/bedrock-files/doc${i}.pdf`, fileSize: 1000, ...extra });

describe('bedrockAgent', () => {
  it('yields the chunks in order (other events ignored), then done with the whole text', async () => {
    const events = await collect(agent().ask(ask()));
    expect(events).toEqual([
      { type: 'chunk', text: 'Hola, ' },
      { type: 'chunk', text: 'mundo.' },
      { type: 'done', result: { text: 'Hola, mundo.', files: [], rounds: 0, agentId: 'AGENT12345' } },
    ]);
  });

  it('joins a character split across frames', async () => {
    const events = await collect(agent().ask(ask({ prompt: 'utf8' })));
    expect(events.at(-1)).toEqual({ type: 'done', result: expect.objectContaining({ text: 'año' }) });
  });

  it('asks InvokeAgent to stream the final response for a streaming reply, and sends the S3 files', async () => {
    const before = server.requests.length;
    await collect(agent({ enableTrace: true, fileUseCase: 'CODE_INTERPRETER' }).ask(ask({ stream: true, files: [file(1)] })));
    expect(server.requests[before]!.body).toEqual({
      inputText: 'hola',
      enableTrace: true,
      streamingConfigurations: { streamFinalResponse: true },
      sessionState: { files: [{ name: 'doc1.pdf', source: { sourceType: 'S3', s3Location: { uri: 's3://bucket/bedrock-files/doc1.pdf' } }, useCase: 'CODE_INTERPRETER' }] },
    });
  });

  it('refuses more than InvokeAgent takes (5 files, 10 MB) and files not on S3, before calling it', async () => {
    const before = server.requests.length;
    expect(await refusal(() => collect(agent().ask(ask({ files: [1, 2, 3, 4, 5, 6].map((i) => file(i)) }))))).toEqual({ status: 400, message: 'InvokeAgent takes at most 5 files per question; 6 were given. Choose fewer fileIds.' });
    expect(await refusal(() => collect(agent().ask(ask({ files: [file(1, { fileSize: 6_000_000 }), file(2, { fileSize: 5_000_000 })] }))))).toEqual({ status: 400, message: 'InvokeAgent takes at most 10485760 bytes (10 MB) of files per question; these are 11000000. Choose fewer or smaller files.' });
    const { s3Uri: _none, ...onDisk } = file(1);
    expect((await refusal(() => collect(agent().ask(ask({ files: [onDisk] }))))).message).toBe('The file "doc1.pdf" is not on S3, and InvokeAgent reads files from S3 only: store the files with s3Blobs to ask the agent about them.');
    expect(server.requests).toHaveLength(before);
  });

  it('an abort half-way stops the call and rejects instead of returning a partial answer', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const seen: AgentEvent[] = [];
    const run = (async () => {
      for await (const event of agent().ask(ask({ prompt: 'despacio', signal: controller.signal }))) {
        seen.push(event);
        controller.abort();
      }
    })();
    expect((await refusal(() => run)).status).toBe(504);
    expect(seen).toEqual([{ type: 'chunk', text: 'uno ' }]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('the reason of an abort wins (the operation\'s own 504)', async () => {
    const controller = new AbortController();
    const { ActionError } = await import('bedrock-action-groups');
    setTimeout(() => controller.abort(new ActionError(504, 'sendPrompt did not finish within 100 ms.')), 100);
    expect(await refusal(() => collect(agent().ask(ask({ prompt: 'despacio', signal: controller.signal }))))).toEqual({ status: 504, message: 'sendPrompt did not finish within 100 ms.' });
  });

  it('takes only the configured pairs, and checks its options at creation', async () => {
    expect((await refusal(() => collect(agent().ask(ask({ agentId: 'AGENT12345' })))))).toEqual({ status: 400, message: '"agentId" and "agentAliasId" go together: give both or neither' });
    expect((await refusal(() => collect(agent().ask(ask({ agentId: 'X', agentAliasId: 'Y' }))))).status).toBe(403);
    expect((await refusal(() => collect(agent().ask(ask({ sessionId: 'a b' })))))).toEqual({ status: 400, message: '"sessionId" must be 2 to 100 letters, digits or . _ : - (InvokeAgent\'s session id)' });
    expect(() => bedrockAgent({ agentId: '', agentAliasId: 'ALIAS12345' })).toThrow('bedrockAgent: "agentId" must be a Bedrock agent id (up to 10 letters and digits), got ""');
    expect(() => bedrockAgent({ agentId: 'A', agentAliasId: 'B', allowed: [{ agentId: 'C', agentAliasId: 'no way' }] })).toThrow('bedrockAgent: "allowed[0].agentAliasId" must be a Bedrock alias id');
    expect(() => bedrockAgent({ agentId: 'A', agentAliasId: 'B', maxReturnControlRounds: -1 })).toThrow('"maxReturnControlRounds" must be a whole number, 0 or more');
  });
});
