import { ActionError } from '../../core/errors.js';
import type { ScheduleInput } from '../../doors/schedule/types.js';
import { parseInstant } from './instant.js';

/** A run's input after validation. */
export interface RunInput {
  since?: string;
  limit?: number;
  manual: boolean;
}

const bad = (message: string) => new ActionError(400, message, { code: 'INVALID_JOB_INPUT' });

/**
 * Validates `{ since?, limit?, manual? }` as it arrives from a direct invocation or an EventBridge
 * rule's input, where numbers and booleans may come as strings. Throws ActionError 400 naming the field.
 */
export function parseRunInput(input: ScheduleInput): RunInput {
  const raw = input as Record<string, unknown>;
  const out: RunInput = { manual: false };
  if (raw.since !== undefined && raw.since !== null) {
    if (typeof raw.since !== 'string' || Number.isNaN(parseInstant(raw.since.trim()))) {
      throw bad(`since: expected an ISO 8601 date or date-time such as "2024-05-01" or "2024-05-01T08:30:00Z", got ${JSON.stringify(raw.since)}`);
    }
    out.since = raw.since.trim();
  }
  if (raw.limit !== undefined && raw.limit !== null) {
    const limit = typeof raw.limit === 'string' && /^\d+$/.test(raw.limit.trim()) ? Number(raw.limit) : raw.limit;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      throw bad(`limit: expected a positive whole number, got ${JSON.stringify(raw.limit)}`);
    }
    out.limit = limit;
  }
  if (raw.manual !== undefined && raw.manual !== null) {
    const manual = raw.manual === 'true' ? true : raw.manual === 'false' ? false : raw.manual;
    if (typeof manual !== 'boolean') throw bad(`manual: expected true or false, got ${JSON.stringify(raw.manual)}`);
    out.manual = manual;
  }
  return out;
}
