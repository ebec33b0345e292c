/** Environment variables as `process.env` holds them. */
export type Env = Record<string, string | undefined>;

const TRUE = /^(true|1|yes|si|sí|on)$/i;
const FALSE = /^(false|0|no|off)$/i;

/** The trimmed value, or undefined when unset or blank. */
export function envString(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

/**
 * A yes/no setting. Only a recognised word flips the default (`true/1/yes/sí/on` or `false/0/no/off`),
 * so a typo never turns a safety default (such as a role check) off.
 */
export function envFlag(env: Env, name: string, fallback: boolean): boolean {
  const value = envString(env, name);
  if (value === undefined) return fallback;
  return fallback ? !FALSE.test(value) : TRUE.test(value);
}

/** A positive integer, or undefined when unset; anything else throws an Error naming the variable. */
export function envPositiveInt(env: Env, name: string): number | undefined {
  const value = envString(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

/** A comma-separated list, or undefined when unset or empty. */
export function envList(env: Env, name: string): string[] | undefined {
  const items = envString(env, name)?.split(',').map((s) => s.trim()).filter(Boolean);
  return items?.length ? items : undefined;
}

/** Reads required variables, throwing once with every missing name (so a cold start says all at once). */
export function envRequired<K extends string>(env: Env, owner: string, names: readonly K[]): Record<K, string> {
  const missing = names.filter((n) => envString(env, n) === undefined);
  if (missing.length) throw new Error(`${owner}: missing environment variable(s) ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, (env[n] as string).trim()])) as Record<K, string>;
}
