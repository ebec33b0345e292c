import { MONTH_OR_ABBR_RE, MONTH_RE, NUMBER_RE, WEEKDAYS, WEEKDAY_RE, monthNumber, parseCount } from './dates-lexicon.js';
import { dayOf, formatDay, formatMonth, monthSpan, quarterSpan, type Day, type Span } from './dates-calendar.js';

/**
 * The date grammar: finds every date expression ("mention") in normalised text. A mention is either
 * complete (a {@link Span}: "ayer", "la semana pasada") or a calendar date or month whose year may be
 * implicit, left for the caller to settle — in a range the two ends settle each other's year.
 */
export type Mention = { start: number; end: number } & (
  | { kind: 'span'; span: Span }
  | { kind: 'day'; year?: number; month: number; day: number }
  | { kind: 'month'; year?: number; month: number }
  /** A bare day number that can only start a range whose end names the month ("del 1 al 15 de marzo"). */
  | { kind: 'dayOnly'; day: number }
  /** Looked like a date but is none (31/02/2024): the whole text resolves to null. */
  | { kind: 'invalid' }
);

type Found = Mention extends infer M ? (M extends unknown ? Omit<M, 'start' | 'end'> : never) : never;

interface Rule {
  re: RegExp;
  /** The mention for a match, or null when the match is not a date after all. */
  make: (m: RegExpExecArray, today: Day) => Found | null;
}

// ", 2025" / " de 2025" / " del año pasado" / "-2025": the year that may follow a month, day or quarter.
const YEAR_SPEC = `(?:, ?| |[-/])(?:(?:de|del|en) )?(?:ano )?(\\d{4}|(?:este|el) ano|(?:el )?ano (?:pasado|anterior))`;
const END = '(?![\\p{L}\\p{N}])';

function yearOf(spec: string, today: Day): number {
  if (/^\d{4}$/.test(spec)) return Number(spec);
  return /pasado|anterior/.test(spec) ? today.year - 1 : today.year;
}

const optionalYear = (spec: string | undefined, today: Day): { year?: number } => (spec === undefined ? {} : { year: yearOf(spec, today) });

function explicitDay(year: number, month: number, day: number): Found {
  return dayOf(year, month, day) ? { kind: 'day', year, month, day } : { kind: 'invalid' };
}

const span = (from: Day, to: Day, label: string): Found => ({ kind: 'span', span: { from, to, label } });

function lastN(count: number | undefined, unit: string, today: Day): Found | null {
  const n = count ?? 1;
  if (n < 1) return { kind: 'invalid' };
  if (unit.startsWith('dia')) return span(today.minus({ days: n - 1 }), today, n === 1 ? 'último día' : `últimos ${n} días`);
  if (unit.startsWith('semana')) return span(today.minus({ days: 7 * n - 1 }), today, n === 1 ? 'última semana' : `últimas ${n} semanas`);
  // N calendar months (years) back, ending today: from = today − N months + 1 day (month ends clamp: 31 May − 3 months = 28/29 Feb).
  if (unit.startsWith('mes')) return span(today.minus({ months: n }).plus({ days: 1 }), today, n === 1 ? 'último mes' : `últimos ${n} meses`);
  return span(today.minus({ years: n }).plus({ days: 1 }), today, n === 1 ? 'último año' : `últimos ${n} años`);
}

const QUARTER_WORDS: Readonly<Record<string, number>> = { primer: 1, primero: 1, segundo: 2, tercer: 3, tercero: 3, cuarto: 4 };
const QUARTER_LABELS = ['primer', 'segundo', 'tercer', 'cuarto'] as const;

function quarter(q: number, year: number): Found {
  const { from, to } = quarterSpan(year, q);
  return span(from, to, `${QUARTER_LABELS[q - 1]} trimestre de ${year}`);
}

const rule = (source: string, make: Rule['make']): Rule => ({ re: new RegExp(source, 'gu'), make });

/** Rules in priority order: a later rule never takes text an earlier one matched. */
const RULES: readonly Rule[] = [
  // 2025-03-15, 2025/03/15
  rule(`\\b(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${END}`, (m) => explicitDay(Number(m[1]), Number(m[2]), Number(m[3]))),
  // 15-03-2025, 15/03/2025, 15.03.25 (day first, as written in Spanish)
  rule(`\\b(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4}|\\d{2})${END}`, (m) => {
    const y = m[3] as string;
    return explicitDay(y.length === 2 ? 2000 + Number(y) : Number(y), Number(m[2]), Number(m[1]));
  }),
  // 15 de marzo, 1o de mayo de 2024, 3 feb 2025, primero de enero del año pasado, martes 4 de marzo
  rule(`\\b(?:${WEEKDAY_RE},? )?(\\d{1,2}|primero)(?:ro|o|°)? (?:de )?(${MONTH_OR_ABBR_RE})(?:${YEAR_SPEC})?${END}`, (m, today) => {
    const day = m[1] === 'primero' ? 1 : Number(m[1]);
    const month = monthNumber(m[2] as string) as number;
    if (m[3] !== undefined) return explicitDay(yearOf(m[3], today), month, day);
    // Valid in some year (29 February) is enough here; the year is settled later.
    return dayOf(2024, month, day) ? { kind: 'day', month, day } : { kind: 'invalid' };
  }),
  // primer trimestre, 2do trimestre de 2024, cuarto trimestre del año pasado
  rule(`\\b(primero|primer|tercero|tercer|segundo|cuarto|[1-4](?:er|ro|do|to|o|°)?) trimestre(?:${YEAR_SPEC})?${END}`, (m, today) => {
    const word = m[1] as string;
    const q = QUARTER_WORDS[word] ?? Number(word[0]);
    return quarter(q, m[2] === undefined ? today.year : yearOf(m[2], today));
  }),
  // T1, Q3 2024, T2-2025
  rule(`\\b[tq]([1-4])(?:${YEAR_SPEC})?${END}`, (m, today) => quarter(Number(m[1]), m[2] === undefined ? today.year : yearOf(m[2], today))),
  // marzo, febrero 2024, marzo de 2025, enero del año pasado
  rule(`\\b(${MONTH_RE})(?:${YEAR_SPEC})?${END}`, (m, today) => ({ kind: 'month', month: monthNumber(m[1] as string) as number, ...optionalYear(m[2], today) })),
  // el martes de la semana pasada, el lunes de esta semana
  rule(`\\b(${WEEKDAY_RE}) de (?:(?:la|esta) )?semana( pasada| anterior)?\\b`, (m, t) => {
    const d = t.startOf('week').plus({ days: WEEKDAYS.indexOf(m[1] as (typeof WEEKDAYS)[number]) }).minus({ weeks: m[2] ? 1 : 0 });
    return span(d, d, formatDay(d));
  }),
  // el lunes (the most recent Monday, today included), el viernes pasado (the most recent one before today).
  // Only after "el"/"este": "los martes hay más tickets" names no date.
  rule(`\\b(?:el|este) (${WEEKDAY_RE})(?: (pasado|anterior))?\\b`, (m, t) => {
    const back = (t.weekday - 1 - WEEKDAYS.indexOf(m[1] as (typeof WEEKDAYS)[number]) + 7) % 7 || (m[2] ? 7 : 0);
    const d = t.minus({ days: back });
    return span(d, d, formatDay(d));
  }),
  rule(`\\bpasado manana\\b`, (_, t) => span(t.plus({ days: 2 }), t.plus({ days: 2 }), 'pasado mañana')),
  rule(`\\b(?:anteayer|antier|antes de ayer|antes de anoche)\\b`, (_, t) => span(t.minus({ days: 2 }), t.minus({ days: 2 }), 'anteayer')),
  rule(`\\b(?:ayer|anoche)\\b`, (_, t) => span(t.minus({ days: 1 }), t.minus({ days: 1 }), 'ayer')),
  rule(`\\b(?:hoy|esta manana|esta tarde|esta noche)\\b`, (_, t) => span(t, t, 'hoy')),
  // "mañana" is also "morning": not after "la", "por", "de".
  rule(`(?<!\\b(?:la|por|de) )\\bmanana\\b`, (_, t) => span(t.plus({ days: 1 }), t.plus({ days: 1 }), 'mañana')),
  rule(`\\bhace (${NUMBER_RE}) dias?\\b`, (m, t) => {
    const n = parseCount(m[1] as string) as number;
    return span(t.minus({ days: n }), t.minus({ days: n }), n === 1 ? 'hace 1 día' : `hace ${n} días`);
  }),
  // últimos 7 días, las últimas dos semanas, el último mes, los últimos 3 meses
  rule(`\\b(ultim[oa]s?|pasad[oa]s) (?:(${NUMBER_RE}) )?(dias?|semanas?|mes|meses|anos?)\\b`, (m, t) => {
    const plural = (m[1] as string).endsWith('s');
    // Without a count only the singular reads as one unit ("la última semana"); "los últimos días" says no number.
    if (m[2] === undefined && (plural || (m[3] as string).startsWith('dia'))) return null;
    return lastN(m[2] === undefined ? undefined : parseCount(m[2]), m[3] as string, t);
  }),
  // los 7 últimos días
  rule(`\\b(${NUMBER_RE}) ultim[oa]s (dias|semanas|meses|anos)\\b`, (m, t) => lastN(parseCount(m[1] as string), m[2] as string, t)),
  rule(`\\b(?:(?:esta|la presente|la actual) semana|lo que va de (?:la|esta) semana|semana (?:actual|en curso))\\b`, (_, t) => span(t.startOf('week'), t, 'esta semana')),
  rule(`\\b(?:semana (?:pasada|anterior)|pasada semana)\\b`, (_, t) => {
    const monday = t.startOf('week').minus({ weeks: 1 });
    return span(monday, monday.plus({ days: 6 }), 'la semana pasada');
  }),
  rule(`\\b(?:este mes|lo que va (?:del|de este) mes|mes (?:actual|en curso))\\b`, (_, t) => span(t.startOf('month'), t, 'este mes')),
  rule(`\\b(?:mes (?:pasado|anterior)|pasado mes)\\b`, (_, t) => {
    const last = t.minus({ months: 1 });
    const { from, to } = monthSpan(last.year, last.month);
    return span(from, to, 'el mes pasado');
  }),
  rule(`\\b(?:este trimestre|trimestre (?:actual|en curso))\\b`, (_, t) => span(t.startOf('quarter'), t, 'este trimestre')),
  rule(`\\b(?:trimestre (?:pasado|anterior)|pasado trimestre)\\b`, (_, t) => {
    const from = t.startOf('quarter').minus({ months: 3 });
    return span(from, from.endOf('quarter').startOf('day'), 'el trimestre pasado');
  }),
  rule(`\\b(?:este ano|lo que va (?:del|de este) ano|ano (?:actual|en curso))\\b`, (_, t) => span(t.startOf('year'), t, 'este año')),
  rule(`\\b(?:ano (?:pasado|anterior)|pasado ano)\\b`, (_, t) => {
    const from = t.startOf('year').minus({ years: 1 });
    return span(from, from.endOf('year').startOf('day'), 'el año pasado');
  }),
  // año 2024, en 2024, de 2024, or the text is just "2024"
  rule(`(?:\\b(?:ano|en|de|del|durante) |^)(\\d{4})${END}`, (m) => {
    const from = dayOf(Number(m[1]), 1, 1) as Day;
    return span(from, from.endOf('year').startOf('day'), `año ${m[1]}`);
  }),
  // the "1" of "del 1 al 15 de marzo" / "entre el 1 y el 15 de marzo"
  rule(`\\b(\\d{1,2}|primero)(?:ro|o|°)?(?= (?:y|hasta|al|a)\\b)`, (m) => {
    const day = m[1] === 'primero' ? 1 : Number(m[1]);
    return day >= 1 && day <= 31 ? { kind: 'dayOnly', day } : null;
  }),
];

/** Every date mention in `text` (already normalised), in reading order, none overlapping. */
export function findMentions(text: string, today: Day): Mention[] {
  const mentions: Mention[] = [];
  const taken = (start: number, end: number) => mentions.some((m) => start < m.end && m.start < end);
  for (const { re, make } of RULES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken(start, end)) continue;
      const found = make(m, today);
      if (found) mentions.push({ start, end, ...found } as Mention);
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

/** The whole month as a span, for a month mention whose year is known. */
export function monthMention(year: number, month: number): Span {
  return { ...monthSpan(year, month), label: formatMonth(year, month) };
}
