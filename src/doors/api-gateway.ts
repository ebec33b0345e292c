import type { LambdaContext } from '../core/context.js';
import type { DoorPlugin } from '../core/door.js';
import { ActionError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { isRecord } from '../util/is-record.js';
import type { MaybePromise } from '../util/maybe-async.js';
import type { HttpDoor } from './http/door.js';
import { bodyBytes, type HttpExchange, type HttpReply } from './http/exchange.js';

/** An API Gateway REST API (payload 1.0) Lambda proxy event, in the parts this door reads. */
export interface ApiGatewayV1Event {
  httpMethod: string;
  path: string;
  resource?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext: { stage?: string; requestId?: string; domainName?: string; [key: string]: unknown };
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** An API Gateway HTTP API (payload 2.0) or Lambda Function URL event, in the parts this door reads. */
export interface ApiGatewayV2Event {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  requestContext: { stage?: string; requestId?: string; domainName?: string; http: { method: string; [key: string]: unknown }; [key: string]: unknown };
  body?: string;
  isBase64Encoded?: boolean;
}

/** The proxy result API Gateway and Function URLs expect back. */
export interface ApiGatewayResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** True when `body` is base64 (bytes, and streams that are not text). */
  isBase64Encoded: boolean;
}

/** Lambda's limit on a buffered reply (6 MB); a streamed reply larger than this cannot go back through API Gateway. */
const MAX_BUFFERED_REPLY = 6 * 1024 * 1024 - 1024;

function isV2(event: Record<string, unknown>): boolean {
  return event.version === '2.0' && typeof event.rawPath === 'string' && isRecord(event.requestContext) && isRecord(event.requestContext.http);
}

function isV1(event: Record<string, unknown>): boolean {
  return typeof event.httpMethod === 'string' && typeof event.path === 'string' && isRecord(event.requestContext);
}

/** Strips a named stage from the front of a path (`/prod/orders` → `/orders`); `$default` has none. */
function withoutStage(path: string, stage: unknown): string {
  if (typeof stage !== 'string' || stage === '' || stage === '$default') return path;
  const prefix = `/${stage}`;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function decodeBody(body: string | null | undefined, base64: boolean | undefined): Uint8Array {
  if (!body) return new Uint8Array(0);
  return base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Lower-cased headers; multi-value headers joined as HTTP joins them. */
function headerMap(single: Record<string, string | undefined> | null | undefined, multi: Record<string, string[] | undefined> | null | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (multi) {
    for (const [k, values] of Object.entries(multi)) if (values && values.length) map.set(k.toLowerCase(), values.join(', '));
  }
  if (single) {
    for (const [k, v] of Object.entries(single)) if (v !== undefined && !map.has(k.toLowerCase())) map.set(k.toLowerCase(), v);
  }
  return map;
}

function v1Query(event: ApiGatewayV1Event): string {
  const params = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters;
  if (multi) {
    for (const [k, values] of Object.entries(multi)) for (const v of values ?? []) params.append(k, v);
  } else if (event.queryStringParameters) {
    for (const [k, v] of Object.entries(event.queryStringParameters)) if (v !== undefined) params.append(k, v);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

// Path values in a v1 event are decoded; encode again what would change the path's meaning.
function encodePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
}

/** The exchange for a proxy event; the body is already in memory, so the limit is a length check. */
function eventExchange(method: string, target: string, headers: Map<string, string>, body: Uint8Array, domainName: unknown, lambdaContext: LambdaContext | undefined): HttpExchange {
  let request: Request | undefined;
  const host = headers.get('host') ?? (typeof domainName === 'string' && domainName ? domainName : 'lambda.local');
  const ex: HttpExchange = {
    method: method.toUpperCase(),
    target,
    header: (name) => headers.get(name),
    readBody: (limit) => Promise.resolve(body.byteLength > limit ? undefined : body),
    request: () => (request ??= new Request(new URL(target, `https://${host}`), { method: method.toUpperCase(), headers: [...headers] })),
  };
  return lambdaContext ? { ...ex, lambdaContext } : ex;
}

const TEXT_TYPE = /^(text\/|application\/(json|[\w.+-]*\+json|xml|javascript|x-ndjson))/i;

/** The proxy result of a reply: text as is, bytes base64; a stream is read to its end (Lambda buffers replies). */
function toResult(reply: HttpReply, logger: Logger): MaybePromise<ApiGatewayResult> {
  const { status: statusCode, headers, body } = reply;
  if (body === undefined || typeof body === 'string') return { statusCode, headers, body: body ?? '', isBase64Encoded: false };
  return bodyBytes(body, MAX_BUFFERED_REPLY).then(
    (bytes) => {
      if (bytes === undefined) return tooLarge();
      const text = TEXT_TYPE.test(headers['content-type'] ?? '');
      return { statusCode, headers, body: Buffer.from(bytes).toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text };
    },
    (error: unknown) => {
      logger.error('the reply stream failed', { error });
      return failed();
    },
  );
}

function tooLarge(): ApiGatewayResult {
  const error = new ActionError(502, 'The reply is larger than the 6 MB a Lambda can return through API Gateway; use a Function URL with toLambdaStreaming, or a presigned link.', { code: 'REPLY_TOO_LARGE' });
  return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: error.toJSON() }), isBase64Encoded: false };
}

function failed(): ApiGatewayResult {
  return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The reply failed while it was being produced; the details were logged. Try again later.' } }), isBase64Encoded: false };
}

/** The HTTP exchange of an API Gateway REST (v1), HTTP API (v2) or Function URL event. */
export function apiGatewayExchange(event: Record<string, unknown>, lambdaContext: LambdaContext | undefined): HttpExchange {
  if (isV2(event)) {
    const e = event as unknown as ApiGatewayV2Event;
    const headers = headerMap(e.headers, undefined);
    if (e.cookies?.length && !headers.has('cookie')) headers.set('cookie', e.cookies.join('; '));
    const query = e.rawQueryString ? `?${e.rawQueryString}` : '';
    return eventExchange(e.requestContext.http.method, withoutStage(e.rawPath, e.requestContext.stage) + query, headers, decodeBody(e.body, e.isBase64Encoded), e.requestContext.domainName, lambdaContext);
  }
  const e = event as unknown as ApiGatewayV1Event;
  const headers = headerMap(e.headers, e.multiValueHeaders);
  return eventExchange(e.httpMethod, encodePath(withoutStage(e.path, e.requestContext.stage)) + v1Query(e), headers, decodeBody(e.body, e.isBase64Encoded), e.requestContext.domainName, lambdaContext);
}

/** True for an API Gateway REST, HTTP API or Function URL event. */
export function isApiGatewayEvent(event: unknown): event is Record<string, unknown> {
  return isRecord(event) && (isV2(event) || isV1(event));
}

/** Answers an API Gateway REST (v1), HTTP API (v2) or Function URL event through the HTTP door. */
export function handleApiGateway(http: HttpDoor, event: Record<string, unknown>, lambdaContext: LambdaContext | undefined): MaybePromise<ApiGatewayResult> {
  const reply = http.dispatch(apiGatewayExchange(event, lambdaContext));
  return reply instanceof Promise ? reply.then((r) => toResult(r, http.logger)) : toResult(reply, http.logger);
}

/** The door for API Gateway REST, HTTP API and Function URL events, answered by the router's HTTP door. */
export function apiGatewayDoor(http: HttpDoor): DoorPlugin {
  return {
    describe: () => 'an API Gateway REST (httpMethod, path, requestContext), HTTP API or Function URL (version 2.0, rawPath, requestContext.http) event',
    matches: isApiGatewayEvent,
    handle: (event, lambdaContext) => handleApiGateway(http, event as Record<string, unknown>, lambdaContext),
  };
}
