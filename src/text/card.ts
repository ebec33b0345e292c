/**
 * Payment card recognition: brand prefixes with their allowed lengths, and the Luhn check.
 * Works on digit values (0–9) held in a buffer, so the PII scanner can test windows without slicing strings.
 */

/** A card brand: inclusive prefix ranges (compared on as many leading digits as the bound has) and lengths. */
interface Brand {
  readonly name: string;
  readonly prefixes: readonly (readonly [low: number, high: number, digits: number])[];
  readonly minLength: number;
  readonly maxLength: number;
  /** When set, only these lengths (Visa: 13, 16, 19). */
  readonly lengths?: readonly number[];
}

const BRANDS: readonly Brand[] = [
  { name: 'visa', prefixes: [[4, 4, 1]], minLength: 13, maxLength: 19, lengths: [13, 16, 19] },
  { name: 'mastercard', prefixes: [[51, 55, 2], [2221, 2720, 4]], minLength: 16, maxLength: 16 },
  { name: 'amex', prefixes: [[34, 34, 2], [37, 37, 2]], minLength: 15, maxLength: 15 },
  { name: 'discover', prefixes: [[6011, 6011, 4], [644, 649, 3], [65, 65, 2], [622126, 622925, 6]], minLength: 16, maxLength: 19 },
  { name: 'diners', prefixes: [[300, 305, 3], [36, 36, 2], [38, 39, 2]], minLength: 14, maxLength: 19 },
  { name: 'jcb', prefixes: [[3528, 3589, 4]], minLength: 16, maxLength: 19 },
  { name: 'unionpay', prefixes: [[62, 62, 2]], minLength: 16, maxLength: 19 },
  { name: 'maestro', prefixes: [[50, 50, 2], [56, 69, 2]], minLength: 12, maxLength: 19 },
];

/** Shortest and longest card numbers considered (ISO/IEC 7812 PANs the brands above issue). */
export const CARD_MIN_DIGITS = 13;
export const CARD_MAX_DIGITS = 19;

/** The number formed by `count` digits of `digits` from `start`. */
function leading(digits: ArrayLike<number>, start: number, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) n = n * 10 + (digits[start + i] as number);
  return n;
}

/**
 * The brand of the `length` digits at `start`, or `undefined` when no listed brand issues a number with
 * that prefix and length.
 */
export function cardBrandAt(digits: ArrayLike<number>, start: number, length: number): string | undefined {
  for (const brand of BRANDS) {
    if (length < brand.minLength || length > brand.maxLength) continue;
    if (brand.lengths && !brand.lengths.includes(length)) continue;
    for (const [low, high, count] of brand.prefixes) {
      const p = leading(digits, start, count);
      if (p >= low && p <= high) return brand.name;
    }
  }
  return undefined;
}

function lengthBits(brand: Brand): number {
  let bits = 0;
  for (let l = brand.minLength; l <= brand.maxLength; l++) if (!brand.lengths || brand.lengths.includes(l)) bits |= 1 << l;
  return bits;
}

/**
 * Brand prefixes indexed by their first two digits: the length bits settled by those two digits, and
 * the longer prefixes still to compare (2221–2720, 6011, 644–649, 622126–622925, 300–305, 3528–3589).
 */
const BY_TWO_DIGITS = Array.from({ length: 100 }, (_, two) => {
  let bits = 0;
  const longer: [low: number, high: number, digits: number, bits: number][] = [];
  for (const brand of BRANDS) {
    for (const [low, high, count] of brand.prefixes) {
      const scale = 10 ** Math.abs(count - 2);
      // The two-digit span the range covers.
      const [lo2, hi2] = count >= 2 ? [Math.floor(low / scale), Math.floor(high / scale)] : [low * 10, low * 10 + 9];
      if (two < lo2 || two > hi2) continue;
      if (count <= 2) bits |= lengthBits(brand);
      else longer.push([low, high, count, lengthBits(brand)]);
    }
  }
  return { bits, longer };
});

/**
 * The card lengths some brand issues with the prefix at `start`, as a bit set (`1 << length`); 0 when no
 * brand has that prefix. Reads up to 6 digits from `start` (callers check windows of 13 or more).
 */
export function cardLengthsAt(digits: ArrayLike<number>, start: number): number {
  const entry = BY_TWO_DIGITS[(digits[start] as number) * 10 + (digits[start + 1] as number)] as (typeof BY_TWO_DIGITS)[number];
  let bits = entry.bits;
  for (const [low, high, count, more] of entry.longer) {
    const p = leading(digits, start, count);
    if (p >= low && p <= high) bits |= more;
  }
  return bits;
}

/** Luhn (mod 10) check of the `length` digits at `start`. */
export function luhnValidAt(digits: ArrayLike<number>, start: number, length: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = start + length - 1; i >= start; i--) {
    let d = digits[i] as number;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function toDigits(number: string): number[] | undefined {
  const digits = number.replace(/[ -]/g, '');
  return /^\d+$/.test(digits) ? [...digits].map(Number) : undefined;
}

/** Luhn check of a number written with optional spaces or dashes. */
export function luhnValid(number: string): boolean {
  const digits = toDigits(number);
  return digits !== undefined && luhnValidAt(digits, 0, digits.length);
}

/**
 * The brand of a card number written with optional spaces or dashes when it is one this library masks:
 * 13–19 digits, a known brand prefix and length, and Luhn-valid. `undefined` otherwise.
 */
export function cardBrand(number: string): string | undefined {
  const digits = toDigits(number);
  if (!digits || digits.length < CARD_MIN_DIGITS || digits.length > CARD_MAX_DIGITS) return undefined;
  const brand = cardBrandAt(digits, 0, digits.length);
  return brand && luhnValidAt(digits, 0, digits.length) ? brand : undefined;
}
