import type { CallInfo, Caller } from '../core/context.js';
import { ActionError, isActionError, unexpectedError } from '../core/errors.js';
import type { Outcome } from '../core/execute.js';
import { copyInput } from '../core/input.js';
import { mapMaybe, type MaybePromise } from '../core/maybe-async.js';
import { hasBody, type Operation } from '../core/operation.js';
import type { Router, RouterOptions } from '../core/router.js';
import { addQuery, DEFAULT_MAX_BODY_BYTES, readJsonObject } from './http-body.js';
import { builtinAt } from './http-builtins.js';
import { addCorsHeaders, answerOptions } from './http-cors.js';
import { errorReply, errorText, jsonReply, requestExchange, toResponse, type HttpExchange, type HttpReply } from './http-exchange.js';
import { routeTable, type Route } from './http-routes.js';

/** Checks the router's HTTP options when the router is created, so a bad setting fails at start-up. */
export function checkHttpOptions(options: RouterOptions): void {
  if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes > 0)) {
    throw new Error('createRouter: "maxBodyBytes" must be a positive integer');
  }
  if (options.authenticate !== undefined && typeof options.authenticate !== 'function') throw new Error('createRouter: "authenticate" must be a function');
  const cors = options.cors;
  if (cors !== undefined) {
    if (cors.origins !== '*' && !Array.isArray(cors.origins)) throw new Error('createRouter: "cors.origins" must be "*" or a list of origins');
    if (cors.origins === '*' && cors.credentials) throw new Error('createRouter: "cors.origins" "*" cannot be combined with "credentials"; list the origins');
  }
}

/** `router.fetch`: one web `Request` in, one `Response` out. */
export async function serveHttp(router: Router, request: Request): Promise<Response> {
  return toResponse(await dispatch(router, requestExchange(request)));
}

/**
 * The HTTP door: every adapter (router.fetch, node, Express, API Gateway) answers through here.
 * Never throws or rejects: failures are `{ error }` replies, unexpected ones a logged generic 500.
 * Synchronous when nothing needs to wait (a GET to a synchronous handler without `authenticate`).
 */
export function dispatch(router: Router, ex: HttpExchange): MaybePromise<HttpReply> {
  const cors = router.options.cors;
  let reply: MaybePromise<HttpReply>;
  try {
    reply = answer(router, ex);
    if (reply instanceof Promise) reply = reply.catch((error: unknown) => failure(router, error));
  } catch (error) {
    reply = failure(router, error);
  }
  if (!cors) return reply;
  const origin = ex.header('origin');
  return mapMaybe(reply, (r) => {
    addCorsHeaders(cors, origin, r.headers);
    return r;
  });
}

function failure(router: Router, error: unknown): HttpReply {
  if (error instanceof Unauthenticated) return errorReply(error, { 'www-authenticate': 'Bearer' });
  if (isActionError(error)) return errorReply(error);
  router.logger.error('HTTP request failed unexpectedly', { error });
  return errorReply(new ActionError(500, 'The request failed unexpectedly; the details were logged. Try again later.', { code: 'INTERNAL' }));
}

function answer(router: Router, ex: HttpExchange): MaybePromise<HttpReply> {
  const { method, target } = ex;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const builtin = builtinAt(router, path);
  if (builtin) {
    if (!builtin.allow.includes(method)) return refuseMethod(router, ex, path, builtin.allow);
    return builtin.run(ex, router, () => identifyCaller(router, ex));
  }
  const match = routeTable(router).match(method, path);
  if (match.kind === 'route') return runRoute(router, ex, match.route, match.values, q === -1 ? '' : target.slice(q + 1));
  if (match.kind === 'method') return refuseMethod(router, ex, path, match.allow);
  return notFound(router, method, path);
}

function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

function notFound(router: Router, method: string, path: string): HttpReply {
  const groups = router.groups.map((g) => g.name).join(', ') || 'none';
  const error = new ActionError(404, `No operation at ${method} ${shown(path)}. Each group's routes are listed at GET /openapi/{group}.json (groups: ${groups}).`, { code: 'NOT_FOUND' });
  const reply = errorReply(error);
  reply.unrouted = true;
  return reply;
}

/** 405 with `Allow` for a known path; OPTIONS is answered here when CORS is on. */
function refuseMethod(router: Router, ex: HttpExchange, path: string, allow: readonly string[]): HttpReply {
  const cors = router.options.cors;
  if (ex.method === 'OPTIONS' && cors) return answerOptions(cors, ex, allow);
  const list = allow.join(', ');
  return errorReply(new ActionError(405, `${ex.method} is not allowed on ${shown(path)}; allowed: ${list}.`, { code: 'METHOD_NOT_ALLOWED' }), { allow: list });
}

const UNAUTHENTICATED = 'Authentication required: send valid credentials (for example Authorization: Bearer <token>).';

/** The caller from `authenticate`: 401 (with `WWW-Authenticate`) when it answers null or throws; its own 5xx passes through. */
async function identifyCaller(router: Router, ex: HttpExchange): Promise<Caller> {
  const authenticate = router.options.authenticate as NonNullable<RouterOptions['authenticate']>;
  let found: Caller | null;
  try {
    found = await authenticate(ex.request());
  } catch (error) {
    if (isActionError(error) && error.status >= 500) throw error;
    router.logger.info('authenticate refused the request', { reason: error instanceof Error ? error.message : String(error) });
    found = null;
  }
  if (found === null || typeof found !== 'object') throw new Unauthenticated();
  const caller: Caller = {};
  if (typeof found.role === 'string') caller.role = found.role;
  if (typeof found.userId === 'string') caller.userId = found.userId;
  if (typeof found.email === 'string') caller.email = found.email;
  return caller;
}

/** The 401 of a request `authenticate` did not accept; it carries its `WWW-Authenticate` challenge. */
class Unauthenticated extends ActionError {
  constructor() {
    super(401, UNAUTHENTICATED, { code: 'UNAUTHORIZED' });
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function runRoute(router: Router, ex: HttpExchange, route: Route, values: Record<string, string>, search: string): MaybePromise<HttpReply> {
  const call: CallInfo = { door: 'http' };
  const requestId = ex.header('x-request-id');
  if (requestId !== undefined && REQUEST_ID.test(requestId)) call.requestId = requestId;
  if (ex.lambdaContext) {
    call.lambdaContext = ex.lambdaContext;
    call.requestId ??= ex.lambdaContext.awsRequestId;
  }
  if (router.options.authenticate) {
    return identifyCaller(router, ex).then((caller) => {
      call.caller = caller;
      return callOperation(router, ex, route, values, search, call);
    });
  }
  return callOperation(router, ex, route, values, search, call);
}

function callOperation(router: Router, ex: HttpExchange, route: Route, values: Record<string, string>, search: string, call: CallInfo): MaybePromise<HttpReply> {
  const op = route.op;
  const input: Record<string, unknown> = {};
  if (search !== '') addQuery(search, input);
  if (!hasBody(op.method)) return mapMaybe(router.run(op, copyInput(values, input), call), (o) => outcomeReply(router, op, o));
  const limit = op.maxBodyBytes ?? router.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return readJsonObject(ex, limit, op.name).then((body) => {
    copyInput(body, input);
    return mapMaybe(router.run(op, copyInput(values, input), call), (o) => outcomeReply(router, op, o));
  });
}


function outcomeReply(router: Router, op: Operation, outcome: Outcome): HttpReply {
  if (!outcome.ok) return jsonReply(outcome.status, errorText(outcome.error));
  if (outcome.output === undefined) return { status: 204, headers: {} };
  let text: string;
  try {
    text = JSON.stringify(outcome.output);
  } catch (error) {
    router.logger.error('the reply could not be serialised', { requestId: outcome.requestId, group: op.group.name, operation: op.name, error });
    return errorReply(unexpectedError(op.name, outcome.requestId));
  }
  return jsonReply(200, text);
}
