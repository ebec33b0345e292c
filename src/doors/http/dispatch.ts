import type { CallInfo, Caller } from '../../core/context.js';
import { ActionError, isActionError, unexpectedError } from '../../core/errors.js';
import { copyInput } from '../../core/input.js';
import type { Outcome } from '../../core/execute.js';
import { mapMaybe, type MaybePromise } from '../../util/maybe-async.js';
import { isWebResponse } from '../../util/web-response.js';
import { hasBody, type Operation } from '../../core/operation.js';
import { addQuery, DEFAULT_MAX_BODY_BYTES, readJsonObject } from './body.js';
import { builtinAt } from './builtins.js';
import { addCorsHeaders, answerOptions } from './cors.js';
import { groupErrorReply, groupOutput } from './group-replies.js';
import type { HttpHost, Mount } from './host.js';
import { errorReply, errorText, jsonReply, responseReply, type HttpExchange, type HttpReply } from './exchange.js';
import { mountedRequest } from './mounted.js';
import type { HttpDoorOptions } from './options.js';
import type { Route } from './routes.js';

/**
 * The HTTP door: every adapter (router.fetch, node, Express, API Gateway) answers through here.
 * Never throws or rejects: failures are `{ error }` replies, unexpected ones a logged generic 500.
 * Synchronous when nothing needs to wait (a GET to a synchronous handler without `authenticate`).
 */
export function dispatch(http: HttpHost, ex: HttpExchange): MaybePromise<HttpReply> {
  const cors = http.options.cors;
  let reply: MaybePromise<HttpReply>;
  try {
    reply = answer(http, ex);
    if (reply instanceof Promise) reply = reply.catch((error: unknown) => failure(http, error));
  } catch (error) {
    reply = failure(http, error);
  }
  if (!cors) return reply;
  const origin = ex.header('origin');
  return mapMaybe(reply, (r) => {
    addCorsHeaders(cors, origin, r.headers);
    return r;
  });
}

/** The reply for anything thrown while answering; on a route of a group that wraps its errors (`op`), wrapped. */
function failure(http: HttpHost, error: unknown, op?: Operation): HttpReply {
  let e: ActionError;
  if (isActionError(error)) e = error;
  else {
    http.logger.error('HTTP request failed unexpectedly', { error });
    e = new ActionError(500, 'The request failed unexpectedly; the details were logged. Try again later.', { code: 'INTERNAL' });
  }
  // Every 401 carries a challenge (RFC 7235); an error's own headers (an authenticate's WWW-Authenticate) win.
  const headers = e.status === 401 ? { ...BEARER_CHALLENGE, ...e.headers } : e.headers && { ...e.headers };
  return (op && groupErrorReply(http.logger, op, e.status, e.toJSON(), headers)) ?? errorReply(e, headers);
}

function answer(http: HttpHost, ex: HttpExchange, mounted = true): MaybePromise<HttpReply> {
  const { method, target } = ex;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const mount = !mounted || http.mounts.length === 0 ? undefined : http.mounts.find((m) => path.startsWith(m.base) && (path.length === m.base.length || path.charCodeAt(m.base.length) === 47 /* "/" */));
  if (mount) return answerMounted(http, ex, mount);
  const builtin = builtinAt(http, path);
  if (builtin) {
    if (!builtin.allow.includes(method)) return refuseMethod(http, ex, path, builtin.allow);
    return builtin.run(ex, http, () => identifyCaller(http, ex));
  }
  const match = http.routes().match(method, path);
  if (match.kind === 'route') return runRoute(http, ex, match.route, match.values, q === -1 ? '' : target.slice(q + 1));
  if (match.kind === 'method') return refuseMethod(http, ex, path, match.allow);
  return notFound(http, method, path);
}

/**
 * A mounted web handler's answer, its body read whole first up to the mount's `maxBodyBytes` (else the
 * router's; 413 past it); `undefined` from it lets the router answer as if nothing were mounted.
 */
async function answerMounted(http: HttpHost, ex: HttpExchange, mount: Mount): Promise<HttpReply> {
  const limit = mount.maxBodyBytes ?? http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { request, exchange } = await mountedRequest(ex, limit, `the handler mounted at ${mount.prefix}`);
  const response = await mount.handler(request);
  if (response instanceof Response) return responseReply(response);
  if (response !== undefined) throw new TypeError(`the handler mounted at ${mount.prefix} answered neither a Response nor undefined`);
  return answer(http, exchange, false);
}

function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

function notFound(http: HttpHost, method: string, path: string): HttpReply {
  const groups = http.registry.groups.map((g) => g.name).join(', ') || 'none';
  const error = new ActionError(404, `No operation at ${method} ${shown(path)}. The HTTP API is described at GET /openapi.json (groups: ${groups}).`, { code: 'NOT_FOUND' });
  const reply = errorReply(error);
  reply.unrouted = true;
  return reply;
}

/** 405 with `Allow` for a known path; OPTIONS is answered here when CORS is on. */
function refuseMethod(http: HttpHost, ex: HttpExchange, path: string, allow: readonly string[]): HttpReply {
  const cors = http.options.cors;
  if (ex.method === 'OPTIONS' && cors) return answerOptions(cors, ex, allow);
  const list = allow.join(', ');
  return errorReply(new ActionError(405, `${ex.method} is not allowed on ${shown(path)}; allowed: ${list}.`, { code: 'METHOD_NOT_ALLOWED' }), { allow: list });
}

const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer' } as const;
const UNAUTHENTICATED = 'Authentication required: send valid credentials (for example Authorization: Bearer <token>).';

/**
 * The caller from `authenticate`: 401 (with `WWW-Authenticate`) when it answers null or throws; an
 * ActionError it throws with status 401, 403 or 5xx passes through with its message and headers.
 */
async function identifyCaller(http: HttpHost, ex: HttpExchange): Promise<Caller> {
  const authenticate = http.options.authenticate as NonNullable<HttpDoorOptions['authenticate']>;
  let found: Caller | null;
  try {
    found = await authenticate(ex.request());
  } catch (error) {
    const own = isActionError(error) && (error.status >= 500 || error.status === 401 || error.status === 403);
    if (own && error.status >= 500) throw error;
    http.logger.info('authenticate refused the request', { reason: error instanceof Error ? error.message : String(error) });
    if (own) throw error;
    found = null;
  }
  if (found === null || typeof found !== 'object') throw new ActionError(401, UNAUTHENTICATED, { code: 'UNAUTHORIZED' });
  const caller: Caller = {};
  if (typeof found.role === 'string') caller.role = found.role;
  if (typeof found.userId === 'string') caller.userId = found.userId;
  if (typeof found.email === 'string') caller.email = found.email;
  return caller;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function runRoute(http: HttpHost, ex: HttpExchange, route: Route, values: Record<string, string>, search: string): MaybePromise<HttpReply> {
  const op = route.op;
  if (!op.group.http?.error) return callRoute(http, ex, route, values, search);
  // The group wraps its errors: a refusal before the operation runs (identity, body) is wrapped too.
  try {
    const reply = callRoute(http, ex, route, values, search);
    return reply instanceof Promise ? reply.catch((error: unknown) => failure(http, error, op)) : reply;
  } catch (error) {
    return failure(http, error, op);
  }
}

function callRoute(http: HttpHost, ex: HttpExchange, route: Route, values: Record<string, string>, search: string): MaybePromise<HttpReply> {
  const call: CallInfo = { door: 'http' };
  const requestId = ex.header('x-request-id');
  if (requestId !== undefined && REQUEST_ID.test(requestId)) call.requestId = requestId;
  if (ex.lambdaContext) {
    call.lambdaContext = ex.lambdaContext;
    call.requestId ??= ex.lambdaContext.awsRequestId;
  }
  if (http.options.authenticate) {
    return identifyCaller(http, ex).then((caller) => {
      call.caller = caller;
      return callOperation(http, ex, route, values, search, call);
    });
  }
  return callOperation(http, ex, route, values, search, call);
}

function callOperation(http: HttpHost, ex: HttpExchange, route: Route, values: Record<string, string>, search: string, call: CallInfo): MaybePromise<HttpReply> {
  const op = route.op;
  const input: Record<string, unknown> = {};
  if (search !== '') addQuery(search, input);
  if (!hasBody(op.method)) return http.registry.run(op, copyInput(values, input), call, (o) => outcomeReply(http, op, o));
  const limit = op.maxBodyBytes ?? http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return readJsonObject(ex, limit, op.name).then((body) => {
    copyInput(body, input);
    return http.registry.run(op, copyInput(values, input), call, (o) => outcomeReply(http, op, o));
  });
}

function outcomeReply(http: HttpHost, op: Operation, outcome: Outcome): HttpReply {
  if (!outcome.ok) {
    const headers = outcome.headers && { ...outcome.headers };
    return groupErrorReply(http.logger, op, outcome.status, outcome.error, headers) ?? jsonReply(outcome.status, errorText(outcome.error), headers);
  }
  // A handler that answers with a web Response (a file, server-sent events) has said exactly what to send.
  if (isWebResponse(outcome.output)) return responseReply(outcome.output);
  let text: string | undefined;
  try {
    text = JSON.stringify(groupOutput(op, outcome.output));
  } catch (error) {
    http.logger.error('the reply could not be serialised', { requestId: outcome.requestId, group: op.group.name, operation: op.name, error });
    return errorReply(unexpectedError(op.name, outcome.requestId));
  }
  if (text === undefined) return { status: 204, headers: {} };
  return jsonReply(200, text);
}
