// The reply as the page shows it: the door's status fields, the duration, the whole reply as JSON, the
// operation's own body (parsed out of a Bedrock reply), its field problems, and its chart if it has one.
import { jsonOrText } from './json.js';
import type { DoorId } from './requests.js';

type Json = { [key: string]: unknown };
const isJson = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What one reply says, read the way its door writes it. */
export interface ReadReply {
  /** Status facts, e.g. `HTTP 400`, `httpStatusCode 400`, `responseState REPROMPT`. */
  facts: string[];
  /** The operation's body: the HTTP or AgentCore JSON, or the JSON inside a Bedrock reply's body string. */
  body: unknown;
  /** Field problems of a 400 (`error.details`). */
  problems: { field: string; problem: string }[];
}

const parsed = (text: unknown): unknown => (typeof text === 'string' ? jsonOrText(text) : text);

function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = isJson(v) ? v[key] : undefined;
  return v;
}

function problemsOf(body: unknown): ReadReply['problems'] {
  const details = at(body, 'error', 'details');
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is { field: string; problem: string } => isJson(d) && typeof d.field === 'string' && typeof d.problem === 'string');
}

/** Reads a reply of `door` with HTTP status `status` and JSON (or text) `reply`. */
export function readReply(door: DoorId, status: number, reply: unknown): ReadReply {
  const facts = [`HTTP ${status}`];
  let body = reply;
  if (door === 'bedrock-openapi' && isJson(at(reply, 'response'))) {
    facts.push(`httpStatusCode ${String(at(reply, 'response', 'httpStatusCode'))}`);
    body = parsed(at(reply, 'response', 'responseBody', 'application/json', 'body'));
  } else if (door === 'bedrock-function' && isJson(at(reply, 'response'))) {
    const state = at(reply, 'response', 'functionResponse', 'responseState');
    facts.push(`responseState ${typeof state === 'string' ? state : '(none: success)'}`);
    body = parsed(at(reply, 'response', 'functionResponse', 'responseBody', 'TEXT', 'body'));
  } else if (door === 'mcp' && isJson(at(reply, 'result'))) {
    // A tool result: the structured output, else its text (JSON when it parses); a failure is `isError`.
    const result = at(reply, 'result') as Json;
    if (result.isError === true) facts.push('isError true');
    const content = at(result, 'content');
    const first = Array.isArray(content) ? (content[0] as unknown) : undefined;
    body = result.structuredContent ?? parsed(at(first, 'text'));
  } else if (door === 'mcp' && isJson(at(reply, 'error'))) {
    facts.push(`JSON-RPC error ${String(at(reply, 'error', 'code'))}`);
    body = at(reply, 'error', 'message');
  } else if (door === 'agentcore' && isJson(at(reply, 'error'))) {
    facts.push(`error ${String(at(reply, 'error', 'code'))}`);
  }
  return { facts, body, problems: problemsOf(body) };
}

/** The Vega-Lite spec in a reply body (`chart`, as the Metrics operations answer), if any. */
export function chartOf(body: unknown): Json | undefined {
  const chart = at(body, 'chart');
  return isJson(chart) && typeof chart.$schema === 'string' && chart.$schema.includes('vega-lite') ? chart : undefined;
}
