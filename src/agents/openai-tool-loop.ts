import type OpenAI from 'openai';
import type { Response as OpenAiResponse, ResponseCreateParamsBase, ResponseCreateParamsNonStreaming, ResponseFunctionToolCall, ResponseInput, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Caller } from '../core/context.js';
import { ActionError, clip, isActionError } from '../core/errors.js';
import type { Router } from '../router.js';
import type { OpenAiToolEntry } from '../schema/openai-tools.js';
import { openAiError } from './openai-errors.js';

/** The part of an `OpenAI` client a tool loop uses. */
export type OpenAiResponsesClient = Pick<OpenAI, 'responses'>;

/** Default most rounds of function calls answered before the model must answer in text. */
export const MAX_TOOL_ROUNDS = 5;
/** Default longest function result sent back, in characters (the agent doors' `maxResponseBytes`). */
export const MAX_TOOL_OUTPUT_CHARS = 25_000;

/** One function call the loop answered: the tool and whether the router answered it (`ok`) or refused it (`error`). */
export interface ToolCallRecord {
  name: string;
  status: 'ok' | 'error';
}

/** What one run of the tool loop needs. */
export interface ToolLoopRequest {
  client: OpenAiResponsesClient;
  model: string;
  /** The user's message (text, or Responses API input items). */
  input: string | ResponseInput;
  instructions?: string;
  /** A Conversations API id: the turn is kept there. Without it, rounds chain with `previous_response_id`. */
  conversation?: string;
  /** The tools offered, by name (`openAiToolEntries`); empty for none. */
  tools: ReadonlyMap<string, OpenAiToolEntry>;
  /** Answers the function calls (needed when `tools` is not empty). */
  router?: Pick<Router, 'invoke'>;
  /** Who the operations run as. */
  caller: Caller;
  signal: AbortSignal;
  /** Rounds of function calls answered at most; the request after the last one forbids tools (`tool_choice: 'none'`). */
  maxToolRounds?: number;
  /** Longest function result sent back (characters); a longer one is an error telling the model to narrow the query. */
  maxToolOutputChars?: number;
  /** Ask with `stream: true` and yield the text as it arrives; otherwise the text comes at the end, in one piece. */
  stream?: boolean;
}

/** How a tool loop ended. */
export interface ToolLoopResult {
  /** The id of the last response, the one that answered in text. */
  responseId: string;
  /** The answer: the text of the last response. */
  text: string;
  toolCalls: ToolCallRecord[];
  /** Rounds of function calls answered. */
  rounds: number;
}

function textOf(response: OpenAiResponse): string {
  if (typeof response.output_text === 'string' && response.output_text !== '') return response.output_text;
  let text = '';
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}

/** Reads a streamed response: yields its text deltas, returns the completed response. */
async function* streamed(events: AsyncIterable<ResponseStreamEvent>): AsyncGenerator<string, OpenAiResponse> {
  let final: OpenAiResponse | undefined;
  for await (const event of events) {
    if (event.type === 'response.output_text.delta') yield event.delta;
    else if (event.type === 'response.completed' || event.type === 'response.incomplete') final = event.response;
    else if (event.type === 'response.failed') throw new ActionError(502, `OpenAI could not answer: ${clip(event.response.error?.message ?? 'the response failed')}`, { code: 'UPSTREAM_ERROR' });
    else if (event.type === 'error') throw new ActionError(502, `OpenAI could not answer: ${clip(event.message)}`, { code: 'UPSTREAM_ERROR' });
  }
  if (!final) throw new ActionError(502, 'OpenAI ended the response stream before the response was complete; try again.', { code: 'UPSTREAM_ERROR' });
  return final;
}

/** Runs one function call through the router; the output OpenAI gets back and how it went. */
async function answerCall(call: ResponseFunctionToolCall, request: ToolLoopRequest): Promise<{ output: string; status: ToolCallRecord['status'] }> {
  const failed = (code: string, message: string) => ({ output: JSON.stringify({ error: { code, message } }), status: 'error' as const });
  const entry = request.tools.get(call.name);
  if (!entry || !request.router) return failed('NOT_FOUND', `There is no tool "${clip(call.name)}"; use one of: ${[...request.tools.keys()].join(', ') || 'none'}.`);
  let args: unknown;
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return failed('BAD_REQUEST', 'The arguments are not valid JSON; send one JSON object.');
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return failed('BAD_REQUEST', 'The arguments must be one JSON object.');
  let result: unknown;
  try {
    result = await request.router.invoke(entry.group.name, entry.operation.name, entry.restore(args as Record<string, unknown>), { caller: request.caller });
  } catch (error) {
    if (!isActionError(error)) throw error;
    return failed(error.code, error.message);
  }
  const output = JSON.stringify(result ?? null);
  const max = request.maxToolOutputChars ?? MAX_TOOL_OUTPUT_CHARS;
  if (output.length > max) return failed('RESULT_TOO_LARGE', `The result is larger than ${max} characters; ask for less (a narrower query, fewer items).`);
  return { output, status: 'ok' };
}

/**
 * The Responses API function-tool loop behind `bot_routine`, `messaging` with a bot and `openAiAgent`: asks the
 * model, answers every function call of its reply through the router (as `request.caller`), sends the results
 * back as `function_call_output` items in the next request, and repeats until the model answers in text — at
 * most `maxToolRounds` rounds, after which the model is asked to answer without tools. Yields the answer's
 * text (as it streams, with `stream`), returns the result. OpenAI failures reject with {@link openAiError}'s
 * ActionErrors; a tool's failure is told to the model, not thrown.
 */
export async function* runToolLoop(request: ToolLoopRequest): AsyncGenerator<string, ToolLoopResult> {
  const maxRounds = request.maxToolRounds ?? MAX_TOOL_ROUNDS;
  const tools = [...request.tools.values()].map((e) => e.tool);
  const toolCalls: ToolCallRecord[] = [];
  let input: string | ResponseInput = request.input;
  let previous: string | undefined;
  for (let rounds = 0; ; rounds++) {
    const body: ResponseCreateParamsBase = {
      model: request.model,
      input,
      ...(request.instructions ? { instructions: request.instructions } : {}),
      ...(tools.length > 0 ? { tools, ...(rounds >= maxRounds ? { tool_choice: 'none' as const } : {}) } : {}),
      ...(request.conversation ? { conversation: request.conversation } : previous ? { previous_response_id: previous } : {}),
    };
    let response: OpenAiResponse;
    let text = '';
    try {
      if (request.stream) {
        const events = await request.client.responses.create({ ...body, stream: true }, { signal: request.signal });
        const reading = streamed(events);
        for (let next = await reading.next(); ; next = await reading.next()) {
          if (next.done) {
            response = next.value;
            break;
          }
          text += next.value;
          yield next.value;
        }
      } else {
        response = await request.client.responses.create(body as ResponseCreateParamsNonStreaming, { signal: request.signal });
      }
    } catch (error) {
      throw openAiError(error, 'asking the model', request.signal);
    }
    const calls = (response.output ?? []).filter((item): item is ResponseFunctionToolCall => item.type === 'function_call');
    if (calls.length === 0 || rounds >= maxRounds) {
      if (!request.stream) {
        text = textOf(response);
        if (text !== '') yield text;
      }
      return { responseId: response.id, text, toolCalls, rounds };
    }
    const answers = await Promise.all(calls.map((call) => answerCall(call, request)));
    answers.forEach((a, i) => toolCalls.push({ name: (calls[i] as ResponseFunctionToolCall).name, status: a.status }));
    input = answers.map((a, i) => ({ type: 'function_call_output' as const, call_id: (calls[i] as ResponseFunctionToolCall).call_id, output: a.output }));
    previous = response.id;
  }
}

/** Runs the loop to its end, without streaming, and returns its result. */
export async function runToolLoopToEnd(request: Omit<ToolLoopRequest, 'stream'>): Promise<ToolLoopResult> {
  const loop = runToolLoop(request);
  for (let next = await loop.next(); ; next = await loop.next()) if (next.done) return next.value;
}
