import { randomUUID } from 'node:crypto';
import type { LambdaContext } from '../../core/context.js';
import type { DoorPlugin } from '../../core/door.js';
import type { Logger } from '../../core/logger.js';
import { isRecord } from '../../util/is-record.js';
import type { ScheduleInput, ScheduledJob } from './types.js';

const DIRECT_KEYS = new Set(['since', 'limit', 'manual', 'job']);

function isDirect(event: unknown): event is ScheduleInput & { job?: string } {
  return isRecord(event) && Object.keys(event).every((k) => DIRECT_KEYS.has(k));
}

function isEventBridge(event: unknown): event is Record<string, unknown> {
  return isRecord(event) && event.source === 'aws.events';
}

/** Picks the job: by `job` name, else the only one registered. */
function pickJob(jobs: readonly ScheduledJob[], name: unknown): ScheduledJob {
  if (typeof name === 'string') {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No scheduled job named "${name}"; registered: ${jobs.map((j) => j.name).join(', ')}.`);
    return job;
  }
  if (jobs.length === 1) return jobs[0] as ScheduledJob;
  throw new Error(`Several scheduled jobs are registered (${jobs.map((j) => j.name).join(', ')}); name one with "job" in the event (or the rule's detail).`);
}

/** Runs a scheduled job with an abort signal that fires shortly before the Lambda would time out. */
async function runJob(jobs: readonly ScheduledJob[], logger: Logger, event: unknown, lambdaContext: LambdaContext | undefined): Promise<unknown> {
  const direct = isDirect(event);
  const detail = isEventBridge(event) && isRecord(event.detail) ? event.detail : {};
  const job = pickJob(jobs, direct ? event.job : detail.job);
  const input: ScheduleInput = {};
  const source = direct ? event : detail;
  if (source.since !== undefined) input.since = source.since as string;
  if (source.limit !== undefined) input.limit = source.limit as number;
  if (source.manual !== undefined) input.manual = source.manual as boolean;
  const requestId = lambdaContext?.awsRequestId ?? randomUUID();
  const remaining = lambdaContext?.getRemainingTimeInMillis?.();
  const controller = new AbortController();
  const timer = typeof remaining === 'number' ? setTimeout(() => controller.abort(new Error('The Lambda is about to time out')), Math.max(remaining - 2000, 1)) : undefined;
  try {
    return await job.run(input, {
      requestId,
      logger: logger.child({ requestId, job: job.name }),
      signal: controller.signal,
      ...(lambdaContext ? { lambdaContext } : {}),
    });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The door for scheduled jobs (EventBridge or direct invocations), holding the jobs registered with it. */
export class ScheduleDoor implements DoorPlugin {
  readonly #jobs: ScheduledJob[] = [];
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers a job; names are unique. */
  add(job: ScheduledJob): void {
    if (this.#jobs.some((j) => j.name === job.name)) throw new Error(`Router: a job named "${job.name}" was already registered`);
    this.#jobs.push(job);
  }

  describe(): string | undefined {
    const jobs = this.#jobs;
    return jobs.length ? `a scheduled job event (EventBridge source "aws.events", or { since?, limit?, manual?, job? } for ${jobs.map((j) => j.name).join(', ')})` : undefined;
  }

  matches(event: unknown): boolean {
    return this.#jobs.length > 0 && (isEventBridge(event) || isDirect(event));
  }

  handle(event: unknown, lambdaContext: LambdaContext | undefined): Promise<unknown> {
    return runJob(this.#jobs, this.#logger, event, lambdaContext);
  }
}
