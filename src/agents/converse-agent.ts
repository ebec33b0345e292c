import type { BedrockRuntimeClient, ContentBlock, ConverseStreamOutput, DocumentFormat, Message, Tool, ToolResultBlock } from '@aws-sdk/client-bedrock-runtime';
import type { Caller } from '../core/context.js';
import { ActionError, isActionError } from '../core/errors.js';
import type { Operation } from '../core/operation.js';
import type { Router } from '../router.js';
import { toConverseTools, type ConverseTool } from '../schema/converse-tools.js';
import { namedTools } from '../schema/tool-names.js';
import { isRecord } from '../util/is-record.js';
import type { Agent, AgentEvent, AgentFile, AskRequest } from './types.js';

type RuntimeModule = typeof import('@aws-sdk/client-bedrock-runtime');

/** Options of {@link converseAgent}. */
export interface ConverseAgentOptions {
  /** The Bedrock model (or inference profile) id or ARN, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`. */
  modelId: string;
  /** The router whose agent-callable operations are the model's tools (as `toConverseTools(router)` lists them). */
  router: Router;
  /** The Bedrock Runtime client, or a function returning it (called at every question). Default: `new BedrockRuntimeClient({})`, made on first use. */
  client?: BedrockRuntimeClient | (() => BedrockRuntimeClient);
  /** The system prompt. */
  system?: string;
  /** Most tool rounds (model turns that ask for tools) per question (default 5); one more is a 502. */
  maxToolRounds?: number;
  /**
   * Who tools run as when the question's own `caller` is empty (`{}`), for an agent with one fixed user.
   * A question's caller always wins.
   */
  caller?: Caller;
  /** Use `ConverseStream`, so text chunks arrive as the model writes them (default `false`: `Converse`, one chunk per turn). */
  stream?: boolean;
}

/** Formats Converse takes as `document` blocks, by media type. */
const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

/** A document name as Converse allows it: letters, digits, single spaces, hyphens, parentheses, brackets. */
function documentName(file: AgentFile, index: number): string {
  const base = file.fileName.replace(/^[0-9a-f-]{36}_/i, '').replace(/\.[^.]*$/, '');
  const clean = base.replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  return clean === '' ? `document ${index + 1}` : clean;
}

/** The first user message: the prompt, each S3 file of a known format as a document, the others named in text. */
function firstMessage(request: AskRequest): Message {
  const content: ContentBlock[] = [{ text: request.prompt }];
  const named: string[] = [];
  request.files.forEach((file, i) => {
    const format = DOCUMENT_FORMATS[file.fileType.split(';')[0]?.trim().toLowerCase() ?? ''];
    if (format && file.s3Uri) content.push({ document: { format, name: documentName(file, i), source: { s3Location: { uri: file.s3Uri } } } });
    else named.push(`${file.fileName} (${file.fileType}${file.url ? `, ${file.url}` : ''})`);
  });
  if (named.length > 0) content.push({ text: `Files the user attached that are not included above: ${named.join('; ')}.` });
  return { role: 'user', content };
}

/** A value as a Converse JSON document: JSON-safe (dates as strings), and an object (other values under `result`). */
function jsonDocument(value: unknown): Record<string, unknown> {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return isRecord(plain) ? plain : { result: plain };
}

interface ToolUse {
  toolUseId: string;
  name: string;
  input: unknown;
}

/** One model turn: its content blocks (for the history) and why it stopped. */
interface Turn {
  content: ContentBlock[];
  stopReason: string | undefined;
}

/** Bedrock Runtime errors as the agent interface reports them: 503 throttled (with `Retry-After`), 504 aborted, else 502. */
function upstreamError(error: unknown, signal: AbortSignal): ActionError {
  if (isActionError(error)) return error;
  const name = error instanceof Error ? error.name : 'Error';
  if (signal.aborted || name === 'AbortError') return new ActionError(504, 'The model did not answer in time; the question was stopped.', { code: 'UPSTREAM_TIMEOUT' });
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'ThrottlingException' || name === 'ServiceUnavailableException' || status === 429) {
    return new ActionError(503, 'Bedrock is throttling requests to the model; try again shortly.', { code: 'UPSTREAM_THROTTLED', headers: { 'retry-after': '5' } });
  }
  const message = error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
  return new ActionError(502, `Bedrock Converse failed (${name}${status ? `, HTTP ${status}` : ''}): ${message}`, { code: 'UPSTREAM_ERROR', details: { upstreamStatus: status } });
}

/** The turn of a `ConverseStream` response, yielding text as it arrives. */
async function* streamedTurn(events: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<string, Turn> {
  const blocks = new Map<number, { text?: string; toolUse?: { toolUseId: string; name: string; json: string } }>();
  let stopReason: string | undefined;
  for await (const event of events) {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId = '', name = '' } = event.contentBlockStart.start.toolUse;
      blocks.set(event.contentBlockStart.contentBlockIndex ?? blocks.size, { toolUse: { toolUseId, name, json: '' } });
    } else if (event.contentBlockDelta) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const block = blocks.get(index) ?? {};
      blocks.set(index, block);
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) {
        block.text = (block.text ?? '') + delta.text;
        if (delta.text !== '') yield delta.text;
      } else if (delta?.toolUse?.input !== undefined && block.toolUse) block.toolUse.json += delta.toolUse.input;
    } else if (event.messageStop) stopReason = event.messageStop.stopReason;
    else {
      const failure = event.internalServerException ?? event.modelStreamErrorException ?? event.serviceUnavailableException ?? event.throttlingException ?? event.validationException;
      if (failure) throw failure;
    }
  }
  const content: ContentBlock[] = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]): ContentBlock => {
    if (!block.toolUse) return { text: block.text ?? '' };
    const { toolUseId, name, json } = block.toolUse;
    let input: unknown = {};
    try {
      input = json === '' ? {} : JSON.parse(json);
    } catch {
      input = { _unparsable: json.slice(0, 200) };
    }
    return { toolUse: { toolUseId, name, input: input as never } };
  });
  return { content, stopReason };
}

/**
 * An agent on Bedrock Runtime Converse: the model gets the router's agent-callable operations as tools;
 * each `toolUse` is answered through `router.invoke` as the question's caller, every result of a turn sent
 * back in one user message (`json` output, or the error message with `status: 'error'`), until the model
 * answers in text or `maxToolRounds` is spent. The path for AWS accounts that cannot create Bedrock
 * Agents. Needs `@aws-sdk/client-bedrock-runtime`, loaded on the first question.
 */
export function converseAgent(options: ConverseAgentOptions): Agent {
  const { modelId, router, system } = options;
  if (typeof modelId !== 'string' || modelId.trim() === '') throw new TypeError('converseAgent: "modelId" must be a model id or ARN');
  if (!router || !Array.isArray((router as { groups?: unknown }).groups) || typeof router.invoke !== 'function') throw new TypeError('converseAgent: "router" must be a router from createRouter()');
  const maxToolRounds = options.maxToolRounds ?? 5;
  if (!Number.isInteger(maxToolRounds) || maxToolRounds < 0) throw new TypeError('converseAgent: "maxToolRounds" must be a whole number of at least 0');
  let sdk: Promise<RuntimeModule> | undefined;
  let built: BedrockRuntimeClient | undefined;
  const clientOf = (mod: RuntimeModule): BedrockRuntimeClient =>
    typeof options.client === 'function' ? options.client() : (options.client ?? (built ??= new mod.BedrockRuntimeClient({})));

  async function* ask(request: AskRequest): AsyncGenerator<AgentEvent> {
    if (request.agentId !== undefined) throw new ActionError(403, 'This agent answers with one model; it takes no agentId.', { code: 'FORBIDDEN' });
    const signal = request.signal;
    const caller = Object.keys(request.caller ?? {}).length > 0 ? request.caller : (options.caller ?? {});
    // The tools as the router has them now (groups may be added after the agent is made).
    const tools: ConverseTool[] = toConverseTools(router);
    const byName = new Map<string, Operation>(namedTools(router.groups).map(({ name, op }) => [name, op]));
    const mod = await (sdk ??= import('@aws-sdk/client-bedrock-runtime'));
    const client = clientOf(mod);
    const messages: Message[] = [firstMessage(request)];
    const base = { modelId, messages, ...(system ? { system: [{ text: system }] } : {}), ...(tools.length > 0 ? { toolConfig: { tools: tools as Tool[] } } : {}) };
    let text = '';
    let rounds = 0;
    for (;;) {
      let turn: Turn;
      try {
        if (options.stream) {
          const response = await client.send(new mod.ConverseStreamCommand(base), { abortSignal: signal });
          if (!response.stream) throw new ActionError(502, 'Bedrock ConverseStream answered without a stream.', { code: 'UPSTREAM_ERROR' });
          const turns = streamedTurn(response.stream);
          let step = await turns.next();
          while (!step.done) {
            text += step.value;
            yield { type: 'chunk', text: step.value };
            step = await turns.next();
          }
          turn = step.value;
        } else {
          const response = await client.send(new mod.ConverseCommand(base), { abortSignal: signal });
          turn = { content: response.output?.message?.content ?? [], stopReason: response.stopReason };
          const said = turn.content.map((block) => block.text ?? '').join('');
          if (said !== '') {
            text += said;
            yield { type: 'chunk', text: said };
          }
        }
      } catch (error) {
        throw upstreamError(error, signal);
      }
      const uses = turn.content.flatMap((block): ToolUse[] => (block.toolUse ? [{ toolUseId: block.toolUse.toolUseId ?? '', name: block.toolUse.name ?? '', input: block.toolUse.input }] : []));
      if (turn.stopReason !== 'tool_use' || uses.length === 0) break;
      if (rounds >= maxToolRounds) {
        throw new ActionError(502, `The model kept asking for tools after ${maxToolRounds} rounds (maxToolRounds); ask a narrower question.`, { code: 'TOOL_ROUNDS_EXCEEDED' });
      }
      rounds += 1;
      messages.push({ role: 'assistant', content: turn.content });
      const results: ContentBlock[] = [];
      // One at a time, in the order the model asked: operations may have side effects.
      for (const use of uses) results.push({ toolResult: await runTool(router, byName, use, caller) });
      messages.push({ role: 'user', content: results });
    }
    yield { type: 'done', result: { text, files: request.files, rounds, agentId: modelId } };
  }

  return { name: 'converse', ask };
}

/** A `toolUse` answered through `router.invoke` as the caller: the output as `json`, a failure as its message with `status: 'error'`. */
async function runTool(router: Router, byName: ReadonlyMap<string, Operation>, use: ToolUse, caller: Caller): Promise<ToolResultBlock> {
  const op = byName.get(use.name);
  if (!op) {
    return { toolUseId: use.toolUseId, status: 'error', content: [{ text: `Unknown tool "${use.name.slice(0, 100)}". Known tools: ${[...byName.keys()].join(', ') || 'none'}.` }] };
  }
  try {
    const output = await router.invoke(op.group.name, op.name, isRecord(use.input) ? use.input : {}, { caller });
    return { toolUseId: use.toolUseId, status: 'success', content: [{ json: jsonDocument(output) as never }] };
  } catch (error) {
    const message = isActionError(error) ? error.message : 'The tool failed unexpectedly.';
    return { toolUseId: use.toolUseId, status: 'error', content: [{ text: message }] };
  }
}
