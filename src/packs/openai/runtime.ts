import OpenAI from 'openai';
import type { ActionContext, Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import type { Router } from '../../router.js';
import type { BlobStore } from '../../stores/blob-types.js';
import type { KeyedRecord, Store } from '../../stores/types.js';
import { openAiError } from '../../agents/openai-errors.js';
import { clientGetter, type ClientOption } from '../../kit/clients.js';

/** Store kinds of the records the pack keeps (threads, bots, training jobs), each owned by the user who made it. */
export const KINDS = { thread: 'openai-thread', bot: 'openai-bot', job: 'openai-train-job' } as const;

/** What a bot is, as stored under {@link KINDS.bot}. */
export interface BotRecord {
  name: string;
  model: string;
  instructions: string;
  /** Operation names of the router, offered as function tools. */
  tools: string[];
  /** The prompt `bot_routine` runs when given none. */
  routine?: string;
  /** Who created it: tool calls of a scheduled routine run as this caller. */
  owner: Caller;
}

/** What the operations share: settings, the client, the store. Made once per group. */
export interface Runtime {
  /** Set when the pack cannot call OpenAI or keep records: every operation throws it. */
  readonly notConfigured?: ActionError;
  readonly client: () => OpenAI;
  readonly store: Store;
  readonly blobs?: BlobStore;
  readonly router: () => Router | undefined;
  readonly defaultModel: string;
  readonly fineTuneBaseModel: string;
  readonly maxToolRounds: number;
  readonly maxTrainingBytes: number;
}

/** Settings {@link makeRuntime} turns into a {@link Runtime}. */
export interface RuntimeSettings {
  client?: ClientOption<OpenAI>;
  apiKey?: string;
  baseURL?: string;
  /** Absent only with `notConfigured` set (`fromEnv` given no store). */
  store?: Store;
  blobs?: BlobStore;
  router?: Router | (() => Router);
  defaultModel: string;
  fineTuneBaseModel: string;
  maxToolRounds: number;
  maxTrainingBytes: number;
  timeoutMs: number;
  maxRetries: number;
  notConfigured?: ActionError;
}

/** The runtime of a group; the client is built on first use (so interception installed later sees it). */
export function makeRuntime(s: RuntimeSettings): Runtime {
  const { router } = s;
  return {
    ...(s.notConfigured ? { notConfigured: s.notConfigured } : {}),
    client: clientGetter(s.client, () => new OpenAI({ apiKey: s.apiKey as string, ...(s.baseURL ? { baseURL: s.baseURL } : {}), timeout: s.timeoutMs, maxRetries: s.maxRetries })),
    get store(): Store {
      if (!s.store) throw s.notConfigured ?? new Error('OpenAIOps: no store');
      return s.store;
    },
    ...(s.blobs ? { blobs: s.blobs } : {}),
    router: typeof router === 'function' ? router : () => router,
    defaultModel: s.defaultModel,
    fineTuneBaseModel: s.fineTuneBaseModel,
    maxToolRounds: s.maxToolRounds,
    maxTrainingBytes: s.maxTrainingBytes,
  };
}

/**
 * The checks every operation starts with: configured (else its 503), and a caller with a user id from a
 * verified identity (else 401). Returns that user id.
 */
export function begin(rt: Runtime, ctx: ActionContext): string {
  if (rt.notConfigured) throw rt.notConfigured;
  const userId = ctx.caller.userId;
  if (typeof userId !== 'string' || userId === '') throw new ActionError(401, `${ctx.operation} needs an authenticated caller (a user id from a verified token or session).`, { code: 'UNAUTHORIZED' });
  return userId;
}

/** The record of `kind`/`key` owned by `userId`: 404 when there is none, 403 when someone else owns it. */
export async function ownedRecord<T>(rt: Runtime, kind: string, key: string, userId: string, what: string): Promise<KeyedRecord<T>> {
  const record = await rt.store.get<T>(kind, key);
  if (!record) throw new ActionError(404, `There is no ${what} "${key}".`, { code: 'NOT_FOUND' });
  if (record.ownerId !== userId) throw new ActionError(403, `The ${what} "${key}" belongs to another user.`, { code: 'FORBIDDEN' });
  return record;
}

/** Runs one OpenAI call, mapping its failure ({@link openAiError}); `what` names it in the error ("creating the thread"). */
export async function callOpenAi<T>(rt: Runtime, ctx: Pick<ActionContext, 'signal'>, what: string, call: (client: OpenAI, options: { signal: AbortSignal }) => Promise<T>): Promise<T> {
  try {
    return await call(rt.client(), { signal: ctx.signal });
  } catch (error) {
    throw openAiError(error, what, ctx.signal);
  }
}

/** An OpenAI Unix time (seconds) as an ISO 8601 string, or null. */
export function isoOf(seconds: number | null | undefined): string | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null;
}
