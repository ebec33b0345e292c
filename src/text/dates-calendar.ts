import { DateTime, IANAZone } from 'luxon';
import { MONTH_NAMES } from './dates-lexicon.js';

/**
 * A calendar day, held as a luxon DateTime at midnight UTC. The zone only decides which day "today" is;
 * after that every step is calendar arithmetic, which in UTC never meets a daylight-saving gap.
 */
export type Day = DateTime<true>;

/** An inclusive span of calendar days with its Spanish description. */
export interface Span {
  from: Day;
  to: Day;
  label: string;
}

/** The calendar day `now` falls on in the IANA `zone`. Throws a RangeError for an unknown zone. */
export function todayIn(now: Date | number, zone: string): Day {
  // IANAZone.create caches per name; isValidZone would build an Intl.DateTimeFormat on every call.
  if (typeof zone !== 'string' || !IANAZone.create(zone).isValid) throw new RangeError(`resolveDateRange: "${zone}" is not an IANA time zone (e.g. America/Costa_Rica)`);
  const ms = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('resolveDateRange: "now" is not a valid date');
  const local = DateTime.fromMillis(ms, { zone });
  return DateTime.utc(local.year, local.month, local.day) as Day;
}

/** The day y-m-d, or undefined when it does not exist (31 February, month 13). */
export function dayOf(year: number, month: number, day: number): Day | undefined {
  const d = DateTime.utc(year, month, day);
  return d.isValid ? d : undefined;
}

/** `YYYY-MM-DD`. */
export function isoDay(d: Day): string {
  return d.toISODate();
}

/** Whole month. */
export function monthSpan(year: number, month: number): { from: Day; to: Day } {
  const from = DateTime.utc(year, month, 1) as Day;
  return { from, to: from.endOf('month').startOf('day') };
}

/** Whole quarter (1–4). */
export function quarterSpan(year: number, quarter: number): { from: Day; to: Day } {
  const from = DateTime.utc(year, (quarter - 1) * 3 + 1, 1) as Day;
  return { from, to: from.endOf('quarter').startOf('day') };
}

/** "15 de marzo de 2025", or "15 de marzo" without the year. */
export function formatDay(d: Day, withYear = true): string {
  const base = `${d.day} de ${MONTH_NAMES[d.month - 1]}`;
  return withYear ? `${base} de ${d.year}` : base;
}

/** "marzo de 2025". */
export function formatMonth(year: number, month: number): string {
  return `${MONTH_NAMES[month - 1]} de ${year}`;
}

/** Shortest clear description of an inclusive span: "15 de marzo de 2025", "del 1 al 15 de marzo de 2025", … */
export function formatSpan(from: Day, to: Day): string {
  if (+from === +to) return formatDay(from);
  if (from.year !== to.year) return `del ${formatDay(from)} al ${formatDay(to)}`;
  if (from.month !== to.month) return `del ${formatDay(from, false)} al ${formatDay(to)}`;
  return `del ${from.day} al ${formatDay(to)}`;
}
