import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { delay, http, HttpResponse, type HttpResponseResolver } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRouter } from '../../../src/router.js';
import { GROUP_FAILED_MESSAGE, postConfirmation, preSignup, SIGN_UP_MESSAGES, SignUpBlockedError } from '../../../src/packs/cognito/index.js';
import { lambdaContext } from '../../../src/testing/index.js';
import { memoryLogger } from '../../support/logger.js';
import { POOL_ID, postConfirmationEvent, preSignUpEvent, preSignUpExternalEvent } from './events.js';

const ALLOWLIST_URL = 'https://allowlist.example.test/v1/allowed';
const ALLOWLIST_KEY = 'allowlist-secret-key';
const RESOLVER_URL = 'https://roles.example.test/v1/role';
const RESOLVER_KEY = 'resolver-secret-key';
const COGNITO_URL = 'https://cognito-idp.us-east-1.amazonaws.com/';

type Seen = { url: URL; apiKey: string | null };
const allowlistCalls: Seen[] = [];
const resolverCalls: Seen[] = [];
const cognitoCalls: { target: string | null; contentType: string | null; body: unknown }[] = [];
let allowlistReply: HttpResponseResolver = () => HttpResponse.json({ allowed: true });
let resolverReply: HttpResponseResolver = () => HttpResponse.json({ role: 'Supervisor' });
let cognitoReply: () => Response = () => new HttpResponse('{}', { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } });

const mock = setupServer(
  http.get(ALLOWLIST_URL, (info) => {
    allowlistCalls.push({ url: new URL(info.request.url), apiKey: info.request.headers.get('x-api-key') });
    return allowlistReply(info);
  }),
  http.get(RESOLVER_URL, (info) => {
    resolverCalls.push({ url: new URL(info.request.url), apiKey: info.request.headers.get('x-api-key') });
    return resolverReply(info);
  }),
  http.post(COGNITO_URL, async ({ request }) => {
    cognitoCalls.push({ target: request.headers.get('x-amz-target'), contentType: request.headers.get('content-type'), body: await request.json() });
    return cognitoReply();
  }),
);

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterAll(() => mock.close());
beforeEach(() => {
  allowlistCalls.length = 0;
  resolverCalls.length = 0;
  cognitoCalls.length = 0;
  allowlistReply = () => HttpResponse.json({ allowed: true });
  resolverReply = () => HttpResponse.json({ role: 'Supervisor' });
  cognitoReply = () => new HttpResponse('{}', { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' } });
});
afterEach(() => mock.resetHandlers());

function context() {
  const log = memoryLogger();
  return { ctx: { requestId: 'req-1', logger: log.logger }, log };
}

const cognitoClient = () => new CognitoIdentityProviderClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 1 });
const gate = (timeoutMs?: number) => preSignup({ allowlistUrl: ALLOWLIST_URL, apiKey: ALLOWLIST_KEY, ...(timeoutMs ? { timeoutMs } : {}) });
const groups = (timeoutMs?: number) => postConfirmation({ roleResolverUrl: RESOLVER_URL, apiKey: RESOLVER_KEY, client: cognitoClient, ...(timeoutMs ? { timeoutMs } : {}) });

describe('preSignup', () => {
  it('lets an allowlisted self-service sign-up through unconfirmed and unverified, checking the lower-cased email', async () => {
    const event = preSignUpEvent();
    const { ctx } = context();

    const reply = await gate().handle(event, ctx);

    // Cognito then emails its code: only the owner of the address can confirm it.
    expect(reply).toEqual({ ...preSignUpEvent(), response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false } });
    expect(allowlistCalls).toHaveLength(1);
    expect(allowlistCalls[0]!.apiKey).toBe(ALLOWLIST_KEY);
    expect(`${allowlistCalls[0]!.url.origin}${allowlistCalls[0]!.url.pathname}`).toBe(ALLOWLIST_URL);
    expect(Object.fromEntries(allowlistCalls[0]!.url.searchParams)).toEqual({ email: 'ana.perez@example.com' });
    // The request attributes are left as Cognito sent them (it reads only the response back).
    expect(reply.request.userAttributes.email).toBe('  Ana.Perez@Example.COM ');
  });

  it('encodes the email in the query', async () => {
    await gate().handle(preSignUpEvent({ userAttributes: { email: 'Ana+Support@Example.com' } }), context().ctx);
    expect(allowlistCalls[0]!.url.search).toBe('?email=ana%2Bsupport%40example.com');
  });

  it('handles the three pre sign-up sources', async () => {
    expect(gate().triggerSources).toEqual(['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser']);
    const federated = await gate().handle(preSignUpExternalEvent(), context().ctx);
    // The IdP did not vouch for the email (email_verified "false"), so neither do we.
    expect(federated.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(Object.fromEntries(allowlistCalls[0]!.url.searchParams)).toEqual({ email: 'luis@example.com' });
  });

  it('verifies the email only where it is already proven: admin creation, or an IdP that says so', async () => {
    const admin = await gate().handle(preSignUpEvent({ triggerSource: 'PreSignUp_AdminCreateUser', userAttributes: { email: 'nuevo@example.com' } }), context().ctx);
    expect(admin.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
    const verifiedIdp = await gate().handle(preSignUpEvent({ triggerSource: 'PreSignUp_ExternalProvider', userName: 'Google_1', userAttributes: { email: 'luis@example.com', email_verified: 'true' } }), context().ctx);
    expect(verifiedIdp.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
    for (const claim of ['True', '1', 'yes', '']) {
      const other = await gate().handle(preSignUpEvent({ triggerSource: 'PreSignUp_ExternalProvider', userName: 'Google_2', userAttributes: { email: 'luis@example.com', email_verified: claim } }), context().ctx);
      expect(other.response.autoVerifyEmail).toBe(false);
    }
  });

  it('auto-confirms a self-service sign-up only with autoConfirmSignUp, and never verifies its email', async () => {
    const trigger = preSignup({ allowlistUrl: ALLOWLIST_URL, apiKey: ALLOWLIST_KEY, autoConfirmSignUp: true });
    const reply = await trigger.handle(preSignUpEvent(), context().ctx);
    expect(reply.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
    const fromEnv = await preSignup.fromEnv({ ALLOWLIST_URL, ALLOWLIST_API_KEY: 'k', PRESIGNUP_AUTO_CONFIRM: ' true ' }).handle(preSignUpEvent(), context().ctx);
    expect(fromEnv.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  const faults: [string, HttpResponseResolver, string][] = [
    ['allowed: false', () => HttpResponse.json({ allowed: false }), SIGN_UP_MESSAGES.notAllowed],
    ['allowed: "true" (a string)', () => HttpResponse.json({ allowed: 'true' }), SIGN_UP_MESSAGES.notAllowed],
    ['allowed: 1', () => HttpResponse.json({ allowed: 1 }), SIGN_UP_MESSAGES.notAllowed],
    ['no allowed field', () => HttpResponse.json({ email: 'ana.perez@example.com' }), SIGN_UP_MESSAGES.notAllowed],
    ['a JSON null', () => HttpResponse.json(null), SIGN_UP_MESSAGES.notAllowed],
    ['a JSON array', () => HttpResponse.json([{ allowed: true }]), SIGN_UP_MESSAGES.notAllowed],
    ['a body that is not JSON', () => HttpResponse.text('allowed'), SIGN_UP_MESSAGES.unavailable],
    ['truncated JSON', () => new HttpResponse('{"allowed": tr', { headers: { 'content-type': 'application/json' } }), SIGN_UP_MESSAGES.unavailable],
    ['an empty 200', () => new HttpResponse(null, { status: 200 }), SIGN_UP_MESSAGES.unavailable],
    ['a 201 saying allowed', () => HttpResponse.json({ allowed: true }, { status: 201 }), SIGN_UP_MESSAGES.unavailable],
    ['a 403 saying allowed', () => HttpResponse.json({ allowed: true }, { status: 403 }), SIGN_UP_MESSAGES.unavailable],
    ['a 404', () => HttpResponse.json({ message: 'no such email' }, { status: 404 }), SIGN_UP_MESSAGES.unavailable],
    ['a 500 leaking internals', () => HttpResponse.text('db password=hunter2 at allowlist.internal:5432', { status: 500 }), SIGN_UP_MESSAGES.unavailable],
    ['a reply over 16 KiB', () => HttpResponse.json({ allowed: true, padding: 'x'.repeat(20_000) }), SIGN_UP_MESSAGES.unavailable],
    ['an unreachable service', () => HttpResponse.error(), SIGN_UP_MESSAGES.unavailable],
    [
      'no answer within the timeout',
      async () => {
        await delay('infinite');
        return HttpResponse.json({ allowed: true });
      },
      SIGN_UP_MESSAGES.unavailable,
    ],
  ];

  it.each(faults)('blocks on %s, with a message safe to show', async (_name, reply, message) => {
    allowlistReply = reply;
    const { ctx, log } = context();

    const error = await gate(200).handle(preSignUpEvent(), ctx).then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(SignUpBlockedError);
    expect((error as Error).message).toBe(message);
    expect(allowlistCalls).toHaveLength(1);
    const warning = log.lines.find((l) => l.message === 'preSignup: sign-up blocked');
    expect(warning).toMatchObject({ level: 'warn', triggerSource: 'PreSignUp_SignUp', userName: 'ana.perez', emailDomain: 'example.com', reason: expect.any(String) });
    expect(log.text()).not.toContain(ALLOWLIST_KEY);
    expect(log.text()).not.toContain('ana.perez@example.com');
  });

  it('names the fault in the log (not to the person)', async () => {
    allowlistReply = () => HttpResponse.text('oops', { status: 503 });
    const { ctx, log } = context();
    await expect(gate().handle(preSignUpEvent(), ctx)).rejects.toThrow(SIGN_UP_MESSAGES.unavailable);
    expect(log.lines.find((l) => l.message === 'preSignup: sign-up blocked')?.reason).toBe('the allowlist answered HTTP 503');
  });

  it('reports a timeout in the log with its deadline', async () => {
    allowlistReply = async () => {
      await delay('infinite');
      return HttpResponse.json({ allowed: true });
    };
    const { ctx, log } = context();
    await expect(gate(100).handle(preSignUpEvent(), ctx)).rejects.toThrow(SIGN_UP_MESSAGES.unavailable);
    expect(log.lines.find((l) => l.message === 'preSignup: sign-up blocked')?.reason).toBe('The allowlist did not answer within 100 ms; try again later');
  });

  it.each([
    ['no email attribute', { name: 'Ana' }],
    ['a blank email', { email: '   ' }],
  ])('blocks %s without calling the allowlist', async (_name, userAttributes) => {
    await expect(gate().handle(preSignUpEvent({ userAttributes }), context().ctx)).rejects.toMatchObject({ name: 'SignUpBlockedError', message: SIGN_UP_MESSAGES.noEmail, reason: 'the event has no email attribute' });
    expect(allowlistCalls).toEqual([]);
  });

  it('checks its options when created', () => {
    expect(() => preSignup({ allowlistUrl: 'allowlist', apiKey: 'k' })).toThrow('preSignup: "allowlistUrl" must be an absolute http(s) URL');
    expect(() => preSignup({ allowlistUrl: ALLOWLIST_URL, apiKey: '' })).toThrow('preSignup: "apiKey" is required');
    expect(() => preSignup({ allowlistUrl: ALLOWLIST_URL, apiKey: 'k', timeoutMs: 0 })).toThrow('preSignup: "timeoutMs" must be a positive number of milliseconds, got 0');
  });

  it('fromEnv reads ALLOWLIST_URL and ALLOWLIST_API_KEY, trimmed', async () => {
    const trigger = preSignup.fromEnv({ ALLOWLIST_URL: ` ${ALLOWLIST_URL} `, ALLOWLIST_API_KEY: ' env-key\n' });
    const reply = await trigger.handle(preSignUpEvent(), context().ctx);
    expect(allowlistCalls[0]!.apiKey).toBe('env-key');
    expect(reply.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('fromEnv without its variables still makes the trigger, which blocks every sign-up naming them in the log', async () => {
    const trigger = preSignup.fromEnv({ ALLOWLIST_URL: '  ' });
    expect(trigger.triggerSources).toEqual(['PreSignUp_SignUp', 'PreSignUp_ExternalProvider', 'PreSignUp_AdminCreateUser']);
    for (const event of [preSignUpEvent(), preSignUpExternalEvent(), preSignUpEvent({ triggerSource: 'PreSignUp_AdminCreateUser' })]) {
      const { ctx, log } = context();
      await expect(trigger.handle(event, ctx)).rejects.toMatchObject({
        name: 'SignUpBlockedError',
        message: SIGN_UP_MESSAGES.unavailable,
        reason: 'preSignup.fromEnv: missing environment variable(s) ALLOWLIST_URL, ALLOWLIST_API_KEY',
      });
      expect(log.lines.find((l) => l.level === 'error')).toMatchObject({ missing: ['ALLOWLIST_URL', 'ALLOWLIST_API_KEY'], triggerSource: event.triggerSource });
    }
    expect(allowlistCalls).toEqual([]);
  });
});

describe('postConfirmation', () => {
  it('adds the confirmed user to the group of the resolved role and returns the event unchanged', async () => {
    const event = postConfirmationEvent();
    const { ctx, log } = context();

    const reply = await groups().handle(event, ctx);

    expect(reply).toEqual(postConfirmationEvent());
    expect(resolverCalls).toHaveLength(1);
    expect(resolverCalls[0]!.apiKey).toBe(RESOLVER_KEY);
    expect(Object.fromEntries(resolverCalls[0]!.url.searchParams)).toEqual({ email: 'sofia.mora@example.com' });
    expect(cognitoCalls).toEqual([
      {
        target: 'AWSCognitoIdentityProviderService.AdminAddUserToGroup',
        contentType: 'application/x-amz-json-1.1',
        body: { UserPoolId: POOL_ID, Username: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', GroupName: 'Supervisor' },
      },
    ]);
    expect(log.lines.find((l) => l.message === 'postConfirmation: user added to group')).toMatchObject({ role: 'Supervisor', groupName: 'Supervisor' });
  });

  it("uses the event's userName, not the email, for a federated user", async () => {
    await groups().handle(postConfirmationEvent({ userName: 'Google_117712345678901234567', userAttributes: { email: 'luis@example.com', email_verified: 'true', 'cognito:user_status': 'EXTERNAL_PROVIDER' } }), context().ctx);
    expect(cognitoCalls[0]!.body).toEqual({ UserPoolId: POOL_ID, Username: 'Google_117712345678901234567', GroupName: 'Supervisor' });
  });

  it('maps roles through `groups`, ignoring case, and honours userPoolId', async () => {
    resolverReply = () => HttpResponse.json({ role: 'supervisor' });
    const trigger = postConfirmation({ roleResolverUrl: RESOLVER_URL, apiKey: RESOLVER_KEY, client: cognitoClient(), userPoolId: 'us-east-1_Other', groups: { Agent: 'cs-agents', Supervisor: 'cs-supervisors' } });
    await trigger.handle(postConfirmationEvent(), context().ctx);
    expect(cognitoCalls[0]!.body).toEqual({ UserPoolId: 'us-east-1_Other', Username: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', GroupName: 'cs-supervisors' });
  });

  const resolverFaults: [string, HttpResponseResolver, string][] = [
    ['an unknown role', () => HttpResponse.json({ role: 'Admin' }), 'the role resolver answered an unknown role "Admin"'],
    ['no role', () => HttpResponse.json({}), 'the role resolver reply has no "role"'],
    ['a 404', () => HttpResponse.json({ error: 'unknown person' }, { status: 404 }), 'the role resolver answered HTTP 404'],
    ['a 500', () => HttpResponse.text('boom', { status: 500 }), 'the role resolver answered HTTP 500'],
    ['a body that is not JSON', () => HttpResponse.text('Supervisor'), 'The role resolver sent a reply that is not JSON.'],
    ['an unreachable service', () => HttpResponse.error(), 'The role resolver could not be reached'],
    [
      'no answer within the timeout',
      async () => {
        await delay('infinite');
        return HttpResponse.json({ role: 'Supervisor' });
      },
      'The role resolver did not answer within 150 ms; try again later',
    ],
  ];

  it.each(resolverFaults)('falls back to the default role on %s, with a warning', async (_name, reply, reason) => {
    resolverReply = reply;
    const { ctx, log } = context();

    const result = await groups(150).handle(postConfirmationEvent(), ctx);

    expect(result).toEqual(postConfirmationEvent());
    expect(cognitoCalls.map((c) => c.body)).toEqual([{ UserPoolId: POOL_ID, Username: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', GroupName: 'Agent' }]);
    expect(log.lines.find((l) => l.message === 'postConfirmation: using the default role')).toMatchObject({ level: 'warn', reason, defaultRole: 'Agent' });
    expect(log.text()).not.toContain(RESOLVER_KEY);
  });

  it('falls back to the default role when the event has no email', async () => {
    const { ctx, log } = context();
    await groups().handle(postConfirmationEvent({ userAttributes: { sub: 'x', phone_number: '+50688887777' } }), ctx);
    expect(resolverCalls).toEqual([]);
    expect(cognitoCalls.map((c) => (c.body as { GroupName: string }).GroupName)).toEqual(['Agent']);
    expect(log.lines.find((l) => l.message === 'postConfirmation: using the default role')?.reason).toBe('the event has no email attribute');
  });

  it('changes nothing on a confirmed password reset', async () => {
    const event = postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' });
    const reply = await groups().handle(event, context().ctx);
    expect(reply).toEqual(postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' }));
    expect(resolverCalls).toEqual([]);
    expect(cognitoCalls).toEqual([]);
  });

  it('when AdminAddUserToGroup fails: logs the error and tells the person to ask for help', async () => {
    cognitoReply = () => new HttpResponse(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Group not found.' }), { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' } });
    const { ctx, log } = context();

    await expect(groups().handle(postConfirmationEvent(), ctx)).rejects.toThrow(new Error(GROUP_FAILED_MESSAGE));

    expect(cognitoCalls).toHaveLength(1);
    const logged = log.lines.find((l) => String(l.message).startsWith('postConfirmation: AdminAddUserToGroup failed'));
    expect(logged).toMatchObject({ level: 'error', userPoolId: POOL_ID, userName: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', groupName: 'Supervisor', error: { name: 'ResourceNotFoundException', message: 'Group not found.' } });
  });

  it('checks its options when created', () => {
    expect(() => postConfirmation({ roleResolverUrl: RESOLVER_URL, apiKey: 'k', defaultRole: 'Guest' })).toThrow('postConfirmation: "defaultRole" "Guest" is not a key of "groups" (Agent, Supervisor)');
    expect(() => postConfirmation({ roleResolverUrl: 'ftp://roles', apiKey: 'k' })).toThrow('postConfirmation: "roleResolverUrl" must be an absolute http(s) URL');
  });

  it('fromEnv reads USER_POOL_ID, ROLE_RESOLVER_URL and ROLE_RESOLVER_API_KEY, trimmed', async () => {
    const trigger = postConfirmation.fromEnv({ USER_POOL_ID: ' us-east-1_FromEnv ', ROLE_RESOLVER_URL: RESOLVER_URL, ROLE_RESOLVER_API_KEY: 'env-key ' }, { client: cognitoClient });
    await trigger.handle(postConfirmationEvent(), context().ctx);
    expect(resolverCalls[0]!.apiKey).toBe('env-key');
    expect(cognitoCalls[0]!.body).toMatchObject({ UserPoolId: 'us-east-1_FromEnv' });
  });

  it('fromEnv without its variables still makes the trigger, which grants no group and names them', async () => {
    const trigger = postConfirmation.fromEnv({ USER_POOL_ID: 'x' }, { client: cognitoClient });
    const { ctx, log } = context();

    const error = await trigger.handle(postConfirmationEvent(), ctx).then(() => undefined, (e: unknown) => e as Error);

    expect(error?.message).toBe(GROUP_FAILED_MESSAGE);
    expect((error?.cause as Error).message).toBe('postConfirmation.fromEnv: missing environment variable(s) ROLE_RESOLVER_URL, ROLE_RESOLVER_API_KEY');
    expect(log.lines.find((l) => l.level === 'error')).toMatchObject({ missing: ['ROLE_RESOLVER_URL', 'ROLE_RESOLVER_API_KEY'], userName: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
    expect(cognitoCalls).toEqual([]);
    expect(resolverCalls).toEqual([]);
    // A password reset changes no group either way.
    const reset = postConfirmationEvent({ triggerSource: 'PostConfirmation_ConfirmForgotPassword' });
    expect(await trigger.handle(reset, context().ctx)).toEqual(reset);
  });

  it('builds its own client for the event region when none is given', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    try {
      await postConfirmation({ roleResolverUrl: RESOLVER_URL, apiKey: RESOLVER_KEY }).handle(postConfirmationEvent(), context().ctx);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
    expect(cognitoCalls).toHaveLength(1);
  });
});

describe('an unproven email never becomes a Supervisor', () => {
  // Someone who knows a supervisor's address signs up with it, in another case, through the public SignUp API.
  const attack = { email: 'Supervisor@Corp.Example', name: 'Not The Supervisor' };

  it.each([
    ['the default (Cognito emails a code)', {}],
    ['autoConfirmSignUp on', { autoConfirmSignUp: true }],
  ])('with %s: the sign-up is not verified, and confirmation grants only the default role', async (_name, option) => {
    resolverReply = () => HttpResponse.json({ role: 'Supervisor' }); // the resolver would say Supervisor for that address
    const router = createRouter({ logger: memoryLogger().logger })
      .cognito(preSignup({ allowlistUrl: ALLOWLIST_URL, apiKey: ALLOWLIST_KEY, ...option }))
      .cognito(groups());

    const signedUp = (await router.handle(preSignUpEvent({ userName: 'attacker-1', userAttributes: attack }), lambdaContext())) as ReturnType<typeof preSignUpEvent>;

    expect(Object.fromEntries(allowlistCalls[0]!.url.searchParams)).toEqual({ email: 'supervisor@corp.example' });
    expect(signedUp.response.autoVerifyEmail).toBe(false);
    expect(signedUp.response.autoConfirmUser).toBe('autoConfirmSignUp' in option);

    // Confirmed without proving the address (auto-confirm, or an admin confirming by hand): email_verified is "false".
    const confirmed = postConfirmationEvent({ userName: 'attacker-1', userAttributes: { sub: 'attacker-1', email: attack.email, email_verified: 'false', 'cognito:user_status': 'CONFIRMED' } });
    await router.handle(confirmed, lambdaContext());

    expect(resolverCalls).toEqual([]);
    expect(cognitoCalls).toEqual([
      { target: 'AWSCognitoIdentityProviderService.AdminAddUserToGroup', contentType: 'application/x-amz-json-1.1', body: { UserPoolId: POOL_ID, Username: 'attacker-1', GroupName: 'Agent' } },
    ]);
  });

  it.each([['missing', undefined], ['"false"', 'false'], ['"TRUE"', 'TRUE'], ['"1"', '1']])('email_verified %s gives the default role without asking the resolver', async (_name, claim) => {
    const userAttributes: Record<string, string> = { sub: 's-1', email: 'supervisor@corp.example' };
    if (claim !== undefined) userAttributes.email_verified = claim;
    const { ctx, log } = context();
    await groups().handle(postConfirmationEvent({ userName: 's-1', userAttributes }), ctx);
    expect(resolverCalls).toEqual([]);
    expect(cognitoCalls.map((c) => c.body)).toEqual([{ UserPoolId: POOL_ID, Username: 's-1', GroupName: 'Agent' }]);
    expect(log.lines.find((l) => l.message === 'postConfirmation: using the default role')).toMatchObject({ level: 'warn', reason: 'the email is not verified (email_verified is not "true")' });
  });

  it('the real supervisor, whose email Cognito verified with its code, gets the Supervisor group', async () => {
    await groups().handle(postConfirmationEvent({ userName: 's-2', userAttributes: { sub: 's-2', email: 'Supervisor@Corp.Example', email_verified: 'true' } }), context().ctx);
    expect(Object.fromEntries(resolverCalls[0]!.url.searchParams)).toEqual({ email: 'supervisor@corp.example' });
    expect(cognitoCalls.map((c) => c.body)).toEqual([{ UserPoolId: POOL_ID, Username: 's-2', GroupName: 'Supervisor' }]);
  });
});

describe('Cognito triggers through the router', () => {
  const router = () => createRouter({ logger: memoryLogger().logger }).cognito(gate()).cognito(groups());

  it('dispatches by triggerSource', async () => {
    const signedUp = (await router().handle(preSignUpEvent(), lambdaContext())) as ReturnType<typeof preSignUpEvent>;
    expect(signedUp.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(await router().handle(postConfirmationEvent(), lambdaContext())).toEqual(postConfirmationEvent());
    expect(cognitoCalls).toHaveLength(1);
  });

  it('a Lambda whose KB ingest variables are missing still serves its Cognito triggers', async () => {
    const { kbIngest } = await import('../../../src/packs/kb-ingest/index.js');
    const router = createRouter({ logger: memoryLogger().logger }).schedule(kbIngest.fromEnv({})).cognito(preSignup.fromEnv({ ALLOWLIST_URL, ALLOWLIST_API_KEY: ALLOWLIST_KEY }));
    const signedUp = (await router.handle(preSignUpEvent(), lambdaContext())) as ReturnType<typeof preSignUpEvent>;
    expect(signedUp.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(allowlistCalls).toHaveLength(1);
  });

  it('a blocked sign-up rejects the invocation with the safe message', async () => {
    allowlistReply = () => HttpResponse.json({ allowed: false });
    await expect(router().handle(preSignUpEvent(), lambdaContext())).rejects.toThrow(SIGN_UP_MESSAGES.notAllowed);
  });

  it('an unregistered trigger source is an error naming the registered ones', async () => {
    await expect(router().handle(postConfirmationEvent({ triggerSource: 'CustomMessage_SignUp' }), lambdaContext())).rejects.toThrow(
      'No handler for Cognito trigger source "CustomMessage_SignUp"; registered: PreSignUp_SignUp, PreSignUp_ExternalProvider, PreSignUp_AdminCreateUser, PostConfirmation_ConfirmSignUp, PostConfirmation_ConfirmForgotPassword.',
    );
  });
});
