// bedrock-action-groups/openai: fine-tuning, threads and bots on OpenAI's Responses and Conversations APIs
// (the `OpenAIOps` group, dispatched to by the event envelope), OpenAI function tools from operations, and
// an agent on the Responses API.
import type OpenAI from 'openai';
import { z } from 'zod';
import { NOT_CONFIGURED } from '../../core/health.js';
import { actionGroup, type ActionGroup } from '../../core/operation.js';
import { ActionError } from '../../core/errors.js';
import type { ScheduledJob } from '../../doors/schedule/types.js';
import type { Router } from '../../router.js';
import type { BlobStore } from '../../stores/blob-types.js';
import type { Store } from '../../stores/types.js';
import { MAX_TOOL_ROUNDS } from '../../agents/openai-tool-loop.js';
import type { ClientOption } from '../../kit/clients.js';
import { envString, MissingEnvError, type Env } from '../../kit/env.js';
import { blobsFromEnv, storeFromEnv } from '../../kit/stores-from-env.js';
import { signedToken } from '../../doors/envelope/signed-token.js';
import type { EnvelopeOptions } from '../../doors/envelope/types.js';
import { httpUrl, positiveNumber, requiredString } from '../../kit/options.js';
import { botRoutine, createBot, routineJob } from './bots.js';
import { messaging, newThread, type BotRoutineReply } from './conversation.js';
import { begin, callOpenAi, makeRuntime, type Runtime, type RuntimeSettings } from './runtime.js';
import { checkTrain, train } from './training.js';

export { openAiAgent, type OpenAiAgentOptions } from '../../agents/openai-agent.js';
export type { OpenAiResponsesClient, ToolCallRecord } from '../../agents/openai-tool-loop.js';
export { toOpenAiTools, type OpenAiFunctionTool, type OpenAiToolSource } from '../../schema/openai-tools.js';
export { checkTrainingJsonl, type JsonlProblem } from './jsonl.js';
export type { BotRecord } from './runtime.js';
export type { BotRoutineReply, MessagingReply } from './conversation.js';
export type { CheckTrainReply, TrainReply } from './training.js';
export { MissingEnvError } from '../../kit/env.js';

/** Group name, as the envelope's events name it (`OpenAIOps.train`). */
export const OPENAI_GROUP = 'OpenAIOps';
/**
 * Default `defaultModel`: the replacement OpenAI's deprecations page recommends for `gpt-5`, not itself listed
 * for retirement there when this version was made (see the README).
 */
export const DEFAULT_MODEL = 'gpt-6.1-sol';
/** Default `fineTuneBaseModel`: a snapshot OpenAI's fine-tuning accepts (its shutdown is 2027-01-14; see the README). */
export const DEFAULT_FINE_TUNE_MODEL = 'gpt-4.1-mini-2025-04-14';

const OWNER = 'openaiOps';
const MIB = 1024 * 1024;

/** Options of {@link openaiOps}. */
export interface OpenAiOpsOptions {
  /** An `OpenAI` client, or a function returning one (called at every use); default one built from `apiKey` on first use. */
  client?: ClientOption<OpenAI>;
  /** The API key of the default client. Without it (and without `client`) every operation answers 503 naming `OPENAI_API_KEY`. */
  apiKey?: string;
  /** Base URL of the default client (default `https://api.openai.com/v1`). */
  baseURL?: string;
  /** Where threads, bots and training jobs are recorded, each with its owner (`./stores`). */
  store: Store;
  /** Where `train`'s `file` keys are read from. */
  blobs?: BlobStore;
  /** The router whose agent-callable operations bots may call as tools (usually the one serving this group). */
  router?: Router | (() => Router);
  /** Model of `messaging` without a bot, and of bots created without one (default {@link DEFAULT_MODEL}). */
  defaultModel?: string;
  /** Base model `train` fine-tunes when the request names none (default {@link DEFAULT_FINE_TUNE_MODEL}). */
  fineTuneBaseModel?: string;
  /** Roles allowed to call the group (default: any authenticated caller; each only reaches what they own). */
  allowedRoles?: readonly string[];
  /** Rounds of function calls a bot may make per message or routine (default 5). */
  maxToolRounds?: number;
  /** Largest training file, in bytes (default 50 MiB). */
  maxTrainingBytes?: number;
  /** Deadline of each operation, and the default client's timeout, in ms (default 60 000). */
  timeoutMs?: number;
  /** Retries of the default client on 408/409/429/5xx and connection errors (default 2, the SDK's). */
  maxRetries?: number;
}

// The runtime of each group made here, for botRoutineJob.
const runtimes = new WeakMap<ActionGroup, Runtime>();

const id = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, `${what} ids are 1 to 128 letters, digits, "_" or "-"`);
const ModelId = z.string().regex(/^[\w.:-]{1,128}$/, 'a model id such as gpt-4.1-mini-2025-04-14');
const OperationName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an operation name of the router');

/** The group of operations, on a runtime. */
function group(rt: Runtime, allowedRoles: readonly string[] | undefined, timeoutMs: number): ActionGroup {
  const notAgent = { agent: false } as const;
  const ops = actionGroup({
    name: OPENAI_GROUP,
    description: 'OpenAI fine-tuning jobs, conversation threads and bots (Responses and Conversations APIs), each owned by the user who created it.',
    ...(allowedRoles ? { allowedRoles } : {}),
  })
    .operation({
      name: 'train',
      method: 'POST',
      path: '/openai/train',
      description: 'Starts a supervised fine-tuning job from a chat JSONL training file, checked line by line before anything is uploaded.',
      doors: notAgent,
      timeoutMs,
      input: z.object({
        file: z.string().min(1).optional().describe('Key of the JSONL training file in the blob store (send this or jsonl)'),
        jsonl: z.string().min(1).optional().describe('The training examples as JSONL text, one chat example per line (send this or file)'),
        model: ModelId.optional().describe('Base model to fine-tune (default: the pack\'s fineTuneBaseModel)'),
        suffix: z.string().regex(/^[\w-]{1,64}$/).optional().describe('Up to 64 letters, digits, "_" or "-" added to the fine-tuned model name'),
      }),
      handler: (input, ctx) => train(rt, input, ctx),
    })
    .operation({
      name: 'check_train',
      method: 'GET',
      path: '/openai/train/{job_id}',
      description: "Reads the status of one of the caller's fine-tuning jobs: status, fine-tuned model name when done, estimated finish, trained tokens and the latest events. Use when the user asks how their training is going.",
      timeoutMs,
      input: z.object({ job_id: id('Fine-tuning job').describe('The fine-tuning job id that train answered, e.g. ftjob-abc123') }),
      handler: (input, ctx) => checkTrain(rt, input, ctx),
    })
    .operation({
      name: 'new_thread',
      method: 'POST',
      path: '/openai/threads',
      description: 'Creates a conversation thread owned by the caller.',
      doors: notAgent,
      timeoutMs,
      input: z.object({}),
      handler: (_input, ctx) => newThread(rt, ctx),
    })
    .operation({
      name: 'messaging',
      method: 'POST',
      path: '/openai/threads/{thread_id}/messages',
      description: "Sends a message in one of the caller's threads and answers the model's reply, optionally as one of the caller's bots.",
      doors: notAgent,
      timeoutMs,
      input: z.object({
        thread_id: id('Thread').describe('The thread id that new_thread answered'),
        message: z.string().min(1).max(100_000).describe('What the user says'),
        bot_id: id('Bot').optional().describe("Answer as this bot of the caller's (its model, instructions and tools)"),
      }),
      handler: (input, ctx) => messaging(rt, input, ctx),
    })
    .operation({
      name: 'bot',
      method: 'POST',
      path: '/openai/bots',
      description: 'Creates a bot owned by the caller: a model with instructions, operations of this service it may call as tools, and an optional routine prompt.',
      doors: notAgent,
      timeoutMs,
      input: z.object({
        name: z.string().min(1).max(100).describe('Name of the bot'),
        model: ModelId.optional().describe('Model the bot answers with (default: the pack\'s defaultModel)'),
        instructions: z.string().min(1).max(20_000).describe('System instructions of the bot'),
        tools: z.array(OperationName).max(64).optional().describe('Names of agent-callable operations of this service the bot may call'),
        routine: z.string().min(1).max(20_000).optional().describe('The prompt bot_routine runs when given none'),
      }),
      handler: (input, ctx) => createBot(rt, input, ctx),
    })
    .operation({
      name: 'bot_routine',
      method: 'POST',
      path: '/openai/bots/{bot_id}/routine',
      description: "Runs one of the caller's bots on its routine (or on prompt), answering its tool calls with this service's operations as the caller.",
      doors: notAgent,
      timeoutMs,
      input: z.object({
        bot_id: id('Bot').describe('The bot id that bot answered'),
        prompt: z.string().min(1).max(100_000).optional().describe("What to run instead of the bot's stored routine"),
      }),
      handler: (input, ctx) => botRoutine(rt, input, ctx),
    })
    .operation({
      name: 'credentials',
      method: 'GET',
      path: '/openai/credentials',
      description: 'Checks that the configured OpenAI API key works (one models.list call); never shows the key.',
      doors: notAgent,
      timeoutMs,
      input: z.object({}),
      handler: async (_input, ctx) => {
        begin(rt, ctx);
        await callOpenAi(rt, ctx, 'checking the API key', (client, options) => client.models.list(options));
        return { ok: true as const };
      },
    });
  ops.probe('openai', async (signal) => {
    if (rt.notConfigured) return NOT_CONFIGURED;
    await callOpenAi(rt, { signal }, 'checking the API key', (client, options) => client.models.list(options));
    return undefined;
  });
  runtimes.set(ops, rt);
  return ops;
}

function settingsOf(options: Omit<OpenAiOpsOptions, 'store'> & { store?: Store }, owner: string): Omit<RuntimeSettings, 'notConfigured'> & { timeoutMs: number } {
  if (options.baseURL !== undefined) httpUrl(options.baseURL, owner, 'baseURL');
  const timeoutMs = positiveNumber(options.timeoutMs, 60_000, owner, 'timeoutMs', { unit: 'milliseconds' });
  return {
    ...(options.client !== undefined ? { client: options.client } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.blobs ? { blobs: options.blobs } : {}),
    ...(options.router ? { router: options.router } : {}),
    defaultModel: requiredString(options.defaultModel ?? DEFAULT_MODEL, owner, 'defaultModel'),
    fineTuneBaseModel: requiredString(options.fineTuneBaseModel ?? DEFAULT_FINE_TUNE_MODEL, owner, 'fineTuneBaseModel'),
    maxToolRounds: positiveNumber(options.maxToolRounds, MAX_TOOL_ROUNDS, owner, 'maxToolRounds', { min: 0, integer: true }),
    maxTrainingBytes: positiveNumber(options.maxTrainingBytes, 50 * MIB, owner, 'maxTrainingBytes', { min: 1, integer: true }),
    timeoutMs,
    maxRetries: positiveNumber(options.maxRetries, 2, owner, 'maxRetries', { min: 0, integer: true }),
  };
}

/**
 * The `OpenAIOps` group: `train`, `check_train`, `new_thread`, `messaging`, `bot`, `bot_routine` and
 * `credentials` on the official `openai` client. Every operation needs a caller with a user id (401 otherwise)
 * and reaches only the threads, bots and jobs that caller created (403 otherwise, before anything is sent to
 * OpenAI). Only `check_train` is agent-callable; the others are HTTP and envelope events (`doors: { agent: false }`).
 * Without `client` or `apiKey` the group is still made and every operation answers 503 naming `OPENAI_API_KEY`.
 * Throws when `store` is missing or an option is malformed.
 */
export function openaiOps(options: OpenAiOpsOptions): ActionGroup {
  if (!options || typeof options.store?.put !== 'function') throw new Error(`${OWNER}: "store" is required (a store from bedrock-action-groups/stores)`);
  const settings = settingsOf(options, OWNER);
  const notConfigured = options.client === undefined && !options.apiKey ? new MissingEnvError(OPENAI_GROUP, ['OPENAI_API_KEY']) : undefined;
  return group(makeRuntime({ ...settings, store: options.store, ...(notConfigured ? { notConfigured } : {}) }), options.allowedRoles, settings.timeoutMs);
}

/**
 * {@link openaiOps} from the environment (values trimmed): `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_MODEL`
 * (→ `defaultModel`), `OPENAI_FINE_TUNE_MODEL` (→ `fineTuneBaseModel`), and the store and blobs as every
 * pack's `fromEnv` opens them: `DATABASE_URL` (Postgres through `pg`) else PGlite under `DATA_DIR` (default
 * `./.data`), opened and migrated on first use; `S3_BUCKET` (`S3_KEY_PREFIX`) else the disk under
 * `DATA_DIR/files`. `overrides` win (pass `router` for bot tools). A missing `OPENAI_API_KEY` never throws:
 * every operation answers 503 naming it. A malformed `OPENAI_BASE_URL` throws.
 */
openaiOps.fromEnv = function fromEnv(env: Env = process.env, overrides: Partial<OpenAiOpsOptions> = {}): ActionGroup {
  const owner = `${OWNER}.fromEnv`;
  const apiKey = overrides.apiKey ?? envString(env, 'OPENAI_API_KEY');
  const baseURL = overrides.baseURL ?? envString(env, 'OPENAI_BASE_URL');
  const defaultModel = overrides.defaultModel ?? envString(env, 'OPENAI_MODEL');
  const fineTuneBaseModel = overrides.fineTuneBaseModel ?? envString(env, 'OPENAI_FINE_TUNE_MODEL');
  const store = overrides.store ?? storeFromEnv(env);
  const blobs = overrides.blobs ?? blobsFromEnv(env);
  const options = { ...overrides, store, blobs, ...(apiKey ? { apiKey } : {}), ...(baseURL ? { baseURL } : {}), ...(defaultModel ? { defaultModel } : {}), ...(fineTuneBaseModel ? { fineTuneBaseModel } : {}) };
  const settings = settingsOf(options, owner);
  const hasClient = overrides.client !== undefined || apiKey !== undefined;
  const notConfigured = hasClient ? undefined : new MissingEnvError(OPENAI_GROUP, ['OPENAI_API_KEY']);
  return group(makeRuntime({ ...settings, store, ...(notConfigured ? { notConfigured } : {}) }), overrides.allowedRoles, settings.timeoutMs);
};

/**
 * The `router.envelope(...)` options that serve an OpenAIOps group (from {@link openaiOps}) as the old
 * event-envelope contract, from `ENVELOPE_SECRET` (at least 16 bytes): `signedToken` with that secret, every
 * operation an event, replayed `jti`s refused through the group's store. `undefined` without the variable.
 * `router.add(ops)` first: `router.envelope(openaiOps.envelopeFromEnv(ops) ?? …)`.
 */
openaiOps.envelopeFromEnv = function envelopeFromEnv(ops: ActionGroup, env: Env = process.env): EnvelopeOptions | undefined {
  const rt = runtimes.get(ops);
  if (!rt) throw new Error('openaiOps.envelopeFromEnv: "ops" must be the group made by openaiOps()');
  const secret = envString(env, 'ENVELOPE_SECRET');
  return secret ? { verify: signedToken({ secret }), events: ops, replayStore: rt.store } : undefined;
};

/** Options of {@link botRoutineJob}. */
export interface BotRoutineJobOptions {
  /** The `OpenAIOps` group (from {@link openaiOps}) whose store holds the bot. */
  ops: ActionGroup;
  botId: string;
  /** Run this instead of the bot's stored routine. */
  prompt?: string;
  /** Job name on the router (default `bot-routine:<botId>`). */
  name?: string;
}

/**
 * A job for `router.schedule(...)` (an EventBridge schedule) running a bot's routine: resolves
 * `{ bot_id, response_id, reply, tool_calls }`. The bot is read when the job runs; its tool calls run as the
 * bot's owner (the caller who created it, with the role they had then).
 */
export function botRoutineJob(options: BotRoutineJobOptions): ScheduledJob<BotRoutineReply> {
  const rt = options?.ops ? runtimes.get(options.ops) : undefined;
  if (!rt) throw new Error('botRoutineJob: "ops" must be the group made by openaiOps()');
  const botId = requiredString(options.botId, 'botRoutineJob', 'botId');
  return routineJob(rt, options.name ?? `bot-routine:${botId}`, botId, options.prompt);
}
