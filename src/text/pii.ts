import { CARD_MAX_DIGITS, CARD_MIN_DIGITS, cardLengthsAt } from './card.js';

/*
 * One linear scan: a single regex finds each maximal run of digits joined by single spaces or dashes
 * ("4111 1111 1111 1111", "8888-8888", "1718034567890"); each run is then judged in O(its length).
 * The regex cannot backtrack badly: every repetition consumes a digit.
 */
const RUN = /\d(?:[ -]?\d)*/g;

/** Spanish DNI / NIE check letters, indexed by the number mod 23. */
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/**
 * A context word that makes a bare 8-digit number a DNI, then up to 30 characters without digits. `*`
 * counts as a digit everywhere in the scan, so that masked text reads the same as the original did.
 */
const DNI_CONTEXT = /(?<![\p{L}\p{N}*])(?:d\.?n\.?i|n\.?i\.?[fe]|c[eé]dula|documento)(?![\p{L}\p{N}*])[^\p{N}*]{0,30}$/iu;
const CONTEXT_LOOKBACK = 48;

/** Digits kept visible at the end of a masked card. */
const KEPT = 4;
const DNI_DIGITS = 8;
const NIE_DIGITS = 7;

/** Scratch buffers reused across calls (the scan is synchronous, so never shared concurrently). */
let digits = new Uint8Array(256);
let groupEnd = new Int32Array(64);
/** Index of the run's last group that is not exactly four digits long (-1 when all are), set by `readRun`. */
let lastOddGroup = -1;
/** Luhn prefix sums: `evenDoubled[i]` sums digits 0..i-1 doubling those at even indexes; `oddDoubled` the odd ones. */
let evenDoubled = new Int32Array(257);
let oddDoubled = new Int32Array(257);

/** `2d` with its digits summed, as Luhn doubles. */
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
/** Letters, digits and `*` (a masked digit) join words: they cannot border a check letter or a prefix. */
const isWordLike = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}*]/u.test(ch);

/** Masks the digits of `text[from, to)` with `*`, keeping separators and letters. */
function maskDigits(text: string, from: number, to: number): string {
  return text.slice(from, to).replace(/\d/g, '*');
}

/** An IBAN written with its country code: the run is glued to two capital letters starting a word ("ES91 2100 …"). */
function isIbanBody(text: string, start: number): boolean {
  return start >= 2 && isUpper(text.charCodeAt(start - 1)) && isUpper(text.charCodeAt(start - 2)) && !isWordLike(text[start - 3]);
}

/** The check letter written right after an 8-digit run ("12345678Z", "12345678-Z", "12345678 Z"), if any. */
function letterAfter(text: string, end: number): string | undefined {
  const c = text[end];
  if (c !== undefined && /[A-Za-z]/.test(c) && !isWordLike(text[end + 1])) return c.toUpperCase();
  // After a separator only a capital counts: "12345678 y" is a number followed by the word "y".
  const l = text[end + 1];
  if ((c === ' ' || c === '-') && l !== undefined && /[A-Z]/.test(l) && !isWordLike(text[end + 2])) return l;
  return undefined;
}

/**
 * Masks payment card numbers and Spanish identity numbers in free text (call transcripts, emails), so
 * they never reach a model or a log. Pure and synchronous; the output has the same length as the input.
 *
 * **Cards.** A card is 13–19 digits, written plain or in groups joined by a single space or dash, with
 * a known brand prefix and a length that brand issues (Visa 4; Mastercard 51–55, 2221–2720; Amex 34, 37;
 * Discover 6011, 644–649, 65, 622126–622925; Diners 300–305, 36, 38–39; JCB 3528–3589; UnionPay 62;
 * Maestro 50, 56–69), and passing the Luhn check. Every digit but the last four becomes `*` and the
 * layout is kept: `4111 1111 1111 1111` → `**** **** **** 1111`, `4111111111111111` → `************1111`.
 * Inside a longer run of groups (a card read out next to its CVV or another number) the card is found
 * on group boundaries; a group is never split, so a plain run of 20 or more digits is never touched.
 *
 * **DNI / NIE.** An 8-digit number followed by its valid mod-23 check letter (`12345678Z`, `12345678-Z`)
 * or preceded by a context word (DNI, NIF, NIE, cédula, documento; within 30 characters) has its digits
 * masked: `********Z`, `DNI ********`. A NIE (`X1234567L`, valid letter) becomes `X*******L`. A bare
 * 8-digit number (a Costa Rica phone, an id) survives.
 *
 * **Left untouched:** epoch-millisecond timestamps and ticket ids (no brand, or not Luhn-valid), phone
 * numbers (too short), IBANs with their country code (`ES91 2100 0418 4502 0005 1332`) and account
 * numbers laid out as five or more groups of exactly four digits (`2100 0418 4502 0005 1332`).
 * Known gap of that last rule: a card followed by exactly one more 4-digit group is read as an account.
 *
 * Idempotent: `redactPii(redactPii(s)) === redactPii(s)`.
 */
export function redactPii(text: string): string {
  if (typeof text !== 'string') throw new TypeError(`redactPii expects a string, got ${typeof text}`);
  let out = '';
  let copied = 0;
  RUN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = RUN.exec(text)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    const groups = readRun(text, start, end);
    const total = groupEnd[groups - 1] as number;
    if (total < 7) continue;
    if (groups === 1 && (total === DNI_DIGITS ? isDni(text, start, end) : total === NIE_DIGITS && isNie(text, start, end))) {
      out += text.slice(copied, start) + '*'.repeat(total);
      copied = end;
      continue;
    }
    if (total < CARD_MIN_DIGITS || isIbanBody(text, start)) continue;
    prepareLuhn(total);
    // Text offset of digit `seen` of the run; only ever moves forward, so the run is walked once.
    let pos = start;
    let seen = 0;
    const offsetOf = (index: number): number => {
      while (seen < index) if (isDigit(text.charCodeAt(++pos))) seen++;
      return pos;
    };
    // After a card, carry on from its kept digits as if they began a new run: exactly what a second pass
    // over the output would see, which makes the function idempotent.
    let from = 0;
    let group = 0;
    while (total - from >= CARD_MIN_DIGITS && !isAccountLayout(from, group, groups)) {
      const card = findCard(from, group, groups);
      if (!card) break;
      // Digits before the first card read as a run of their own on a second pass: a DNI after its
      // context word ("DNI 12345678 4111 …") must be caught now too.
      if (from === 0 && card.start === DNI_DIGITS && groupEnd[0] === DNI_DIGITS && isDni(text, start, start + DNI_DIGITS)) {
        out += text.slice(copied, start) + '*'.repeat(DNI_DIGITS);
        copied = start + DNI_DIGITS;
      }
      const maskFrom = offsetOf(card.start);
      from = card.end - KEPT;
      const keepFrom = offsetOf(from);
      out += text.slice(copied, maskFrom) + maskDigits(text, maskFrom, keepFrom);
      copied = keepFrom;
      while ((groupEnd[group] as number) <= from) group++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Fills `digits` and `groupEnd` (digit index after each group) for the run `text[start, end)`; returns the group count. */
function readRun(text: string, start: number, end: number): number {
  if (digits.length < end - start) digits = new Uint8Array(Math.max(end - start, digits.length * 2));
  let n = 0;
  let groups = 0;
  let groupStart = 0;
  lastOddGroup = -1;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 32;
    if (isDigit(c)) {
      digits[n++] = c - 48;
      continue;
    }
    // A separator, or the run's end: close the group.
    if (groups === groupEnd.length) groupEnd = growInt32(groupEnd);
    if (n - groupStart !== 4) lastOddGroup = groups;
    groupEnd[groups++] = n;
    groupStart = n;
  }
  return groups;
}

/** Fills the Luhn prefix sums for the first `total` digits, so any window is checked in O(1). */
function prepareLuhn(total: number): void {
  if (evenDoubled.length <= total) {
    evenDoubled = new Int32Array(total + 1);
    oddDoubled = new Int32Array(total + 1);
  }
  for (let i = 0; i < total; i++) {
    const d = digits[i] as number;
    const twice = DOUBLED[d] as number;
    evenDoubled[i + 1] = (evenDoubled[i] as number) + (i % 2 === 0 ? twice : d);
    oddDoubled[i + 1] = (oddDoubled[i] as number) + (i % 2 === 0 ? d : twice);
  }
}

/** Luhn check of digits `[s, e)`: the last digit is not doubled, so index `j` is doubled when `j` and `e` share parity. */
function luhnWindow(s: number, e: number): boolean {
  const sums = e % 2 === 0 ? evenDoubled : oddDoubled;
  return ((sums[e] as number) - (sums[s] as number)) % 10 === 0;
}

function growInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * From digit `from` (inside group `group`) to the run's end: five or more groups of exactly four digits, a
 * bank account / IBAN body. O(1), so a run of many cards is not rescanned after each one.
 */
function isAccountLayout(from: number, group: number, groups: number): boolean {
  return groups - group >= 5 && (groupEnd[group] as number) - from === 4 && lastOddGroup <= group;
}

/**
 * The first card from digit `from` (inside group `group`), trying window starts on group boundaries left
 * to right and, at each start, the longest window ending on a group boundary first. Windows hold 13–19
 * digits and the window's far end only moves forward, so the search is linear in the run.
 */
function findCard(from: number, group: number, groups: number): { start: number; end: number } | undefined {
  let last = group;
  for (let g = group, s = from; g < groups; s = groupEnd[g++] as number) {
    if (last < g) last = g;
    while (last + 1 < groups && (groupEnd[last + 1] as number) - s <= CARD_MAX_DIGITS) last++;
    if ((groupEnd[last] as number) - s < CARD_MIN_DIGITS) continue;
    const lengths = cardLengthsAt(digits, s);
    if (lengths === 0) continue;
    for (let h = last; h >= g; h--) {
      const length = (groupEnd[h] as number) - s;
      if (length < CARD_MIN_DIGITS) break;
      if (length <= CARD_MAX_DIGITS && (lengths & (1 << length)) !== 0 && luhnWindow(s, s + length)) return { start: s, end: s + length };
    }
  }
  return undefined;
}

/** The 8-digit run at `text[start, end)` is a DNI: valid check letter after it, or a context word before it. */
function isDni(text: string, start: number, end: number): boolean {
  const letter = letterAfter(text, end);
  if (letter !== undefined && DNI_LETTERS[Number(text.slice(start, end)) % 23] === letter) return true;
  return DNI_CONTEXT.test(text.slice(Math.max(0, start - CONTEXT_LOOKBACK), start));
}

/** The 7-digit run is the body of a NIE: X, Y or Z starting a word before it and a valid check letter after it. */
function isNie(text: string, start: number, end: number): boolean {
  const prefix = 'XYZ'.indexOf(text[start - 1]?.toUpperCase() ?? '');
  if (prefix < 0 || isWordLike(text[start - 2])) return false;
  const letter = letterAfter(text, end);
  return letter !== undefined && DNI_LETTERS[Number(prefix + text.slice(start, end)) % 23] === letter;
}
