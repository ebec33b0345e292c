import type { AuthInfo, McpHttpHandler } from '@modelcontextprotocol/server';
import type { CallInfo, Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { runtimeImport } from '../../util/runtime-import.js';
import { DEFAULT_MAX_BODY_BYTES, readBodyBytes } from '../http/body.js';
import { responseReply, type HttpExchange, type HttpReply } from '../http/exchange.js';
import type { HttpHost } from '../http/host.js';
import { buildMcpServer, type McpSdk } from './server.js';

type ServerModule = McpSdk & { createMcpHandler: typeof import('@modelcontextprotocol/server').createMcpHandler };

const PACKAGE = '@modelcontextprotocol/server';
let loading: Promise<ServerModule> | undefined;

/** The MCP SDK, imported on the first MCP request only (importing the library never loads it); 503 naming the package when it is missing. */
async function sdk(http: HttpHost): Promise<ServerModule> {
  try {
    // Out of a bundler's reach: a user's Lambda bundle leaves the SDK out rather than inlining it (or failing
    // when it is not installed).
    return await (loading ??= runtimeImport<ServerModule>('@modelcontextprotocol/server'));
  } catch (error) {
    loading = undefined;
    http.logger.error('the MCP endpoint cannot load its SDK', { package: PACKAGE, error });
    throw new ActionError(503, `The MCP endpoint needs the ${PACKAGE} package, which cannot be loaded: npm install ${PACKAGE}.`, { code: 'MCP_UNAVAILABLE' });
  }
}

/** Who calls through one MCP request, carried to the server factory in the SDK's pass-through `authInfo`. */
interface CallAuth extends AuthInfo {
  extra: { call: CallInfo };
}

const handlers = new WeakMap<HttpHost, McpHttpHandler>();

/** One stateless Streamable HTTP handler per router: a fresh MCP server per request, as the caller of that request. */
function handlerOf(http: HttpHost, mod: ServerModule, version: string, limit: number): McpHttpHandler {
  let handler = handlers.get(http);
  if (handler) return handler;
  const mcp = http.options.mcp;
  const info = { name: (typeof mcp === 'object' ? mcp.name : undefined) ?? 'bedrock-action-groups', version };
  const host = { registry: http.registry, reply: http.agentReplies };
  handler = mod.createMcpHandler(
    (ctx) => {
      const call = (ctx.authInfo as CallAuth | undefined)?.extra.call ?? { door: 'mcp' };
      return buildMcpServer(mod, host, info, () => call);
    },
    { maxRequestBodySize: limit, onerror: (error) => http.logger.warn('MCP request refused', { reason: error.message }) },
  );
  handlers.set(http, handler);
  return handler;
}

/**
 * DNS-rebinding protection: a browser request (it carries `Origin`) must come from an origin listed in
 * `cors.origins`; with CORS off, no browser origin may call — except, with `playground: true`, the server's
 * own origin (the playground page). Clients that are not browsers send no `Origin`.
 */
function checkOrigin(http: HttpHost, ex: HttpExchange): void {
  const origin = ex.header('origin');
  if (origin === undefined) return;
  const origins = http.options.cors?.origins;
  if (origins === '*' || origins?.includes(origin)) return;
  // The playground's page calls from this server's own origin (loopback servers already refuse foreign Hosts).
  if (http.options.playground === true && origin === new URL(ex.request().url).origin) return;
  throw new ActionError(403, `Origin ${JSON.stringify(origin.slice(0, 200))} may not call the MCP endpoint; list it in the router's cors.origins.`, { code: 'ORIGIN_NOT_ALLOWED' });
}

// Hop-by-hop headers of the SDK's response; the adapters manage the connection themselves. The body is
// streamed as the SDK writes it (one JSON reply, or an SSE stream that ends with the exchange).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * The MCP endpoint of the HTTP door (`createRouter({ mcp })`): Streamable HTTP, stateless, through the
 * SDK's web-standard handler. Before the SDK sees the request: the Origin check (403), the identity when
 * `authenticate` is set (401), the body limit (413). Tool calls then run as that caller, through door `mcp`.
 */
export async function serveMcp(ex: HttpExchange, http: HttpHost, identify: () => Promise<Caller>, version: string): Promise<HttpReply> {
  checkOrigin(http, ex);
  const call: CallInfo = { door: 'mcp', caller: http.options.authenticate ? await identify() : {} };
  if (ex.lambdaContext) call.lambdaContext = ex.lambdaContext;
  const limit = http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = ex.method === 'POST' ? await readBodyBytes(ex, limit, 'the MCP endpoint') : undefined;
  const handler = handlerOf(http, await sdk(http), version, limit);
  const received = ex.request();
  const headers = new Headers(received.headers);
  headers.delete('content-length');
  const request = new Request(received.url, { method: ex.method, headers, ...(body ? { body: body as BodyInit } : {}) });
  const auth: CallAuth = { token: '', clientId: call.caller?.userId ?? '', scopes: [], extra: { call } };
  const reply = responseReply(await handler.fetch(request, { authInfo: auth }));
  for (const name of HOP_BY_HOP) delete reply.headers[name];
  return reply;
}
