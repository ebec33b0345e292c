/**
 * Spanish words for dates: text normalisation, month names and numbers written in words.
 * Everything the date grammar matches is written here in its normalised form (lower case, no accents,
 * `ñ` → `n`, so "año" is "ano").
 */

/** Month names, January first, as they are written in labels. */
export const MONTH_NAMES = [
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio',
  'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre',
] as const;

// Normalised spelling → month number. "setiembre" is the usual spelling in Costa Rica.
const MONTHS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(MONTH_NAMES.map((name, i) => [name, i + 1])),
  setiembre: 9,
};

// Abbreviations are only trusted right after a day number ("3 feb"): alone, "mar" or "set" are words.
const MONTH_ABBREVIATIONS: Readonly<Record<string, number>> = {
  ene: 1, feb: 2, mar: 3, abr: 4, may: 5, jun: 6, jul: 7, ago: 8, sep: 9, sept: 9, set: 9, oct: 10, nov: 11, dic: 12,
};

const byLengthDesc = (words: string[]): string => [...words].sort((a, b) => b.length - a.length).join('|');

/** Regex source matching a full month name. */
export const MONTH_RE = `(?:${byLengthDesc(Object.keys(MONTHS))})`;
/** Regex source matching a full month name or its abbreviation (optionally followed by a dot). */
export const MONTH_OR_ABBR_RE = `(?:${byLengthDesc([...Object.keys(MONTHS), ...Object.keys(MONTH_ABBREVIATIONS)])})\\.?`;

/** Month number (1–12) of a normalised month name or abbreviation, else undefined. */
export function monthNumber(word: string): number | undefined {
  const w = word.replace(/\.$/, '');
  return MONTHS[w] ?? MONTH_ABBREVIATIONS[w];
}

/** Normalised weekday names, Monday first (luxon's weekday 1). */
export const WEEKDAYS = ['lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo'] as const;
/** Regex source matching a weekday name. */
export const WEEKDAY_RE = `(?:${WEEKDAYS.join('|')})`;

const UNITS: Readonly<Record<string, number>> = {
  un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9,
};
const TEENS: Readonly<Record<string, number>> = {
  diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15,
  dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19, veinte: 20,
};
const TENS: Readonly<Record<string, number>> = {
  treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
};
const UNITS_RE = byLengthDesc(Object.keys(UNITS));

/**
 * Regex source matching a count from 1 to 999 in digits, or from one to a hundred in words
 * ("siete", "veintiuno", "treinta y uno", "cien").
 */
export const NUMBER_RE =
  `(?:\\d{1,3}|(?:${byLengthDesc(Object.keys(TENS))})(?: y (?:${UNITS_RE}))?|veinti(?:${UNITS_RE})|cien|${byLengthDesc(Object.keys(TEENS))}|${UNITS_RE})`;

/** The value of a count matched by {@link NUMBER_RE}, else undefined. */
export function parseCount(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === 'cien') return 100;
  const simple = UNITS[text] ?? TEENS[text] ?? TENS[text];
  if (simple !== undefined) return simple;
  if (text.startsWith('veinti')) {
    const unit = UNITS[text.slice('veinti'.length)];
    return unit === undefined ? undefined : 20 + unit;
  }
  const [tens, unit] = text.split(' y ');
  const t = tens === undefined ? undefined : TENS[tens];
  const u = unit === undefined ? undefined : UNITS[unit];
  return t !== undefined && u !== undefined ? t + u : undefined;
}

/**
 * Lower case, accents and `ñ` folded (NFKD, so "1º" becomes "1o"), dashes unified, punctuation that
 * never belongs to a date turned into spaces, runs of spaces collapsed. Dots, slashes and hyphens stay:
 * they separate the parts of numeric dates.
 */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[^\p{L}\p{N}°\-/. ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
