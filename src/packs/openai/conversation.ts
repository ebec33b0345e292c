import type { ActionContext, Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { runToolLoopToEnd, type ToolCallRecord, type ToolLoopResult } from '../../agents/openai-tool-loop.js';
import type { Router } from '../../router.js';
import { openAiToolEntries, type OpenAiToolEntry } from '../../schema/openai-tools.js';
import { begin, callOpenAi, KINDS, ownedRecord, type BotRecord, type Runtime } from './runtime.js';

/** Reply of `messaging`. */
export interface MessagingReply {
  thread_id: string;
  response_id: string;
  reply: string;
}

/** Reply of `bot_routine`. */
export interface BotRoutineReply {
  bot_id: string;
  response_id: string;
  reply: string;
  tool_calls: ToolCallRecord[];
}

/** `new_thread`: a Conversations API conversation with the caller as `metadata.owner`, recorded as theirs. */
export async function newThread(rt: Runtime, ctx: ActionContext): Promise<{ thread_id: string }> {
  const userId = begin(rt, ctx);
  const conversation = await callOpenAi(rt, ctx, 'creating the thread', (client, options) => client.conversations.create({ metadata: { owner: userId } }, options));
  await rt.store.put(KINDS.thread, conversation.id, {}, { ownerId: userId });
  return { thread_id: conversation.id };
}

/**
 * The tools of a bot, from the router's agent-callable operations: a 400 naming an unknown one, a 503 when a bot
 * has tools but the pack was given no router.
 */
export function toolsOf(rt: Runtime, names: readonly string[]): { tools: Map<string, OpenAiToolEntry>; router?: Router } {
  if (names.length === 0) return { tools: new Map() };
  const router = rt.router();
  if (!router) throw new ActionError(503, 'OpenAIOps: bots with tools need the router that serves them: pass openaiOps({ router }).', { code: 'NOT_CONFIGURED' });
  try {
    return { tools: openAiToolEntries(router, names), router };
  } catch (error) {
    throw new ActionError(400, `"tools": ${(error as Error).message}.`, { code: 'BAD_REQUEST' });
  }
}

/** Runs a bot on `input` through the tool loop, its tool calls answered by the router as `caller`. */
export function runBot(rt: Runtime, bot: BotRecord, input: string, caller: Caller, signal: AbortSignal, conversation?: string): Promise<ToolLoopResult> {
  return runToolLoopToEnd({
    client: rt.client(),
    model: bot.model,
    input,
    ...(bot.instructions ? { instructions: bot.instructions } : {}),
    ...(conversation ? { conversation } : {}),
    ...toolsOf(rt, bot.tools),
    caller,
    signal,
    maxToolRounds: rt.maxToolRounds,
  });
}

/**
 * `messaging`: one turn in the caller's thread (`responses.create` with `conversation`), with the default model,
 * or as one of the caller's bots (its model, instructions and tools). Someone else's thread or bot is a 403,
 * and nothing is sent to OpenAI.
 */
export async function messaging(rt: Runtime, input: { thread_id: string; message: string; bot_id?: string | undefined }, ctx: ActionContext): Promise<MessagingReply> {
  const userId = begin(rt, ctx);
  await ownedRecord(rt, KINDS.thread, input.thread_id, userId, 'thread');
  const bot: BotRecord = input.bot_id
    ? (await ownedRecord<BotRecord>(rt, KINDS.bot, input.bot_id, userId, 'bot')).value
    : { name: '', model: rt.defaultModel, instructions: '', tools: [], owner: ctx.caller };
  const result = await runBot(rt, bot, input.message, ctx.caller, ctx.signal, input.thread_id);
  return { thread_id: input.thread_id, response_id: result.responseId, reply: result.text };
}
