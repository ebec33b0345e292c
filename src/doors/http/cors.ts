import { ActionError } from '../../core/errors.js';
import type { HttpDoorOptions } from './options.js';
import { errorReply, type HttpExchange, type HttpReply } from './exchange.js';

/** The router's `cors` option. */
export type CorsOptions = NonNullable<HttpDoorOptions['cors']>;

const PREFLIGHT_MAX_AGE = '600';
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

function allows(cors: CorsOptions, origin: string | undefined): boolean {
  return origin !== undefined && (cors.origins === '*' || cors.origins.includes(origin));
}

/**
 * Adds the CORS headers of a reply: `Vary: Origin` always, and the `Access-Control-Allow-*` headers only
 * for an allowed origin (a disallowed one gets none). Leaves a preflight reply's own headers as they are.
 */
export function addCorsHeaders(cors: CorsOptions, origin: string | undefined, headers: Record<string, string>): void {
  const vary = headers.vary;
  if (vary === undefined) headers.vary = 'Origin';
  else if (!/\borigin\b/i.test(vary)) headers.vary = `${vary}, Origin`;
  if (!allows(cors, origin)) return;
  headers['access-control-allow-origin'] = cors.origins === '*' ? '*' : (origin as string);
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
}

/**
 * Answers OPTIONS on a known path with CORS on: a preflight from an allowed origin gets 204 with the
 * `Access-Control-Allow-*` headers for the path's methods; from any other origin a 403 without them; a
 * plain OPTIONS (no preflight headers) gets 204 with `Allow`.
 */
export function answerOptions(cors: CorsOptions, ex: HttpExchange, allow: readonly string[]): HttpReply {
  const origin = ex.header('origin');
  const requestedMethod = ex.header('access-control-request-method');
  const methods = [...allow, 'OPTIONS'].join(', ');
  if (origin === undefined || requestedMethod === undefined) {
    const headers: Record<string, string> = { allow: methods };
    addCorsHeaders(cors, origin, headers);
    return { status: 204, headers };
  }
  if (!allows(cors, origin)) {
    const refused = new ActionError(403, `Origin ${JSON.stringify(origin.slice(0, 200))} may not call this API from a browser (CORS).`, { code: 'CORS_ORIGIN_NOT_ALLOWED' });
    return errorReply(refused, { vary: 'Origin' });
  }
  const headers: Record<string, string> = {
    vary: 'Origin, Access-Control-Request-Headers',
    'access-control-allow-origin': cors.origins === '*' ? '*' : origin,
    'access-control-allow-methods': methods,
    'access-control-max-age': PREFLIGHT_MAX_AGE,
  };
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  const requestedHeaders = ex.header('access-control-request-headers');
  if (requestedHeaders && HEADER_LIST.test(requestedHeaders.trim())) headers['access-control-allow-headers'] = requestedHeaders.trim();
  return { status: 204, headers };
}
