import { randomUUID } from 'node:crypto';
import type { LambdaContext } from '../../core/context.js';
import type { Router } from '../../router.js';
import type { ScheduleInput, ScheduledJob } from './types.js';
import { isRecord, type DoorModule } from '../../core/door.js';

const DIRECT_KEYS = new Set(['since', 'limit', 'manual', 'job']);

function isDirect(event: unknown): event is ScheduleInput & { job?: string } {
  return isRecord(event) && Object.keys(event).every((k) => DIRECT_KEYS.has(k));
}

function isEventBridge(event: unknown): event is Record<string, unknown> {
  return isRecord(event) && event.source === 'aws.events';
}

/** Picks the job: by `job` name, else the only one registered. */
function pickJob(router: Router, name: unknown): ScheduledJob {
  const jobs = router.jobs;
  if (typeof name === 'string') {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No scheduled job named "${name}"; registered: ${jobs.map((j) => j.name).join(', ')}.`);
    return job;
  }
  if (jobs.length === 1) return jobs[0] as ScheduledJob;
  throw new Error(`Several scheduled jobs are registered (${jobs.map((j) => j.name).join(', ')}); name one with "job" in the event (or the rule's detail).`);
}

/** Runs a scheduled job with an abort signal that fires shortly before the Lambda would time out. */
export async function handleSchedule(event: unknown, lambdaContext: LambdaContext | undefined, router: Router): Promise<unknown> {
  const direct = isDirect(event);
  const detail = isEventBridge(event) && isRecord(event.detail) ? event.detail : {};
  const job = pickJob(router, direct ? event.job : detail.job);
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
      logger: router.logger.child({ requestId, job: job.name }),
      signal: controller.signal,
      ...(lambdaContext ? { lambdaContext } : {}),
    });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The door for scheduled jobs (EventBridge or direct invocations), as `router.handle` tries it. */
export const scheduleDoor: DoorModule = {
  describe: (router) => (router.jobs.length ? `a scheduled job event (EventBridge source "aws.events", or { since?, limit?, manual?, job? } for ${router.jobs.map((j) => j.name).join(', ')})` : undefined),
  matches: (event, _ctx, router) => router.jobs.length > 0 && (isEventBridge(event) || isDirect(event)),
  handle: handleSchedule,
};
