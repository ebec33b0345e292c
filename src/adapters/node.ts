import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionError } from '../core/errors.js';
import { errorReply } from '../doors/http/exchange.js';
import { serveNode, writeReply } from '../doors/http/node.js';
import { httpDoorOf, type Router } from '../router.js';
import { hostCheck } from './node-host.js';

/** A node request listener: `(req, res) => void`. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link createServer}: node's own limits, with safer defaults for a public API. */
export interface NodeServerOptions {
  /** Most milliseconds to receive a whole request, headers and body (default 30 000); then node answers 408. */
  requestTimeout?: number;
  /** Most milliseconds to receive the request headers (default 10 000, at most `requestTimeout`). */
  headersTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open (default 5 000). */
  keepAliveTimeout?: number;
  /** Largest request head in bytes (default 16 384); larger heads get a 431 from node. */
  maxHeaderSize?: number;
  /**
   * Guard against DNS rebinding while the server listens on a loopback address (127.0.0.0/8, ::1): a
   * request whose `Host` is not `localhost`, `127.0.0.1`, `[::1]` or a name listed here, with the port
   * listened on, gets a 421. Servers listening on other addresses are not checked. Default `[]`;
   * `true` accepts any Host (for a local proxy that rewrites it).
   */
  allowedHosts?: readonly string[] | true;
}

/** The server {@link createServer} returns: a node `http.Server` that can also shut down gracefully. */
export interface ActionServer extends Server {
  /**
   * Stops accepting connections, closes idle ones, lets in-flight requests finish (their replies close
   * their connections) and resolves once every connection is gone. After `graceMs` (default 10 000) the
   * connections still open are cut. Safe to call when the server is not listening.
   */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * The router as a node request listener, for `http.createServer(toNodeHandler(router))` or any server
 * that takes one. Routes are compiled now, so a clash between groups fails here rather than on a request.
 */
export function toNodeHandler(router: Router): NodeHandler {
  const http = httpDoorOf(router);
  http.routes();
  return (req, res) => serveNode(http, req, res);
}

/**
 * A node HTTP server (not yet listening) serving the router through the HTTP door: the operations at
 * their OpenAPI paths plus the built-in routes. Call `.listen(port, host)`; stop with `.shutdown()`.
 * The request body limit is enforced while the body streams in. Listening on a loopback address, it
 * answers only requests addressed to localhost (see `allowedHosts`).
 */
export function createServer(router: Router, options: NodeServerOptions = {}): ActionServer {
  const http = httpDoorOf(router);
  http.routes();
  const requestTimeout = options.requestTimeout ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeout ?? 10_000, requestTimeout);
  let closing = false;
  const isClosing = () => closing;
  let bound: AddressInfo | undefined;
  const refusal = options.allowedHosts === true ? undefined : hostCheck(() => bound, options.allowedHosts ?? []);
  const server = createHttpServer(
    {
      requestTimeout,
      headersTimeout,
      // Node checks the timeouts above on this interval (30 s by default); check often enough to honour them.
      connectionsCheckingInterval: Math.max(50, Math.min(headersTimeout / 4, 5_000)),
      keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
      maxHeaderSize: options.maxHeaderSize ?? 16_384,
    },
    (req, res) => {
      const refused = refusal?.(req);
      if (refused === undefined) serveNode(http, req, res, { closing: isClosing });
      else writeReply(res, errorReply(new ActionError(421, refused)), true);
    },
  ) as ActionServer;
  // Read once: the address is the same for every request until the server listens again.
  server.on('listening', () => {
    const address = server.address();
    bound = address !== null && typeof address === 'object' ? address : undefined;
  });
  server.shutdown = (graceMs = 10_000) =>
    new Promise<void>((resolve) => {
      closing = true;
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  return server;
}
