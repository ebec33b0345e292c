import * as chrono from 'chrono-node';
import { dayOf, formatDay, formatSpan, isoDay, todayIn, type Day, type Span } from './dates-calendar.js';
import { findMentions, monthMention, type Mention } from './dates-grammar.js';
import { normalize } from './dates-lexicon.js';

/** An inclusive range of calendar days. */
export interface DateRange {
  /** First day, `YYYY-MM-DD`, in the zone asked for. */
  from: string;
  /** Last day (inclusive), `YYYY-MM-DD`. */
  to: string;
  /** Short Spanish description: "la semana pasada", "últimos 7 días", "del 1 al 15 de marzo de 2025". */
  label: string;
}

/** Options of {@link resolveDateRange}. */
export interface ResolveDateRangeOptions {
  /** The instant "today" is read from; defaults to the current time. */
  now?: Date | number;
  /** IANA zone whose calendar the dates are in, e.g. `America/Costa_Rica`. The machine's zone is never used. */
  timezone: string;
}

/** Only this many characters of the text are read (the agent's whole utterance may be passed). */
export const MAX_DATE_TEXT = 2000;

/**
 * Reads a Spanish date expression and returns the calendar days it covers in `timezone`, or `null` when
 * the text names no date, names an impossible one (31/02/2024) or a range it cannot settle.
 *
 * Understands: ISO dates and `DD/MM/YYYY`, `DD-MM-YYYY` (also `DD.MM.YY`, read as 20YY); "15 de marzo [de
 * 2025]"; hoy, ayer, anteayer/antier, mañana, pasado mañana; weekdays; esta semana, la semana pasada; este
 * mes, el mes pasado;
 * este trimestre, el trimestre pasado; este año, el año pasado; "año 2024"; month names with or without a
 * year ("enero", "febrero 2024", "marzo de 2025", "marzo del año pasado"); "primer trimestre [de 2024]",
 * "2do trimestre", "T3 2024"; "últimos N días | semanas | meses | años" with N in digits or words; "hace N
 * días"; ranges "entre A y B", "desde A hasta B", "del A al B", "de enero a marzo", "A - B", with any of
 * the above as ends, and "del 1 al 15 de marzo"; "desde A" alone (A to today). Accents and case are ignored.
 *
 * Rules:
 * - Weeks start on Monday. "la semana pasada" is the previous Monday–Sunday; "esta semana", "este mes",
 *   "este trimestre" and "este año" run from their first day to today.
 * - A named month, quarter or year is whole, even when it has not ended. A month or day without a year is
 *   its most recent occurrence that is not in the future ("diciembre" in June 2025 is December 2024;
 *   "29 de febrero" in 2025 is 29 February 2024); a quarter without a year is of the current year.
 * - "últimos N días" is the N days ending today, today included; "últimas N semanas" the N×7 days ending
 *   today; "últimos N meses" (años) runs from today minus N calendar months (years) plus one day to today,
 *   where luxon clamps month ends (31 May − 3 months = 28 February, so the range starts 1 March).
 * - "la última semana" / "el último mes" / "el último año" are one such unit ending today.
 * - "hace N días" is that one day. A count of zero makes the text unresolvable.
 * - "mañana" and "pasado mañana" are the future days they name ("esta mañana" is today; "por la mañana"
 *   is no date).
 * - In a range, an end without a year takes the other end's year (a month later in the year than the
 *   other end's month belongs to the previous year: "del 28 de diciembre al 3 de enero" crosses New Year).
 *   A reversed range ("entre el 15 y el 1 de marzo") is swapped, not refused: the intent is plain.
 * - "hasta A" with no start is unresolvable (null) rather than guessed; "desde A" alone ending before A
 *   (A in the future) is null.
 * - A weekday after "el"/"este" ("el lunes") is its most recent occurrence, today included; "el viernes
 *   pasado" the most recent one before today; "el martes de la semana pasada" that day of the previous week.
 * - When no rule matches, chrono-node's Spanish parser gets a last try for other absolute dates ("3/3");
 *   its answer is read back as a calendar day in the zone and refused when it is in the future.
 *
 * Pure: no I/O; only `now` and `timezone` decide "today", so the machine's `TZ` never changes a result.
 * Throws a RangeError when `timezone` is not an IANA zone or `now` is not a valid instant.
 */
export function resolveDateRange(text: string, options: ResolveDateRangeOptions): DateRange | null {
  const today = todayIn(options.now ?? Date.now(), options.timezone);
  if (typeof text !== 'string') return null;
  const normalized = normalize(text.slice(0, MAX_DATE_TEXT));
  if (normalized === '') return null;
  const found = findMentions(normalized, today);
  if (found.some((m) => m.kind === 'invalid')) return null;
  const span = found.length > 0 ? fromMentions(normalized, found, today) : fromChrono(text.slice(0, MAX_DATE_TEXT), today);
  return span && { from: isoDay(span.from), to: isoDay(span.to), label: span.label };
}

type Resolvable = Exclude<Mention, { kind: 'invalid' } | { kind: 'dayOnly' }>;

const RANGE_START = /(?:^|\s)(entre|desde|del|de|a partir del?)(?: (?:el|la|los|las))?\s*$/;
const RANGE_JOIN = /^\s*(y|hasta|al|a|-)(?: (?:el|la|los|las))?\s*$/;
const UNTIL = /(?:^|\s)hasta(?: (?:el|la|los|las))?\s*$/;

/** The first usable mention, or range of two, decides. */
function fromMentions(text: string, mentions: Mention[], today: Day): Span | null {
  for (let i = 0; i < mentions.length; i++) {
    const a = mentions[i] as Mention;
    const b = mentions[i + 1];
    const before = text.slice(0, a.start);
    const start = RANGE_START.exec(before)?.[1];
    const join = b && RANGE_JOIN.exec(text.slice(a.end, b.start))?.[1];
    // "y" only joins after "entre": "ayer y hoy" is two mentions, the first decides.
    if (b && join && (join !== 'y' || start === 'entre')) {
      const range = pair(a, b as Exclude<Mention, { kind: 'invalid' }>, today);
      if (range !== undefined) return range;
    }
    if (a.kind === 'dayOnly' || a.kind === 'invalid') continue;
    if (UNTIL.test(before)) return null;
    const span = resolve(a, today);
    if (span && (start === 'desde' || start?.startsWith('a partir'))) {
      return span.from > today ? null : { from: span.from, to: today, label: `desde el ${formatDay(span.from)}` };
    }
    return span;
  }
  return null;
}

/** A mention on its own; a missing year is the most recent one that keeps the date out of the future. */
function resolve(m: Resolvable, today: Day, year?: number): Span | null {
  if (m.kind === 'span') return m.span;
  if (m.kind === 'month') {
    const y = year ?? m.year ?? (m.month <= today.month ? today.year : today.year - 1);
    return monthMention(y, m.month);
  }
  const y = year ?? m.year;
  const d = y === undefined ? mostRecent(m.month, m.day, today) : dayOf(y, m.month, m.day);
  return d ? { from: d, to: d, label: formatDay(d) } : null;
}

function mostRecent(month: number, day: number, today: Day): Day | undefined {
  // Eight years always include a leap year, so 29 February resolves.
  for (let y = today.year; y > today.year - 8; y--) {
    const d = dayOf(y, month, day);
    if (d && d <= today) return d;
  }
  return undefined;
}

const hasYear = (m: Resolvable): boolean => m.kind === 'span' || m.year !== undefined;
const yearOfSpan = (s: Span): number => s.from.year;

/**
 * Two ends joined by a connector. Returns undefined when they do not make a range (the caller goes on
 * with the first alone), null when they do but cannot be resolved.
 */
function pair(a: Mention, b: Exclude<Mention, { kind: 'invalid' }>, today: Day): Span | null | undefined {
  if (b.kind === 'dayOnly' || a.kind === 'invalid') return undefined;
  let first: Span | null;
  let last: Span | null;
  if (a.kind === 'dayOnly') {
    if (b.kind !== 'day') return undefined;
    last = resolve(b, today);
    const d = last && dayOf(yearOfSpan(last), b.month, a.day);
    first = d ? { from: d, to: d, label: '' } : null;
  } else if (a.kind === 'span' || b.kind === 'span' || (hasYear(a) && hasYear(b))) {
    first = resolve(a, today);
    last = resolve(b, today);
  } else if (hasYear(a)) {
    first = resolve(a, today);
    last = first && resolve(b, today, yearOfSpan(first) + (b.month < a.month ? 1 : 0));
  } else {
    last = resolve(b, today);
    first = last && resolve(a, today, yearOfSpan(last) - (a.month > b.month ? 1 : 0));
  }
  if (!first || !last) return null;
  const [from, to] = first.from <= last.to ? [first.from, last.to] : [last.from, first.to];
  return { from, to, label: formatSpan(from, to) };
}

/**
 * Last try: chrono-node's Spanish parser, for absolute dates written in forms the grammar lacks ("3/3",
 * "14-jun"). Trusted only when it is sure of the day and the month; a year it guessed is replaced by the
 * usual rule (most recent, not in the future), and a future day is refused.
 */
function fromChrono(text: string, today: Day): Span | null {
  // chrono computes in the machine's zone; a reference whose local wall clock shows today's date at noon
  // makes its answer a calendar day of `today`'s zone whatever TZ is.
  const reference = new Date(today.year, today.month - 1, today.day, 12);
  const start = chrono.es.parse(text, reference)[0]?.start;
  if (!start?.isCertain('day') || !start.isCertain('month')) return null;
  const month = start.get('month') as number;
  const day = start.get('day') as number;
  const d = start.isCertain('year') ? dayOf(start.get('year') as number, month, day) : mostRecent(month, day, today);
  return d && d <= today ? { from: d, to: d, label: formatDay(d) } : null;
}
