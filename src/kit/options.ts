// Checks of pack factory options, so a misconfigured Lambda fails at start-up, not on a call. Every
// message starts with the factory's name and names the option.

/** An absolute http(s) URL option, parsed; anything else throws naming `owner` and `name`. */
export function httpUrl(value: string | URL | undefined, owner: string, name: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value ?? '');
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`${owner}: "${name}" must be an absolute http(s) URL, got ${JSON.stringify(String(value ?? ''))}`);
  }
  return url;
}

/** A required non-empty string option (returned as given); missing or blank throws naming it. */
export function requiredString(value: string | undefined, owner: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${owner}: "${name}" is required`);
  return value;
}

/** Bounds of {@link positiveNumber}. */
export interface NumberRule {
  /** Smallest value accepted (inclusive); default: any number above 0. */
  min?: number;
  /** Only whole numbers. */
  integer?: boolean;
  /** Unit named in the message ("milliseconds"). */
  unit?: string;
}

/** A number option with its default: finite, above 0 (or ≥ `rule.min`), whole when asked; else throws naming it. */
export function positiveNumber(value: number | undefined, fallback: number, owner: string, name: string, rule: NumberRule = {}): number {
  const v = value ?? fallback;
  const { min, integer = false, unit } = rule;
  const ok = typeof v === 'number' && Number.isFinite(v) && (min === undefined ? v > 0 : v >= min) && (!integer || Number.isInteger(v));
  if (ok) return v;
  const expected = min === undefined ? `a positive ${integer ? 'integer' : 'number'}${unit ? ` of ${unit}` : ''}` : `a${integer ? 'n integer' : ' number'} ≥ ${min}`;
  throw new Error(`${owner}: "${name}" must be ${expected}, got ${String(value)}`);
}
