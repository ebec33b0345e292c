import { ActionError } from '../../core/errors.js';

/** One problem of a training file: the line (1-based) and what is wrong with it. */
export interface JsonlProblem {
  line: number;
  problem: string;
}

/** Problems listed in an error's `details` at most; the message names the first. */
const MAX_PROBLEMS = 20;
const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Whether a message's `content` carries something: non-empty text, or a non-empty list of parts each with content. */
function hasContent(content: unknown): boolean {
  if (nonEmpty(content)) return true;
  if (!Array.isArray(content) || content.length === 0) return false;
  return content.every((part) => isObject(part) && ((part.type === 'text' && nonEmpty(part.text)) || (part.type === 'image_url' && isObject(part.image_url) && nonEmpty(part.image_url.url))));
}

/** The problem of an assistant message's `tool_calls`, if any; the ids it declares go into `ids`. */
function toolCallsProblem(calls: unknown, where: string, ids: Set<string>): string | undefined {
  if (!Array.isArray(calls) || calls.length === 0) return `${where} has "tool_calls" that is not a non-empty array`;
  for (const [j, call] of calls.entries()) {
    const at = `${where}, tool call ${j + 1}`;
    if (!isObject(call)) return `${at} is not an object`;
    if (!nonEmpty(call.id)) return `${at} has no "id"`;
    if (call.type !== 'function') return `${at} must have "type": "function"`;
    if (!isObject(call.function) || !nonEmpty(call.function.name)) return `${at} has no "function.name"`;
    if (typeof call.function.arguments !== 'string') return `${at} has "function.arguments" that is not a JSON string`;
    try {
      JSON.parse(call.function.arguments);
    } catch {
      return `${at} has "function.arguments" that is not valid JSON`;
    }
    ids.add(call.id);
  }
  return undefined;
}

/** The problem of one parsed example (a line), or undefined when it is a valid chat fine-tuning example. */
function exampleProblem(example: unknown): string | undefined {
  if (!isObject(example)) return 'is not a JSON object';
  const { messages } = example;
  if (!Array.isArray(messages)) return 'has no "messages" array';
  if (messages.length === 0) return 'has an empty "messages" array';
  if (example.tools !== undefined && !Array.isArray(example.tools)) return 'has "tools" that is not an array';
  const callIds = new Set<string>();
  let assistants = 0;
  for (const [i, message] of messages.entries()) {
    const where = `message ${i + 1}`;
    if (!isObject(message)) return `${where} is not an object`;
    const { role } = message;
    if (typeof role !== 'string' || !ROLES.has(role)) return `${where} has role ${JSON.stringify(role ?? null)}; expected "system", "user", "assistant" or "tool"`;
    const what = `${where} (${role})`;
    if (role === 'assistant') {
      assistants++;
      if (message.weight !== undefined && message.weight !== 0 && message.weight !== 1) return `${what} has "weight" ${JSON.stringify(message.weight)}; expected 0 or 1`;
      if (message.tool_calls !== undefined) {
        const problem = toolCallsProblem(message.tool_calls, what, callIds);
        if (problem) return problem;
        if (message.content !== undefined && message.content !== null && !hasContent(message.content)) return `${what} has empty content`;
        continue;
      }
    } else if (message.tool_calls !== undefined) {
      return `${what} has "tool_calls"; only assistant messages may`;
    }
    if (role === 'tool') {
      if (!nonEmpty(message.tool_call_id)) return `${what} has no "tool_call_id"`;
      if (!callIds.has(message.tool_call_id)) return `${what} answers "tool_call_id" ${JSON.stringify(message.tool_call_id)}, which no earlier assistant message called`;
    }
    if (!hasContent(message.content)) return `${what} has ${message.content === undefined ? 'no' : 'empty'} content`;
  }
  if (assistants === 0) return 'has no assistant message (every example needs at least one)';
  return undefined;
}

/**
 * Checks a training file for OpenAI chat fine-tuning: UTF-8 JSONL, one example per line (a trailing newline
 * and `\r\n` endings are fine, a blank line in between is not), each `{ messages: [...] }` with roles
 * system/user/assistant/tool, at least one assistant message, non-empty content (an assistant message may
 * carry `tool_calls` instead; a tool message must answer an earlier call's id). One pass over the bytes,
 * each line parsed once. Returns the number of examples; throws an ActionError 400 (`INVALID_TRAINING_FILE`)
 * whose message names the first problem's line and whose `details.problems` lists up to 20 `{ line, problem }`.
 */
export function checkTrainingJsonl(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const problems: JsonlProblem[] = [];
  let found = 0;
  let examples = 0;
  let line = 0;
  // Lines are cut on the bytes, so a line that is not UTF-8 is named like any other problem.
  for (let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; start < bytes.length; ) {
    const newline = bytes.indexOf(10, start);
    const stop = newline === -1 ? bytes.length : newline;
    line++;
    const problem = lineProblem(decoder, bytes.subarray(start, stop > start && bytes[stop - 1] === 13 ? stop - 1 : stop));
    start = stop + 1;
    if (problem === undefined) examples++;
    else {
      found++;
      if (problems.length < MAX_PROBLEMS) problems.push({ line, problem });
    }
  }
  if (line === 0) throw invalid([{ line: 1, problem: 'is empty: the file has no examples (one JSON example per line)' }], 1);
  if (problems.length > 0) throw invalid(problems, found);
  return examples;
}

function lineProblem(decoder: TextDecoder, bytes: Uint8Array): string | undefined {
  let raw: string;
  try {
    raw = decoder.decode(bytes);
  } catch {
    return 'is not UTF-8 text';
  }
  if (raw.trim() === '') return 'is empty (one JSON example per line, no blank lines)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return 'is not valid JSON';
  }
  return exampleProblem(parsed);
}

function invalid(problems: JsonlProblem[], found: number): ActionError {
  const first = problems[0] as JsonlProblem;
  const more = found > 1 ? ` (and ${found - 1} more line${found > 2 ? 's' : ''} with problems)` : '';
  return new ActionError(400, `The training file is not valid chat fine-tuning JSONL: line ${first.line} ${first.problem}${more}.`, { code: 'INVALID_TRAINING_FILE', details: { problems } });
}
