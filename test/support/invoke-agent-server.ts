// A local stand-in for Bedrock Agent Runtime's InvokeAgent: an HTTP/2 (cleartext) server on 127.0.0.1
// that answers each InvokeAgent request with real event-stream frames, so tests drive the real
// BedrockAgentRuntimeClient (which speaks HTTP/2 by default) end to end.
import { once } from 'node:events';
import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One InvokeAgent request as the server received it. */
export interface InvokeAgentRequest {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (`inputText`, `sessionState`, …). */
  body: Record<string, unknown>;
  /** When each frame of the reply was written (`performance.now()`), in order. */
  sentAt: number[];
  /** Set when the client reset the stream before the reply ended (an aborted call). */
  aborted: boolean;
}

/**
 * One event of InvokeAgent's `completion` stream: the member name (`chunk`, `returnControl`, `trace`, …)
 * and the JSON of that member as `payload`; or a chunk given as `text`, sent base64-encoded as `bytes`.
 */
export type InvokeAgentEvent =
  | { type: 'chunk'; text: string; attribution?: unknown }
  | { type: string; payload: Record<string, unknown> }
  /** A modelled error frame (`throttlingException`, `validationException`, …): the SDK throws it from the stream. */
  | { exception: string; message: string }
  /** Wait before the next frame (to abort a stream half-way). */
  | { pauseMs: number }
  /** Break the stream here: an HTTP/2 RST_STREAM (INTERNAL_ERROR), as a failing connection would. */
  | { reset: true };

/** Decides the events of the reply to the `index`-th request (0-based). */
export type InvokeAgentScript = (request: InvokeAgentRequest, index: number) => InvokeAgentEvent[];

export interface InvokeAgentServer {
  /** `http://127.0.0.1:<port>`: the client's `endpoint`. */
  endpoint: string;
  /** Every request received, in order. */
  requests: InvokeAgentRequest[];
  close(): Promise<void>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PATH = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/;

/** The bytes of one event-stream message carrying `payload` as the `type` event. */
export function eventFrame(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** The bytes of one event-stream exception message (`:message-type: exception`). */
export function exceptionFrame(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function frameOf(event: Exclude<InvokeAgentEvent, { pauseMs: number } | { reset: true }>): Uint8Array {
  if ('exception' in event) return exceptionFrame(event.exception, event.message);
  if ('text' in event) {
    const { text, attribution } = event;
    return eventFrame('chunk', { bytes: Buffer.from(text, 'utf8').toString('base64'), ...(attribution ? { attribution } : {}) });
  }
  return eventFrame(event.type, event.payload);
}

async function readJson(stream: ServerHttp2Stream): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts the server on an ephemeral port; each request is answered with the frames `script` returns. */
export async function startInvokeAgentServer(script: InvokeAgentScript): Promise<InvokeAgentServer> {
  const requests: InvokeAgentRequest[] = [];
  const server: Http2Server = createServer();
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const match = PATH.exec(String(headers[':path'] ?? '').split('?')[0] ?? '');
    if (headers[':method'] !== 'POST' || !match) {
      stream.respond({ ':status': 404, 'content-type': 'application/json' });
      stream.end(JSON.stringify({ message: `No route for ${headers[':method']} ${headers[':path']}` }));
      return;
    }
    void (async () => {
      const body = await readJson(stream);
      const [, agentId, agentAliasId, sessionId] = match.map((part) => decodeURIComponent(part)) as [string, string, string, string];
      const request: InvokeAgentRequest = { agentId, agentAliasId, sessionId, headers, body, sentAt: [], aborted: false };
      stream.once('aborted', () => (request.aborted = true));
      const events = script(request, requests.push(request) - 1);
      stream.respond({
        ':status': 200,
        'content-type': 'application/vnd.amazon.eventstream',
        'x-amzn-bedrock-agent-content-type': 'application/json',
        'x-amz-bedrock-agent-session-id': sessionId,
      });
      for (const event of events) {
        if (stream.destroyed) return;
        if ('pauseMs' in event) await new Promise((resolve) => setTimeout(resolve, event.pauseMs));
        else if ('reset' in event) {
          // Destroyed with an error, the stream is reset with INTERNAL_ERROR (close(code) would end it cleanly for the client).
          stream.on('error', () => {});
          return stream.destroy(new Error('the connection broke'));
        }
        else {
          stream.write(frameOf(event));
          request.sentAt.push(performance.now());
        }
      }
      if (!stream.destroyed) stream.end();
    })().catch(() => {
      // The client went away (an aborted call): nothing left to answer.
      if (!stream.destroyed) stream.close();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A client keeps its HTTP/2 session open for reuse; close it so the server can stop.
        for (const session of sessions) session.close();
      }),
  };
}
