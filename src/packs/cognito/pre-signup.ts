import type { CognitoTriggerContext, CognitoTriggerEvent } from '../../doors/cognito/types.js';
import { emailDomain, lookupByEmail, normalisedEmail } from './lookup.js';
import { lookupProbe, type ProbedCognitoTrigger } from './probe.js';
import { NOT_CONFIGURED } from '../../core/health.js';
import { httpUrl, positiveNumber, requiredString } from '../../kit/options.js';
import { envFlag, envRequired, type Env, type MissingEnvError } from '../../kit/env.js';

/** Options of {@link preSignup}. */
export interface PreSignupOptions {
  /**
   * The allowlist endpoint. Contract: `GET {allowlistUrl}?email=<lower-cased email>` with header
   * `x-api-key`, answering `200` and `{ "allowed": true }` for a person who may sign up. Any other status
   * or body refuses the sign-up.
   */
  allowlistUrl: string;
  /** Sent as `x-api-key`. */
  apiKey: string;
  /** Deadline of the allowlist call in ms (default 5000); Cognito itself gives a trigger 5 s. */
  timeoutMs?: number;
  /**
   * Confirm allowlisted self-service sign-ups (`PreSignUp_SignUp`) at once, without the code Cognito
   * would otherwise email (default false). Even then the email is **not** marked verified: being on the
   * allowlist proves the address may sign up, not that the person signing up owns it, so
   * `postConfirmation` keeps such a user at its default role until the email is verified.
   */
  autoConfirmSignUp?: boolean;
}

/** Messages the person signing up sees (Cognito shows them as "PreSignUp failed with error …"). */
export const SIGN_UP_MESSAGES = {
  noEmail: 'An email address is required to sign up.',
  notAllowed: 'This email address is not authorized to sign up. Please contact your administrator.',
  unavailable: 'Sign-up is not available right now. Please try again later.',
} as const;

/**
 * Thrown to block a sign-up. Its message is one of {@link SIGN_UP_MESSAGES}: safe to show the person,
 * with no URL, key or upstream text; the actual `reason` goes to the log only.
 */
export class SignUpBlockedError extends Error {
  readonly reason: string;
  constructor(message: string, reason: string) {
    super(message);
    this.name = 'SignUpBlockedError';
    this.reason = reason;
  }
}

/** The pre sign-up sources this trigger handles: self sign-up, first federated sign-in, admin creation. */
export const PRE_SIGNUP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser'] as const;

/**
 * A pre sign-up trigger that lets only allowlisted emails in, failing secure: the sign-up goes through
 * only when the allowlist answers exactly `200 { "allowed": true }` in time. Not allowed, a timeout, an
 * unreachable service, another status, a body that is not JSON or too large, `allowed` anything but the
 * boolean `true`, or no email at all: each throws {@link SignUpBlockedError}, which blocks the sign-up.
 *
 * What an allowed sign-up gets depends on who vouches for the email:
 * - `PreSignUp_SignUp` (self-service): nothing is auto-verified, since anyone can type any address
 *   (`Supervisor@Corp.Example` included); Cognito sends its code to the address, and only its owner can
 *   confirm. `autoConfirmUser` is set only with the {@link PreSignupOptions.autoConfirmSignUp} option.
 * - `PreSignUp_AdminCreateUser`: confirmed and email verified — an administrator vouches for it.
 * - `PreSignUp_ExternalProvider`: confirmed; the email is verified only when the identity provider says so
 *   (the mapped `email_verified` attribute is exactly `'true'`).
 *
 * All three pre sign-up sources are handled, because Cognito sends them all to the same function:
 * self-service `SignUp`, the first sign-in through an external IdP (`ExternalProvider`) and
 * `AdminCreateUser` (an administrator too can only create accounts for allowlisted emails). Registering
 * fewer would make the router refuse the others, which blocks them just the same.
 *
 * The email is trimmed and lower-cased for the check only: Cognito takes only `response` back from a
 * pre sign-up trigger, so rewriting `request.userAttributes` would not change the stored address. To
 * match addresses case-insensitively at sign-in, create the pool with case-insensitive usernames.
 */
export function preSignup(options: PreSignupOptions): ProbedCognitoTrigger {
  const owner = 'preSignup';
  const url = httpUrl(options.allowlistUrl, owner, 'allowlistUrl');
  const apiKey = requiredString(options.apiKey, owner, 'apiKey');
  const timeoutMs = positiveNumber(options.timeoutMs, 5000, owner, 'timeoutMs', { unit: 'milliseconds' });
  const autoConfirmSignUp = options.autoConfirmSignUp === true;

  const block = (ctx: CognitoTriggerContext, event: CognitoTriggerEvent, message: string, reason: string, email?: string): never => {
    ctx.logger.warn('preSignup: sign-up blocked', { reason, triggerSource: event.triggerSource, userName: event.userName, emailDomain: emailDomain(email) });
    throw new SignUpBlockedError(message, reason);
  };

  return {
    probe: lookupProbe('allowlist', url, apiKey, timeoutMs),
    triggerSources: PRE_SIGNUP_SOURCES,
    async handle(event, ctx) {
      const email = normalisedEmail(event.request?.userAttributes);
      if (!email) return block(ctx, event, SIGN_UP_MESSAGES.noEmail, 'the event has no email attribute');
      const lookup = await lookupByEmail({ service: 'allowlist', url, apiKey, email, timeoutMs });
      if (!lookup.ok) return block(ctx, event, SIGN_UP_MESSAGES.unavailable, lookup.reason, email);
      const allowed = typeof lookup.body === 'object' && lookup.body !== null && (lookup.body as { allowed?: unknown }).allowed === true;
      if (!allowed) return block(ctx, event, SIGN_UP_MESSAGES.notAllowed, 'the allowlist did not answer { "allowed": true }', email);
      const response = allowedResponse(event, autoConfirmSignUp);
      ctx.logger.info('preSignup: sign-up allowed', { triggerSource: event.triggerSource, userName: event.userName, emailDomain: emailDomain(email), ...response });
      return { ...event, response: { ...event.response, ...response } };
    },
  };
}

/** The response fields of an allowed sign-up: the email is verified only where it is already proven. */
function allowedResponse(event: CognitoTriggerEvent, autoConfirmSignUp: boolean): { autoConfirmUser: boolean; autoVerifyEmail: boolean } {
  switch (event.triggerSource) {
    case 'PreSignUp_AdminCreateUser':
      return { autoConfirmUser: true, autoVerifyEmail: true };
    case 'PreSignUp_ExternalProvider':
      return { autoConfirmUser: true, autoVerifyEmail: event.request?.userAttributes?.email_verified === 'true' };
    default:
      return { autoConfirmUser: autoConfirmSignUp, autoVerifyEmail: false };
  }
}

/** The trigger `fromEnv` gives when variables are missing: it blocks every sign-up, as an unreachable allowlist would. */
function unconfigured(missing: MissingEnvError): ProbedCognitoTrigger {
  return {
    probe: () => NOT_CONFIGURED,
    triggerSources: PRE_SIGNUP_SOURCES,
    async handle(event, ctx) {
      ctx.logger.error('preSignup: sign-up blocked: the trigger is not configured', { reason: missing.message, missing: missing.variables, triggerSource: event.triggerSource, userName: event.userName });
      throw new SignUpBlockedError(SIGN_UP_MESSAGES.unavailable, missing.message);
    },
  };
}

/**
 * {@link preSignup} from `ALLOWLIST_URL` and `ALLOWLIST_API_KEY` (trimmed), and
 * `PRESIGNUP_AUTO_CONFIRM` (`true` sets {@link PreSignupOptions.autoConfirmSignUp}); `overrides` sets any
 * other option. When a required variable is missing the trigger is still created and fails secure: every
 * sign-up is blocked with {@link SIGN_UP_MESSAGES}`.unavailable`, the error's `reason` and an error log
 * line naming the missing variables.
 */
preSignup.fromEnv = function fromEnv(env: Env = process.env, overrides: Partial<PreSignupOptions> = {}): ProbedCognitoTrigger {
  const vars = envRequired(env, 'preSignup.fromEnv', ['ALLOWLIST_URL', 'ALLOWLIST_API_KEY']);
  if (vars.missing) return unconfigured(vars.missing);
  return preSignup({
    allowlistUrl: vars.values.ALLOWLIST_URL,
    apiKey: vars.values.ALLOWLIST_API_KEY,
    autoConfirmSignUp: envFlag(env, 'PRESIGNUP_AUTO_CONFIRM', false),
    ...overrides,
  });
};
