import type { ActionContext } from '../core/context.js';

/** Margins of {@link deadlineOf}. */
export interface DeadlineOptions {
  /** Kept back from the Lambda's remaining time, so the reply still goes out (default 500 ms). */
  lambdaMarginMs?: number;
  /** Kept back from the deadline itself, so an upstream's 503 reaches the caller before the 504 (default 0). */
  replyMarginMs?: number;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/**
 * A per-call deadline getter: epoch ms by which all the upstream work of one call (retries included)
 * must be over — `timeoutMs` from the first ask, capped by the Lambda's remaining time less
 * `lambdaMarginMs`, less `replyMarginMs`. The first ask of a call fixes it, so every request of that
 * call shares one budget.
 */
export function deadlineOf(timeoutMs: number, options: DeadlineOptions = {}): (ctx: ActionContext) => number {
  const { lambdaMarginMs = 500, replyMarginMs = 0, now = Date.now } = options;
  const deadlines = new WeakMap<ActionContext, number>();
  return (ctx) => {
    let deadline = deadlines.get(ctx);
    if (deadline === undefined) {
      const left = ctx.lambdaContext?.getRemainingTimeInMillis?.();
      const budget = typeof left === 'number' && left > 0 ? Math.min(timeoutMs, left - lambdaMarginMs) : timeoutMs;
      deadline = now() + budget - replyMarginMs;
      deadlines.set(ctx, deadline);
    }
    return deadline;
  };
}
