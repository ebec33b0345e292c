import { randomUUID } from 'node:crypto';
import type { ActionContext, Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import type { ScheduledJob } from '../../doors/schedule/types.js';
import { runBot, toolsOf, type BotRoutineReply } from './conversation.js';
import { begin, KINDS, ownedRecord, type BotRecord, type Runtime } from './runtime.js';

/** Input of `bot`. */
export interface BotInput {
  name: string;
  model?: string | undefined;
  instructions: string;
  tools?: string[] | undefined;
  routine?: string | undefined;
}

/** The caller as it is kept with a bot: only the fields identity gives. */
function ownerOf(caller: Caller): Caller {
  return { ...(caller.userId ? { userId: caller.userId } : {}), ...(caller.role ? { role: caller.role } : {}), ...(caller.email ? { email: caller.email } : {}) };
}

/** `bot`: stores a bot of the caller's; every tool must be an agent-callable operation of the router (else 400). */
export async function createBot(rt: Runtime, input: BotInput, ctx: ActionContext): Promise<{ bot_id: string }> {
  const userId = begin(rt, ctx);
  const tools = [...new Set(input.tools ?? [])];
  toolsOf(rt, tools);
  const botId = `bot_${randomUUID()}`;
  const bot: BotRecord = { name: input.name, model: input.model ?? rt.defaultModel, instructions: input.instructions, tools, ...(input.routine ? { routine: input.routine } : {}), owner: ownerOf(ctx.caller) };
  await rt.store.put(KINDS.bot, botId, bot, { ownerId: userId });
  return { bot_id: botId };
}

/** Runs a bot's routine (or `prompt`) as `caller`. */
async function routine(rt: Runtime, botId: string, bot: BotRecord, prompt: string | undefined, caller: Caller, signal: AbortSignal): Promise<BotRoutineReply> {
  const text = prompt ?? bot.routine;
  if (!text) throw new ActionError(400, `The bot "${botId}" has no routine; send "prompt".`, { code: 'BAD_REQUEST' });
  const result = await runBot(rt, bot, text, caller, signal);
  return { bot_id: botId, response_id: result.responseId, reply: result.text, tool_calls: result.toolCalls };
}

/** `bot_routine`: runs one of the caller's bots on its routine (or `prompt`); its tool calls run as the caller. */
export async function botRoutine(rt: Runtime, input: { bot_id: string; prompt?: string | undefined }, ctx: ActionContext): Promise<BotRoutineReply> {
  const userId = begin(rt, ctx);
  const record = await ownedRecord<BotRecord>(rt, KINDS.bot, input.bot_id, userId, 'bot');
  return routine(rt, input.bot_id, record.value, input.prompt, ctx.caller, ctx.signal);
}

/**
 * A scheduled job running a bot's routine: the bot is read when the job runs, and its tool calls run as the
 * bot's owner (the caller who created it, with the role they had then).
 */
export function routineJob(rt: Runtime, name: string, botId: string, prompt: string | undefined): ScheduledJob<BotRoutineReply> {
  return {
    name,
    run: async (_input, ctx) => {
      if (rt.notConfigured) throw rt.notConfigured;
      const record = await rt.store.get<BotRecord>(KINDS.bot, botId);
      if (!record) throw new ActionError(404, `There is no bot "${botId}".`, { code: 'NOT_FOUND' });
      return routine(rt, botId, record.value, prompt, record.value.owner, ctx.signal);
    },
  };
}
