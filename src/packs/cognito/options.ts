// Checks of the trigger factories' options, so a misconfigured Lambda fails at start-up, not per sign-up.

/** Validates an http(s) URL option. */
export function httpUrl(value: string | undefined, owner: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value ?? '');
  } catch {
    throw new Error(`${owner}: "${name}" must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${owner}: "${name}" must be an absolute http(s) URL`);
  return url;
}

/** Validates a required non-empty string option. */
export function requiredString(value: string | undefined, owner: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${owner}: "${name}" is required`);
  return value;
}

/** Validates a positive number option, with its default. */
export function positiveNumber(value: number | undefined, fallback: number, owner: string, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${owner}: "${name}" must be a positive number of milliseconds, got ${String(value)}`);
  return v;
}
