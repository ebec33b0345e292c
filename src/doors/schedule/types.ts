import type { LambdaContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';

/** Input of a scheduled job: from an EventBridge schedule (all absent) or a direct invocation. */
export interface ScheduleInput {
  /** Start of the window to process (ISO 8601); overrides the job's own watermark. */
  since?: string;
  /** Most records to process. */
  limit?: number;
  /** A manual run: do the work but do not move the job's watermark. */
  manual?: boolean;
}

/** What a job gets besides its input. */
export interface JobContext {
  requestId: string;
  logger: Logger;
  /** Aborts when the Lambda is about to time out. */
  signal: AbortSignal;
  lambdaContext?: LambdaContext;
}

/** A job registered with `router.schedule(job)`: run by EventBridge (`source: 'aws.events'`) or directly. */
export interface ScheduledJob<R = unknown> {
  /** Name used in logs and to pick the job when several are registered (`{ job: name }` in the event). */
  readonly name: string;
  run(input: ScheduleInput, ctx: JobContext): Promise<R>;
}
