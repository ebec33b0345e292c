import type { Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { LIBRARY_VERSION } from '../../core/version.js';
import type { HttpExchange, HttpReply } from './exchange.js';
import type { HttpHost } from './host.js';

/** A built-in route resolved from a path: the methods it answers and how. */
export interface Builtin {
  readonly allow: readonly string[];
  run(ex: HttpExchange, http: HttpHost, identify: () => Promise<Caller>): HttpReply | Promise<HttpReply>;
}

export const GET = ['GET'] as const;
export const POST = ['POST'] as const;

export const NO_STORE = { 'cache-control': 'no-store' } as const;

/** The version `GET /health` and the documents report. */
export function versionOf(http: Pick<HttpHost, 'options'>): string {
  return http.options.version ?? (process.env.BUILD_TAG || LIBRARY_VERSION);
}

/** A generated document as JSON text, kept while the groups are unchanged; `what` names it in the 500 when it cannot be made. */
export function cachedDocument(http: HttpHost, key: string, what: string, make: () => unknown): string {
  const documents = http.documents();
  let text = documents.get(key);
  if (text === undefined) {
    try {
      text = JSON.stringify(make(), null, 2);
    } catch (error) {
      // A definition problem the developer must fix; the message names the operation, never a secret.
      throw new ActionError(500, `${what} cannot be generated: ${(error as Error).message}`, { code: 'SCHEMA_ERROR' });
    }
    documents.set(key, text);
  }
  return text;
}
