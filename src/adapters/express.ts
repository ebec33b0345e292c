import express, { type Request as ExpressRequest, type Router as ExpressRouter } from 'express';
import { serveNode } from '../doors/http/node.js';
import { httpDoorOf, type Router } from '../router.js';

/** A body a parser before us already read (`express.json()`, `express.text()`, `express.raw()`), as bytes. */
function parsedBody(req: ExpressRequest): ((limit: number) => Promise<Uint8Array | undefined>) | undefined {
  const body: unknown = req.body;
  if (body === undefined || !req.readableEnded) return undefined;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return (limit) => Promise.resolve(bytes.length > limit ? undefined : bytes);
}

/**
 * The router as an Express 5 router: `app.use('/api', toExpress(router))`. Operations answer at their
 * OpenAPI paths relative to where it is mounted, with the built-in routes; a path no route knows is
 * passed on (`next()`) to the rest of the app. A body parser mounted before it is fine: its result is
 * used, still within the body limits.
 */
export function toExpress(router: Router): ExpressRouter {
  const http = httpDoorOf(router);
  http.routes();
  const handler = express.Router();
  handler.use((req, res, next) => serveNode(http, req, res, { readBody: parsedBody(req), unrouted: () => next() }));
  return handler;
}
