import { createServer as createHttpServer } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter, type Caller } from 'bedrock-action-groups';
import { cognitoJwt, jwtAuth } from 'bedrock-action-groups/auth';
import { createServer, type ActionServer } from 'bedrock-action-groups/node';
import { close, listen } from '../adapters/sockets.ts';
import { memoryLogger } from '../support/logger.ts';

const POOL = 'eu-west-1_TestPool1';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const CLIENT = 'client-abc';
const SECRET = 'a shared secret of more than 32 bytes, for HS256';
const now = () => Math.floor(Date.now() / 1000);

let poolKey: CryptoKey;
let strangerKey: CryptoKey;
let poolJwk: JWK;
let rsaPem: string;

const whoami = actionGroup({ name: 'Me', description: 'Who is calling' }).operation({
  name: 'whoami',
  method: 'GET',
  path: '/me',
  description: 'The caller as the service sees it',
  input: z.object({}),
  handler: (_input, ctx) => ctx.caller,
});

/** Serves the group over a real socket with this authenticate. */
async function serve(authenticate: (request: Request) => Promise<Caller | null> | Caller | null): Promise<{ url: string; server: ActionServer }> {
  const server = createServer(createRouter({ authenticate, logger: memoryLogger().logger }).add(whoami));
  return { url: await listen(server), server };
}

const servers: ActionServer[] = [];
async function endpoint(authenticate: Parameters<typeof serve>[0]): Promise<string> {
  const { url, server } = await serve(authenticate);
  servers.push(server);
  return url;
}
afterAll(async () => {
  for (const s of servers) await close(s);
});

async function me(url: string, authorization?: string) {
  const reply = await fetch(`${url}/me`, authorization === undefined ? {} : { headers: { authorization } });
  const text = await reply.text();
  return { status: reply.status, challenge: reply.headers.get('www-authenticate'), body: JSON.parse(text) as { error?: { code: string; message: string } } & Caller, text };
}

function cognitoToken(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; kid?: string; alg?: string } = {}) {
  return new SignJWT({ sub: 'user-1', email: 'ana@example.com', 'cognito:groups': ['Agent', 'Supervisor'], token_use: 'id', ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'pool-key' })
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setAudience((claims.aud as string) ?? CLIENT)
    .setIssuedAt()
    .setExpirationTime((claims.exp as number) ?? now() + 3600)
    .sign(options.key ?? poolKey);
}

/** An unsigned token (`alg: none`), built by hand since no library signer makes one. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

beforeAll(async () => {
  ({ privateKey: poolKey } = await generateKeyPair('RS256'));
  ({ privateKey: strangerKey } = await generateKeyPair('RS256'));
  const pair = await generateKeyPair('RS256', { extractable: true });
  poolKey = pair.privateKey;
  poolJwk = { ...(await exportJWK(pair.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' };
  rsaPem = await exportSPKI(pair.publicKey);
});

describe('cognitoJwt over a real socket', () => {
  let url = '';
  beforeAll(async () => {
    url = await endpoint(cognitoJwt({ userPoolId: POOL, clientId: CLIENT, jwks: { keys: [poolJwk as Record<string, unknown>] } }));
  });

  it('verifies an RS256 id token with the handed-in keys; a user in both groups is a Supervisor', async () => {
    const r = await me(url, `Bearer ${await cognitoToken()}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ userId: 'user-1', email: 'ana@example.com', role: 'Supervisor' });
    expect((await me(url, `Bearer ${await cognitoToken({ 'cognito:groups': ['Agent'] })}`)).body).toEqual({ userId: 'user-1', email: 'ana@example.com', role: 'Agent' });
    expect((await me(url, `Bearer ${await cognitoToken({ 'cognito:groups': ['Other'] })}`)).body).toEqual({ userId: 'user-1', email: 'ana@example.com' });
  });

  it('tolerates 60 s of clock skew by default', async () => {
    expect((await me(url, `Bearer ${await cognitoToken({ exp: now() - 30 })}`)).status).toBe(200);
  });

  it('answers a request without a token 401 with a bare Bearer challenge', async () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer ']) {
      const r = await me(url, header);
      expect(r.status).toBe(401);
      expect(r.challenge).toBe('Bearer');
      expect(r.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'Authentication required: send Authorization: Bearer <token>.' });
    }
  });

  it('refuses each bad token with 401 invalid_token saying why, never echoing the token', async () => {
    const cases: [string, Promise<string> | string][] = [
      ['The bearer token is malformed: expected a JSON Web Token (three base64url parts).', 'not-a-jwt'],
      ['The bearer token is malformed: expected a JSON Web Token (three base64url parts).', 'e30.e30.c2ln'],
      ['The bearer token has expired; sign in again.', cognitoToken({ exp: now() - 120 })],
      ['The bearer token was issued for another audience (client id).', cognitoToken({ aud: 'someone-else' })],
      ['The bearer token was issued by an issuer this service does not trust.', cognitoToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
      ['The bearer token is unsigned (alg "none"); signed tokens only.', unsigned({ sub: 'user-1', iss: ISSUER, aud: CLIENT, token_use: 'id', exp: now() + 60 })],
      ['The bearer token signature is invalid.', cognitoToken({}, { key: strangerKey })],
      ['The bearer token is signed by a key this service does not know.', cognitoToken({}, { kid: 'rotated-away' })],
      ['The bearer token is of the wrong kind (token_use): send the expected id or access token.', cognitoToken({ token_use: 'access', client_id: CLIENT })],
    ];
    for (const [message, pending] of cases) {
      const token = await pending;
      const r = await me(url, `Bearer ${token}`);
      expect({ status: r.status, challenge: r.challenge, error: r.body.error }).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"', error: { code: 'INVALID_TOKEN', message } });
      expect(r.text).not.toContain(token);
    }
  });

  it('checks access tokens by client_id when tokenUse is "access"', async () => {
    const access = await endpoint(cognitoJwt({ userPoolId: POOL, clientId: CLIENT, tokenUse: 'access', roles: ['Agent', 'Supervisor'], jwks: { keys: [poolJwk as Record<string, unknown>] } }));
    const token = (claims: Record<string, unknown>) =>
      new SignJWT({ sub: 'user-2', token_use: 'access', 'cognito:groups': ['Supervisor', 'Agent'], ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'pool-key' }).setIssuer(ISSUER).setIssuedAt().setExpirationTime('1h').sign(poolKey);
    expect((await me(access, `Bearer ${await token({ client_id: CLIENT })}`)).body).toEqual({ userId: 'user-2', role: 'Agent' });
    expect((await me(access, `Bearer ${await token({ client_id: 'other' })}`)).body.error?.message).toBe('The bearer token was issued for another audience (client id).');
  });

  it('refuses bad options when created', () => {
    expect(() => cognitoJwt({ userPoolId: 'pool', clientId: CLIENT })).toThrow('cognitoJwt: "userPoolId" must be a user pool id like "eu-west-1_AbCdEf123"');
    expect(() => cognitoJwt({ userPoolId: POOL, clientId: [] })).toThrow('cognitoJwt: "clientId"');
    expect(() => cognitoJwt({ userPoolId: POOL, clientId: CLIENT, jwks: [] as never })).toThrow('cognitoJwt: "jwks" must be a key set { keys: [...] }');
    expect(() => cognitoJwt({ userPoolId: POOL, clientId: CLIENT, clockSkewSeconds: -1 })).toThrow('cognitoJwt: "clockSkewSeconds" must be an integer from 0 to 600');
  });
});

describe('jwtAuth over a real socket', () => {
  const hs = (claims: Record<string, unknown> = {}, secret = SECRET, alg = 'HS256') =>
    new SignJWT({ sub: 'gw-user', mail: 'luis@example.com', roles: ['Agent'], ...claims })
      .setProtectedHeader({ alg })
      .setIssuer((claims.iss as string) ?? 'https://gateway.example.com')
      .setAudience((claims.aud as string) ?? 'bedrock-tools')
      .setIssuedAt()
      .setExpirationTime((claims.exp as number) ?? now() + 600)
      .sign(new TextEncoder().encode(secret));
  let url = '';
  beforeAll(async () => {
    url = await endpoint(jwtAuth({ secret: SECRET, issuer: 'https://gateway.example.com', audience: 'bedrock-tools', claims: { email: 'mail', role: 'roles' } }));
  });

  it('verifies HS256 tokens and maps the claims to the caller', async () => {
    const r = await me(url, `Bearer ${await hs()}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ userId: 'gw-user', email: 'luis@example.com', role: 'Agent' });
  });

  it('refuses each bad token with 401 invalid_token saying why', async () => {
    const cases: [string, Promise<string> | string][] = [
      ['The bearer token is malformed: expected a JSON Web Token (three base64url parts).', 'a.b'],
      ['The bearer token has expired; sign in again.', hs({ exp: now() - 61 })],
      ['The bearer token is not valid yet (its "nbf" is in the future).', hs({ nbf: now() + 600 })],
      ['The bearer token was issued for another audience (client id).', hs({ aud: 'another-api' })],
      ['The bearer token was issued by an issuer this service does not trust.', hs({ iss: 'https://evil.example.com' })],
      ['The bearer token is unsigned (alg "none"); signed tokens only.', unsigned({ sub: 'gw-user', iss: 'https://gateway.example.com', aud: 'bedrock-tools', exp: now() + 60 })],
      ['The bearer token signature is invalid.', hs({}, 'another secret that is also long enough!!')],
      ['The bearer token is signed with an algorithm this service does not accept.', hs({}, SECRET + SECRET, 'HS512')],
      ['The bearer token lacks a required claim: "sub".', hs({ sub: undefined })],
    ];
    for (const [message, pending] of cases) {
      const token = await pending;
      const r = await me(url, `Bearer ${token}`);
      expect({ status: r.status, challenge: r.challenge, message: r.body.error?.message }).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"', message });
      expect(r.text).not.toContain(token);
    }
    expect((await me(url)).challenge).toBe('Bearer');
  });

  it('verifies RS256 with a PEM public key, and with a JWKS fetched from its URL; an unreachable JWKS is a 503', async () => {
    const rs = await cognitoToken({ iss: 'https://idp.example.com', aud: 'api' });
    const pem = await endpoint(jwtAuth({ publicKey: rsaPem, issuer: 'https://idp.example.com' }));
    expect((await me(pem, `Bearer ${rs}`)).body).toMatchObject({ userId: 'user-1', email: 'ana@example.com' });
    expect((await me(pem, `Bearer ${await hs()}`)).body.error?.message).toBe('The bearer token is signed with an algorithm this service does not accept.');

    let fetches = 0;
    const jwksServer = createHttpServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [poolJwk] }));
    });
    const jwksBase = await listen(jwksServer);
    const remote = await endpoint(jwtAuth({ jwksUrl: `${jwksBase}/.well-known/jwks.json`, audience: 'api' }));
    expect((await me(remote, `Bearer ${rs}`)).status).toBe(200);
    expect((await me(remote, `Bearer ${rs}`)).status).toBe(200);
    expect(fetches).toBe(1);
    await close(jwksServer);

    const down = await endpoint(jwtAuth({ jwksUrl: `${jwksBase}/.well-known/jwks.json` }));
    const r = await me(down, `Bearer ${rs}`);
    expect(r.status).toBe(503);
    expect(r.body.error?.message).toBe('The keys that verify bearer tokens could not be fetched; try again later.');
  });

  it('refuses bad options when created', () => {
    expect(() => jwtAuth({})).toThrow('jwtAuth: give exactly one of "secret", "publicKey" or "jwksUrl"');
    expect(() => jwtAuth({ secret: SECRET, jwksUrl: 'https://x' })).toThrow('jwtAuth: give exactly one of');
    expect(() => jwtAuth({ secret: 'short' })).toThrow('jwtAuth: "secret" must be at least 32 bytes (RFC 7518 §3.2)');
    expect(() => jwtAuth({ secret: SECRET, algorithms: ['RS256'] })).toThrow('jwtAuth: "algorithms" must list HS256, HS384 or HS512 with "secret"');
    expect(() => jwtAuth({ secret: SECRET, algorithms: ['none'] })).toThrow('jwtAuth: "algorithms"');
    expect(() => jwtAuth({ publicKey: 'not a key' })).toThrow('jwtAuth: "publicKey" must be a public key in PEM (SPKI) form or a public JWK');
    expect(() => jwtAuth({ jwksUrl: 'http://idp.example.com/jwks' })).toThrow('jwtAuth: "jwksUrl" must be https (or http on localhost)');
  });
});

describe('the HTTP door and authenticate errors', () => {
  it("passes an ActionError 401/403 thrown by authenticate through with its message and challenge; other throws stay the generic 401", async () => {
    const url = await endpoint((request) => {
      const who = request.headers.get('x-who');
      if (who === 'banned') throw new ActionError(403, 'This account is suspended.', { code: 'SUSPENDED' });
      if (who === 'stale') throw new ActionError(401, 'Session revoked.', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
      if (who === 'plain401') throw new ActionError(401, 'Sign in first.');
      throw new Error('secret internal detail');
    });
    const get = async (who: string) => {
      const r = await fetch(`${url}/me`, { headers: { 'x-who': who } });
      return { status: r.status, challenge: r.headers.get('www-authenticate'), error: ((await r.json()) as { error: unknown }).error };
    };
    expect(await get('banned')).toEqual({ status: 403, challenge: null, error: { code: 'SUSPENDED', message: 'This account is suspended.' } });
    expect(await get('stale')).toEqual({ status: 401, challenge: 'Bearer error="invalid_token"', error: { code: 'UNAUTHORIZED', message: 'Session revoked.' } });
    expect(await get('plain401')).toEqual({ status: 401, challenge: 'Bearer', error: { code: 'UNAUTHORIZED', message: 'Sign in first.' } });
    expect(await get('other')).toEqual({
      status: 401,
      challenge: 'Bearer',
      error: { code: 'UNAUTHORIZED', message: 'Authentication required: send valid credentials (for example Authorization: Bearer <token>).' },
    });
  });
});
