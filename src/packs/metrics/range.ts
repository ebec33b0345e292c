import { DateTime } from 'luxon';
import { ActionError } from '../../core/errors.js';
import { formatSpan, isoDay, todayIn, type Day } from '../../text/dates-calendar.js';
import { resolveDateRange, type DateRange } from '../../text/dates.js';

/** The date fields every metric operation takes. */
export interface RangeFields {
  from?: string | undefined;
  to?: string | undefined;
  range?: string | undefined;
  when?: string | undefined;
  dateRange?: string | undefined;
}

/** Phrases quoted to the model when it sends one that cannot be read. */
export const RANGE_EXAMPLES = ['hoy', 'ayer', 'esta semana', 'la semana pasada', 'este mes', 'el mes pasado', 'últimos 7 días', 'últimos 3 meses', 'marzo de 2025', 'del 1 al 15 de marzo', 'primer trimestre', '2025-03-01'];

/** Label of a reply that used the service's own default range. */
export const DEFAULT_RANGE_LABEL = 'predeterminado del servicio';

const ALIASES = ['range', 'when', 'dateRange'] as const;

/**
 * The days a call asks for, or null for the service's default. Precedence: explicit `from`/`to`, then
 * `range` (or its aliases `when`, `dateRange`, in that order), then the agent's `inputText`, then none.
 * `from` alone runs to today; `to` alone, `from` after `to`, or a `range` that names no date are 400s.
 * A date in the user's words that cannot be read is no error: the default applies.
 */
export function requestedRange(input: RangeFields, inputText: string | undefined, clock: { timezone: string; now: Date }): DateRange | null {
  if (input.from !== undefined || input.to !== undefined) return explicit(input.from, input.to, clock);
  for (const field of ALIASES) {
    const text = input[field]?.trim();
    if (!text) continue;
    const resolved = resolveDateRange(text, clock);
    if (resolved) return resolved;
    throw new ActionError(400, `${field} "${text.slice(0, 80)}" is not a date range I can read. Use a Spanish phrase such as ${RANGE_EXAMPLES.map((e) => `"${e}"`).join(', ')}, or give from and to as YYYY-MM-DD.`, {
      code: 'VALIDATION_FAILED',
      details: [{ field, problem: 'not a recognised date range' }],
    });
  }
  return inputText ? resolveDateRange(inputText, clock) : null;
}

function explicit(from: string | undefined, to: string | undefined, clock: { timezone: string; now: Date }): DateRange {
  if (from === undefined) {
    throw new ActionError(400, `to (${to}) was given without from: give from too (YYYY-MM-DD), or use range.`, { code: 'VALIDATION_FAILED', details: [{ field: 'from', problem: 'is required when to is given' }] });
  }
  const first = DateTime.fromISO(from, { zone: 'utc' }) as Day;
  const last = to === undefined ? todayIn(clock.now, clock.timezone) : (DateTime.fromISO(to, { zone: 'utc' }) as Day);
  if (first > last) {
    const what = to === undefined ? `today (${isoDay(last)})` : `to (${to})`;
    throw new ActionError(400, `from (${from}) is after ${what}: from must be on or before it.`, { code: 'VALIDATION_FAILED', details: [{ field: 'from', problem: `is after ${what}` }] });
  }
  return { from, to: isoDay(last), label: formatSpan(first, last) };
}
