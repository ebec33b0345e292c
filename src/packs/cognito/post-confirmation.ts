import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoTrigger, CognitoTriggerContext, CognitoTriggerEvent } from '../../doors/cognito/types.js';
import { emailDomain, lookupByEmail, normalisedEmail } from './lookup.js';
import { httpUrl, positiveNumber, requiredString } from './options.js';
import { envRequired } from '../../core/env.js';

/** Options of {@link postConfirmation}. */
export interface PostConfirmationOptions {
  /** User pool of the groups; default the event's `userPoolId`. */
  userPoolId?: string;
  /**
   * The role resolver. Contract: `GET {roleResolverUrl}?email=<lower-cased email>` with header
   * `x-api-key`, answering `200` and `{ "role": "Supervisor" }`. The role is looked up in `groups` (exact
   * name first, then ignoring case). Any other status, a body that is not JSON, a missing or unknown role
   * all give `defaultRole`, with a warning in the log.
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
 * the role by email (see {@link PostConfirmationOptions.roleResolverUrl}; on any fault, or an unknown
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
export function postConfirmation(options: PostConfirmationOptions): CognitoTrigger {
  const owner = 'postConfirmation';
  const url = httpUrl(options.roleResolverUrl, owner, 'roleResolverUrl');
  const apiKey = requiredString(options.apiKey, owner, 'apiKey');
  const timeoutMs = positiveNumber(options.timeoutMs, 5000, owner, 'timeoutMs');
  const groups = options.groups ?? { Agent: 'Agent', Supervisor: 'Supervisor' };
  const defaultRole = options.defaultRole ?? 'Agent';
  if (!Object.hasOwn(groups, defaultRole)) throw new Error(`${owner}: "defaultRole" ${JSON.stringify(defaultRole)} is not a key of "groups" (${Object.keys(groups).join(', ')})`);
  let built: CognitoIdentityProviderClient | undefined;
  const client = (region: string | undefined): CognitoIdentityProviderClient => {
    if (typeof options.client === 'function') return options.client();
    if (options.client) return options.client;
    built ??= new CognitoIdentityProviderClient(region ? { region } : {});
    return built;
  };

  async function resolveRole(email: string | undefined, event: CognitoTriggerEvent, ctx: CognitoTriggerContext): Promise<string> {
    const fallback = (reason: string) => {
      ctx.logger.warn('postConfirmation: using the default role', { reason, defaultRole, userName: event.userName, emailDomain: emailDomain(email) });
      return defaultRole;
    };
    if (!email) return fallback('the event has no email attribute');
    const lookup = await lookupByEmail({ service: 'role resolver', url, apiKey, email, timeoutMs });
    if (!lookup.ok) return fallback(lookup.reason);
    const answered = typeof lookup.body === 'object' && lookup.body !== null ? (lookup.body as { role?: unknown }).role : undefined;
    const role = matchRole(groups, answered);
    if (!role) return fallback(answered === undefined ? 'the role resolver reply has no "role"' : `the role resolver answered an unknown role ${JSON.stringify(answered).slice(0, 100)}`);
    return role;
  }

  return {
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

/**
 * {@link postConfirmation} from `ROLE_RESOLVER_URL`, `ROLE_RESOLVER_API_KEY` and (optional) `USER_POOL_ID`
 * (`overrides` sets any other option, e.g. `client`); throws naming every missing variable.
 */
postConfirmation.fromEnv = function fromEnv(env: Record<string, string | undefined> = process.env, overrides: Partial<PostConfirmationOptions> = {}): CognitoTrigger {
  const vars = envRequired(env, 'postConfirmation.fromEnv', ['ROLE_RESOLVER_URL', 'ROLE_RESOLVER_API_KEY']);
  return postConfirmation({
    roleResolverUrl: vars.ROLE_RESOLVER_URL,
    apiKey: vars.ROLE_RESOLVER_API_KEY,
    ...(env.USER_POOL_ID?.trim() ? { userPoolId: env.USER_POOL_ID.trim() } : {}),
    ...overrides,
  });
};
