import { ActionError } from '../core/errors.js';

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

/**
 * Thrown by every call of a handler whose `fromEnv` lacked required variables: a 503 (`NOT_CONFIGURED`)
 * whose message names each missing variable, e.g. `kbIngest.fromEnv: missing environment variable(s)
 * S3_BUCKET, KB_ID`. The handler itself is still created, so one pack's missing settings never break
 * another handler defined in the same module.
 */
export class MissingEnvError extends ActionError {
  /** The variables that were unset or blank. */
  readonly variables: readonly string[];
  constructor(owner: string, variables: readonly string[]) {
    super(503, `${owner}: missing environment variable(s) ${variables.join(', ')}`, { code: 'NOT_CONFIGURED', details: { missing: [...variables] } });
    this.variables = variables;
  }
}

/** What {@link envRequired} found: every required value (trimmed), or the error naming the missing ones. */
export type RequiredEnv<K extends string> = { values: Record<K, string>; missing?: undefined } | { values?: undefined; missing: MissingEnvError };

/**
 * Reads required variables, trimmed. When any is unset or blank, returns a {@link MissingEnvError}
 * naming every one of them (so the first failure says all at once) instead of throwing: `fromEnv`
 * creates its handler anyway and fails each call with it.
 */
export function envRequired<K extends string>(env: Env, owner: string, names: readonly K[]): RequiredEnv<K> {
  const missing = names.filter((n) => envString(env, n) === undefined);
  if (missing.length) return { missing: new MissingEnvError(owner, missing) };
  return { values: Object.fromEntries(names.map((n) => [n, envString(env, n) as string])) as Record<K, string> };
}
