import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoTriggerContext, CognitoTriggerEvent } from '../../doors/cognito/types.js';
import { emailDomain, lookupByEmail, normalisedEmail } from './lookup.js';
import { lookupProbe, type ProbedCognitoTrigger } from './probe.js';
import { NOT_CONFIGURED } from '../../core/health.js';
import { httpUrl, positiveNumber, requiredString } from '../../kit/options.js';
import { envRequired, envString, type Env, type MissingEnvError } from '../../kit/env.js';
import { clientGetter } from '../../kit/clients.js';
import { DEFAULT_ROLES } from '../../kit/roles.js';

/** Options of {@link postConfirmation}. */
export interface PostConfirmationOptions {
  /** User pool of the groups; default the event's `userPoolId`. */
  userPoolId?: string;
  /**
   * The role resolver. Contract: `GET {roleResolverUrl}?email=<lower-cased email>` with header
   * `x-api-key`, answering `200` and `{ "role": "Supervisor" }`. The role is looked up in `groups` (exact
   * name first, then ignoring case). Any other status, a body that is not JSON, a missing or unknown role
   * all give `defaultRole`, with a warning in the log. The resolver is asked only for a user whose email
   * is verified (`email_verified` exactly `'true'`); anyone else gets `defaultRole` without a lookup.
   */
  roleResolverUrl: string;
  /** Sent as `x-api-key`. */
  apiKey: string;
  /** Cognito client, or a function returning one; default a client for the pool's region, built at first use. */
  client?: CognitoIdentityProviderClient | (() => CognitoIdentityProviderClient);
  /** Region of the default client; default the event's `region`. */
  region?: string;
  /** Role given when the resolver cannot say (default `'Agent'`); must be a key of `groups`. */
  defaultRole?: string;
  /** Role → Cognito group name (default `{ Agent: 'Agent', Supervisor: 'Supervisor' }`). */
  groups?: Record<string, string>;
  /** Deadline of the resolver call in ms (default 5000). */
  timeoutMs?: number;
}

/** The message a person sees when the group could not be set (the account itself is confirmed). */
export const GROUP_FAILED_MESSAGE = 'Your account was confirmed, but its access could not be set up. Please contact support.';

/** The post confirmation sources this trigger handles. */
export const POST_CONFIRMATION_SOURCES = ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'] as const;

function matchRole(groups: Record<string, string>, role: unknown): string | undefined {
  if (typeof role !== 'string') return undefined;
  if (Object.hasOwn(groups, role)) return role;
  const lower = role.trim().toLowerCase();
  return Object.keys(groups).find((name) => name.toLowerCase() === lower);
}

/**
 * A post confirmation trigger that puts each newly confirmed person in the Cognito group of their role.
 *
 * On `PostConfirmation_ConfirmSignUp` (which also runs for a federated user's first sign-in) it resolves
 * the role by email — only when `email_verified` is `'true'`; an unverified email always gets
 * `defaultRole`, so nobody earns a role by signing up with someone else's address — (see {@link PostConfirmationOptions.roleResolverUrl}; on any fault, or an unknown
 * role, `defaultRole` with a warning) and calls AdminAddUserToGroup with `event.userName` — not the email:
 * federated users' names are like `Google_1177…` — and the group mapped from the role. The event is
 * returned unchanged (this trigger has no response fields).
 *
 * On `PostConfirmation_ConfirmForgotPassword` it does nothing: resetting a password must not change
 * anyone's groups. It is registered anyway because Cognito sends both sources to the same function.
 *
 * When AdminAddUserToGroup itself fails, the error is logged and a {@link GROUP_FAILED_MESSAGE} error is
 * thrown. The account is already confirmed by then and Cognito will not run this trigger for it again,
 * so the person sees a message telling them to ask for help instead of a sign-in that silently grants
 * no role; an administrator adds the group by hand (the log names the user and group). The SDK's own
 * retries already covered throttling and transient faults.
 */
export function postConfirmation(options: PostConfirmationOptions): ProbedCognitoTrigger {
  const owner = 'postConfirmation';
  const url = httpUrl(options.roleResolverUrl, owner, 'roleResolverUrl');
  const apiKey = requiredString(options.apiKey, owner, 'apiKey');
  const timeoutMs = positiveNumber(options.timeoutMs, 5000, owner, 'timeoutMs', { unit: 'milliseconds' });
  const groups = options.groups ?? Object.fromEntries(DEFAULT_ROLES.map((role) => [role, role]));
  const defaultRole = options.defaultRole ?? (DEFAULT_ROLES[0] as string);
  if (!Object.hasOwn(groups, defaultRole)) throw new Error(`${owner}: "defaultRole" ${JSON.stringify(defaultRole)} is not a key of "groups" (${Object.keys(groups).join(', ')})`);
  const client = clientGetter(options.client, (region: string | undefined) => new CognitoIdentityProviderClient(region ? { region } : {}));

  async function resolveRole(email: string | undefined, event: CognitoTriggerEvent, ctx: CognitoTriggerContext): Promise<string> {
    const fallback = (reason: string) => {
      ctx.logger.warn('postConfirmation: using the default role', { reason, defaultRole, userName: event.userName, emailDomain: emailDomain(email) });
      return defaultRole;
    };
    if (!email) return fallback('the event has no email attribute');
    // The role follows the email, so only a proven email may earn more than the default: an unverified
    // one may belong to someone else (a self-service sign-up can type any address, in any case).
    if (event.request?.userAttributes?.email_verified !== 'true') return fallback('the email is not verified (email_verified is not "true")');
    const lookup = await lookupByEmail({ service: 'role resolver', url, apiKey, email, timeoutMs });
    if (!lookup.ok) return fallback(lookup.reason);
    const answered = typeof lookup.body === 'object' && lookup.body !== null ? (lookup.body as { role?: unknown }).role : undefined;
    const role = matchRole(groups, answered);
    if (!role) return fallback(answered === undefined ? 'the role resolver reply has no "role"' : `the role resolver answered an unknown role ${JSON.stringify(answered).slice(0, 100)}`);
    return role;
  }

  return {
    probe: lookupProbe('role resolver', url, apiKey, timeoutMs),
    triggerSources: POST_CONFIRMATION_SOURCES,
    async handle(event, ctx) {
      if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') {
        ctx.logger.debug('postConfirmation: nothing to do', { triggerSource: event.triggerSource, userName: event.userName });
        return event;
      }
      const email = normalisedEmail(event.request?.userAttributes);
      const role = await resolveRole(email, event, ctx);
      const groupName = groups[role] as string;
      const userPoolId = options.userPoolId ?? event.userPoolId;
      try {
        await client(options.region ?? event.region).send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: event.userName, GroupName: groupName }));
      } catch (error) {
        ctx.logger.error('postConfirmation: AdminAddUserToGroup failed; add the user to the group by hand', { userPoolId, userName: event.userName, groupName, error });
        throw new Error(GROUP_FAILED_MESSAGE);
      }
      ctx.logger.info('postConfirmation: user added to group', { userName: event.userName, role, groupName });
      return event;
    },
  };
}

/** The trigger `fromEnv` gives when variables are missing: no group is granted, the person is told to ask for help. */
function unconfigured(missing: MissingEnvError): ProbedCognitoTrigger {
  return {
    probe: () => NOT_CONFIGURED,
    triggerSources: POST_CONFIRMATION_SOURCES,
    async handle(event, ctx) {
      if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
      ctx.logger.error('postConfirmation: no group granted: the trigger is not configured; add the user to a group by hand', { reason: missing.message, missing: missing.variables, userPoolId: event.userPoolId, userName: event.userName });
      throw new Error(GROUP_FAILED_MESSAGE, { cause: missing });
    },
  };
}

/**
 * {@link postConfirmation} from `ROLE_RESOLVER_URL`, `ROLE_RESOLVER_API_KEY` and (optional) `USER_POOL_ID`,
 * trimmed (`overrides` sets any other option, e.g. `client`). When a required variable is missing the
 * trigger is still created and fails secure: a confirmed sign-up gets no group, an error log line names
 * the missing variables, and the person sees {@link GROUP_FAILED_MESSAGE} (the error's `cause` names them
 * too); a confirmed password reset passes unchanged, as with the configured trigger.
 */
postConfirmation.fromEnv = function fromEnv(env: Env = process.env, overrides: Partial<PostConfirmationOptions> = {}): ProbedCognitoTrigger {
  const vars = envRequired(env, 'postConfirmation.fromEnv', ['ROLE_RESOLVER_URL', 'ROLE_RESOLVER_API_KEY']);
  if (vars.missing) return unconfigured(vars.missing);
  const userPoolId = envString(env, 'USER_POOL_ID');
  return postConfirmation({
    roleResolverUrl: vars.values.ROLE_RESOLVER_URL,
    apiKey: vars.values.ROLE_RESOLVER_API_KEY,
    ...(userPoolId ? { userPoolId } : {}),
    ...overrides,
  });
};
