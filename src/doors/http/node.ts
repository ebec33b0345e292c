import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/logger.js';
import type { HttpDoor } from './door.js';
import { concat } from '../../util/body.js';
import type { HttpExchange, HttpReply } from './exchange.js';

/** Per-request choices of the adapter serving a node request through the HTTP door. */
export interface NodeServeOptions {
  /** Reads the body when a framework already consumed the stream (Express body parsers). */
  readBody?: (limit: number) => Promise<Uint8Array | undefined>;
  /** Called instead of replying when no route knows the path (frameworks pass the request on). */
  unrouted?: () => void;
  /** True when the server is shutting down: replies then close their connection. */
  closing?: () => boolean;
}

function hasDeclaredBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The exchange for a node request. The body is read on demand with a byte limit, never buffered past it:
 * on overflow the stream is paused and left unread, and the reply closes the connection.
 */
class NodeExchange implements HttpExchange {
  readonly method: string;
  readonly target: string;
  /** The whole body was read, by the door or by a framework before it. */
  consumed: boolean;
  readonly #req: IncomingMessage;
  readonly #readBody: ((limit: number) => Promise<Uint8Array | undefined>) | undefined;
  #request: Request | undefined;

  constructor(req: IncomingMessage, readBody?: (limit: number) => Promise<Uint8Array | undefined>) {
    this.#req = req;
    this.#readBody = readBody;
    this.consumed = req.readableEnded;
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    // Absolute-form targets (sent to proxies) keep only their path and query.
    this.target = url.charCodeAt(0) === 47 /* "/" */ ? url : absoluteToOrigin(url);
  }

  header(name: string): string | undefined {
    const v = this.#req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  readBody(limit: number): Promise<Uint8Array | undefined> {
    if (this.#readBody) {
      this.consumed = true;
      return this.#readBody(limit);
    }
    const req = this.#req;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      const cleanup = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      const onData = (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) {
          cleanup();
          req.pause();
          resolve(undefined);
        } else chunks.push(chunk);
      };
      const onEnd = () => {
        cleanup();
        this.consumed = true;
        resolve(concat(chunks, total));
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(new Error('the client closed the request before sending the whole body'));
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
      req.on('close', onClose);
    });
  }

  request(): Request {
    if (this.#request) return this.#request;
    const req = this.#req;
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    let url: URL;
    try {
      url = new URL(this.target, `${scheme}://${req.headers.host ?? 'localhost'}`);
    } catch {
      url = new URL(this.target, `${scheme}://localhost`);
    }
    return (this.#request = new Request(url, { method: this.method, headers }));
  }

}

function absoluteToOrigin(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme === -1) return url;
  const slash = url.indexOf('/', scheme + 3);
  return slash === -1 ? '/' : url.slice(slash);
}

/**
 * Writes a reply; closes the connection when a declared body was left unread (or the server is closing).
 * A stream body is written chunk by chunk as it comes (each chunk reaches the client at once), pausing
 * while the socket is full; when the client goes away the stream is cancelled, so its producer stops.
 */
export function writeReply(res: ServerResponse, reply: HttpReply, close: boolean, logger?: Logger): void {
  const headers = reply.headers;
  if (close) headers.connection = 'close';
  const body = reply.body;
  if (body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.writeHead(reply.status, headers);
    res.end(body);
    return;
  }
  res.writeHead(reply.status, headers);
  // Send the head now: an event-stream client waits for it before the first event.
  res.flushHeaders();
  void pump(body, res, logger);
}

async function pump(body: ReadableStream<Uint8Array>, res: ServerResponse, logger: Logger | undefined): Promise<void> {
  const reader = body.getReader();
  const gone = () => void reader.cancel(new Error('the client went away')).catch(() => undefined);
  res.once('close', gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
    res.end();
  } catch (error) {
    // Headers are gone already: all that is left is to cut the connection so the client sees it broke.
    if (!res.destroyed) logger?.error('the reply stream failed', { error });
    res.destroy();
  } finally {
    res.off('close', gone);
  }
}

/** Serves one node request through the HTTP door and writes the reply. */
export function serveNode(http: HttpDoor, req: IncomingMessage, res: ServerResponse, options: NodeServeOptions = {}): void {
  const ex = new NodeExchange(req, options.readBody);
  const done = (reply: HttpReply) => {
    if (reply.unrouted && options.unrouted) return options.unrouted();
    if (res.destroyed) return;
    const close = (!ex.consumed && hasDeclaredBody(req)) || (options.closing?.() ?? false);
    writeReply(res, reply, close, http.logger);
  };
  const reply = http.dispatch(ex);
  if (reply instanceof Promise) {
    reply.then(done).catch((error: unknown) => fail(http, res, error));
    return;
  }
  try {
    done(reply);
  } catch (error) {
    fail(http, res, error);
  }
}

// dispatch never rejects; this only guards against a failure while writing.
function fail(http: HttpDoor, res: ServerResponse, error: unknown): void {
  http.logger.error('writing the HTTP reply failed', { error });
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
  res.end(res.headersSent ? undefined : JSON.stringify({ error: { code: 'INTERNAL', message: 'The request failed unexpectedly.' } }));
}
