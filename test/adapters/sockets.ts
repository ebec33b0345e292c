// Real-socket helpers for the adapter tests: raw requests (exact bytes, chunked bodies) and servers on
// ephemeral loopback ports.
import { request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Starts a server on an ephemeral port of 127.0.0.1; resolves its base URL. */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** Closes a server and every connection it still has. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends a request with `http.request`, keeping the path exactly as given (no URL normalisation). `chunks`
 * are written one by one with a pause between them and no Content-Length (chunked transfer encoding).
 * Resolves with the reply as soon as it arrives, even if the server stopped reading the body.
 */
export function rawRequest(base: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string; chunks?: Iterable<string>; pauseMs?: number }): Promise<RawReply> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    // Once the server answered and closed, further writes fail; that is expected here.
    req.on('error', (error) => reject(error));
    if (options.chunks) {
      const iterator = options.chunks[Symbol.iterator]();
      const next = () => {
        if (req.destroyed || req.writableEnded) return;
        const { done, value } = iterator.next();
        if (done) return req.end();
        req.write(value, () => setTimeout(next, options.pauseMs ?? 1));
      };
      next();
    } else {
      req.end(options.body);
    }
  });
}

/** Writes raw bytes on a fresh TCP connection and resolves with everything read until the server closes it. */
export function rawExchange(base: string, bytes: string, timeoutMs = 5_000): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset the connection after answering; what it sent is still the reply.
      if (text) return;
      clearTimeout(timer);
      reject(error);
    });
    socket.write(bytes);
  });
}
