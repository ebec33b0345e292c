// What "Send" sends for each door: the exact Bedrock or AgentCore event (through the dev endpoints
// POST /bedrock and POST /agentcore), an MCP tools/call, or the HTTP request itself, and the same as a curl command.
import { bedrockFunctionEvent, bedrockOpenApiEvent } from '../../testing/bedrock-events.js';
import type { Field, Operation } from './catalog.js';

/** The doors the page can send through, in the order the `Door` select lists them. */
export const DOORS = [
  { id: 'bedrock-openapi', label: 'Bedrock OpenAPI event' },
  { id: 'bedrock-function', label: 'Bedrock function event' },
  { id: 'agentcore', label: 'AgentCore' },
  { id: 'http', label: 'HTTP' },
  { id: 'mcp', label: 'MCP' },
] as const;

/** The MCP protocol version the page speaks: one self-contained request per call, no session. */
const MCP_VERSION = '2026-07-28';

export type DoorId = (typeof DOORS)[number]['id'];

/** One request as it leaves the page. */
export interface Outgoing {
  method: string;
  /** Relative to the page, so the page works under a path prefix. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What the request carries, shown as JSON: the event, the HTTP body, or null for none. */
  payload: unknown;
}

/** What the page adds beside the operation's input. */
export interface Extras {
  groupName: string;
  /** Session attributes of Bedrock events (the AgentCore client context's `custom` entries). */
  session: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>` when not empty. */
  token: string;
  /** The MCP endpoint and the operation's tool name there, for the MCP door. */
  mcp?: { path: string; tool: string };
}

/** A stateless MCP `tools/call` (the 2026-07-28 per-request form: version, method and tool in headers and `_meta`). */
function mcpRequest(mcp: NonNullable<Extras['mcp']>, values: Record<string, unknown>): Omit<Outgoing, 'headers'> & { headers: Record<string, string> } {
  const meta = { 'io.modelcontextprotocol/protocolVersion': MCP_VERSION, 'io.modelcontextprotocol/clientInfo': { name: 'playground', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const payload = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: mcp.tool, arguments: values, _meta: meta } };
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MCP_VERSION, 'mcp-method': 'tools/call', 'mcp-name': mcp.tool };
  return { method: 'POST', url: mcp.path.slice(1), headers, body: JSON.stringify(payload), payload };
}

const BEDROCK_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);

/** The Bedrock parameter `type` of a field: its schema's type, which Bedrock takes from the action group's schema. */
function bedrockTypeOf(field: Field | undefined): string | undefined {
  const type = field?.schema.type;
  return typeof type === 'string' && BEDROCK_TYPES.has(type) ? type : undefined;
}

function typed<T extends { name: string; type?: string }>(parameters: T[], fields: readonly Field[]): T[] {
  return parameters.map((p) => ({ ...p, type: bedrockTypeOf(fields.find((f) => f.name === p.name)) ?? p.type }));
}

function pick(values: Record<string, unknown>, fields: readonly Field[], where: (f: Field) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (where(f) && values[f.name] !== undefined) out[f.name] = values[f.name];
  return out;
}

const queryText = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function httpRequest(op: Operation, values: Record<string, unknown>): Omit<Outgoing, 'headers'> & { headers?: Record<string, string> } {
  const path = op.httpPath.replace(/\{([^{}]+)\}/g, (_, name: string) => (values[name] === undefined ? '' : encodeURIComponent(queryText(values[name]))));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(pick(values, op.fields, (f) => f.in === 'query'))) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, queryText(item));
  }
  const search = query.toString();
  const url = `${path.slice(1)}${search ? `?${search}` : ''}`;
  if (!['POST', 'PUT', 'PATCH'].includes(op.method)) return { method: op.method, url, payload: null };
  const body = pick(values, op.fields, (f) => f.in === 'body');
  return { method: op.method, url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), payload: body };
}

function post(url: string, payload: unknown): Omit<Outgoing, 'headers'> & { headers: Record<string, string> } {
  return { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), payload };
}

/** The request "Send" makes for `op` through `door` with the typed `values`. */
export function buildRequest(door: DoorId, op: Operation, values: Record<string, unknown>, extras: Extras): Outgoing {
  let request: Omit<Outgoing, 'headers'> & { headers?: Record<string, string> };
  const common = { actionGroup: extras.groupName, sessionAttributes: extras.session, inputText: `Playground: ${op.name}` };
  if (door === 'bedrock-openapi') {
    const body = pick(values, op.fields, (f) => f.in === 'body');
    const parameters = pick(values, op.fields, (f) => f.in !== 'body');
    const event = bedrockOpenApiEvent({ ...common, apiPath: op.apiPath, httpMethod: op.method, parameters, ...(Object.keys(body).length > 0 ? { body } : {}) });
    event.parameters = typed(event.parameters ?? [], op.fields);
    const properties = event.requestBody?.content?.['application/json']?.properties;
    if (properties) event.requestBody = { content: { 'application/json': { properties: typed(properties, op.fields) } } };
    request = post('bedrock', event);
  } else if (door === 'bedrock-function') {
    const event = bedrockFunctionEvent({ ...common, function: op.name, parameters: values });
    event.parameters = typed(event.parameters ?? [], op.fields);
    request = post('bedrock', event);
  } else if (door === 'mcp') {
    if (!extras.mcp) throw new Error('MCP is not served by this router (createRouter({ mcp: true })).');
    request = mcpRequest(extras.mcp, values);
  } else if (door === 'agentcore') {
    request = post('agentcore', { event: values, clientContext: { custom: { ...extras.session, bedrockAgentCoreToolName: `playground___${op.name}` } } });
  } else {
    request = httpRequest(op, values);
  }
  const headers = { ...request.headers, ...(extras.token.trim() ? { authorization: `Bearer ${extras.token.trim()}` } : {}) };
  return { ...request, headers };
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The request as a curl command against `base` (the page's URL). */
export function curlOf(request: Outgoing, base: string): string {
  const url = new URL(request.url, base).href;
  const parts = [`curl -sS${request.method === 'GET' ? '' : ` -X ${request.method}`} ${shellQuote(url)}`];
  for (const [name, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' \\\n  ');
}
