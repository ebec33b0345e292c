import type { ResponseInput } from 'openai/resources/responses/responses';
import { ActionError, clip } from '../core/errors.js';
import type { Router } from '../router.js';
import { openAiToolEntries } from '../schema/openai-tools.js';
import { MAX_TOOL_ROUNDS, runToolLoop, type OpenAiResponsesClient } from './openai-tool-loop.js';
import type { Agent, AgentEvent, AgentFile, AskRequest } from './types.js';

/** Options of {@link openAiAgent}. */
export interface OpenAiAgentOptions {
  /** An `OpenAI` client (`new OpenAI({ apiKey })`), or a function returning one (called at every question). */
  client: OpenAiResponsesClient | (() => OpenAiResponsesClient);
  /** The model that answers, e.g. `gpt-5.1`. */
  model: string;
  /** The router whose agent-callable operations are offered as function tools, run as the asking caller. */
  router: Router;
  /** System instructions sent with every question. */
  instructions?: string;
  /** Only these operations (by name) are offered; default every agent-callable operation of the router. */
  tools?: readonly string[];
  /** Rounds of function calls answered at most per question (default 5). */
  maxToolRounds?: number;
}

const OWNER = 'openAiAgent';

/** The question as Responses API input: the prompt, and each file as an `input_file` OpenAI fetches by its URL. */
function inputOf(prompt: string, files: readonly AgentFile[]): string | ResponseInput {
  if (files.length === 0) return prompt;
  const parts = files.map((file) => {
    if (!file.url || !/^https?:\/\//i.test(file.url)) {
      throw new ActionError(400, `openAiAgent sends files to OpenAI by URL, and file "${clip(file.fileName)}" has no absolute URL OpenAI can fetch (use an S3 blob store, whose links are presigned URLs).`, { code: 'FILE_NOT_REACHABLE' });
    }
    return { type: 'input_file' as const, file_url: file.url, filename: file.fileName };
  });
  return [{ role: 'user', content: [{ type: 'input_text', text: prompt }, ...parts] }];
}

/**
 * An {@link Agent} on the OpenAI Responses API: each question is one run of the function-tool loop (the
 * router's agent-callable operations as tools, run as `request.caller`, at most `maxToolRounds` rounds),
 * streamed (`stream: true`), so text chunks are yielded as OpenAI sends them. Files go to the model as
 * `input_file` parts by their URL (a file without an absolute URL is a 400). The agent keeps no session of
 * its own: the rounds of one question chain with `previous_response_id`, and the caller keeps the history.
 * It serves one model, so any `agentId` in the request is refused (403). OpenAI failures reject as 502/503
 * (with `Retry-After`)/504 ActionErrors.
 */
export function openAiAgent(options: OpenAiAgentOptions): Agent {
  if (!options || (typeof options.client !== 'function' && (typeof options.client !== 'object' || options.client === null))) throw new Error(`${OWNER}: "client" is required (an OpenAI client)`);
  const model = options.model;
  if (typeof model !== 'string' || model.trim() === '') throw new Error(`${OWNER}: "model" is required (an OpenAI model id)`);
  if (!options.router || typeof options.router.invoke !== 'function') throw new Error(`${OWNER}: "router" is required (the router whose operations are the tools)`);
  const getClient = typeof options.client === 'function' ? options.client : () => options.client as OpenAiResponsesClient;
  const maxToolRounds = options.maxToolRounds ?? MAX_TOOL_ROUNDS;
  if (!Number.isInteger(maxToolRounds) || maxToolRounds < 0) throw new Error(`${OWNER}: "maxToolRounds" must be a whole number, 0 or more`);
  const { router, instructions, tools: names } = options;
  return {
    name: 'openai',
    async *ask(request: AskRequest): AsyncGenerator<AgentEvent> {
      if (request.agentId !== undefined) throw new ActionError(403, `openAiAgent answers with the model ${model} only; no agent can be chosen.`, { code: 'FORBIDDEN' });
      const loop = runToolLoop({
        client: getClient(),
        model,
        input: inputOf(request.prompt, request.files),
        ...(instructions ? { instructions } : {}),
        tools: openAiToolEntries(router, names),
        router,
        caller: request.caller,
        signal: request.signal,
        maxToolRounds,
        stream: true,
      });
      let text = '';
      for (let next = await loop.next(); ; next = await loop.next()) {
        if (next.done) {
          yield { type: 'done', result: { text, files: request.files, rounds: next.value.rounds, agentId: model } };
          return;
        }
        text += next.value;
        yield { type: 'chunk', text: next.value };
      }
    },
  };
}
