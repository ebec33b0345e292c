import type { Caller } from '../core/context.js';
import { bearerToken, checkSkew, invalidToken, keysUnavailable, type TokenProblem } from './bearer.js';

/** A JSON Web Key Set: `{ keys: [...] }` as served at `/.well-known/jwks.json`. */
export interface Jwks {
  keys: readonly Record<string, unknown>[];
}

/** Options of {@link cognitoJwt}. */
export interface CognitoJwtOptions {
  /** The user pool, `<region>_<id>` (e.g. `eu-west-1_AbCdEf123`); the issuer is derived from it. */
  userPoolId: string;
  /** The app client id(s) the token must be issued for (`aud` of id tokens, `client_id` of access tokens). */
  clientId: string | readonly string[];
  /** Which Cognito token is sent: `'id'` (default; has `email`) or `'access'`. */
  tokenUse?: 'id' | 'access';
  /** Roles in priority order: the caller's role is the first of these found in `cognito:groups` (default `['Supervisor', 'Agent']`). */
  roles?: readonly string[];
  /**
   * The pool's keys, handed in instead of fetched (tests, air-gapped hosts). When given, only these keys
   * are trusted and nothing is fetched; otherwise the pool's JWKS is fetched once and cached.
   */
  jwks?: Jwks;
  /** Tolerance for `exp`/`nbf` against this host's clock, in seconds (default 60). */
  clockSkewSeconds?: number;
}

type Verifier = {
  verify(token: string): Promise<Record<string, unknown>>;
  verifySync(token: string): Record<string, unknown>;
  cacheJwks(jwks: Jwks): void;
};
type ErrorModule = typeof import('aws-jwt-verify/error');

const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;

/**
 * An `authenticate` function for `createRouter` that verifies a Cognito user pool token sent as
 * `Authorization: Bearer <token>` with aws-jwt-verify (signature, expiry, issuer, client id, `token_use`).
 * The caller is `{ userId: sub, email, role }`, `role` being the first of `roles` in `cognito:groups`.
 * Refusals are 401s with `WWW-Authenticate` saying why; aws-jwt-verify is loaded on the first request.
 */
export function cognitoJwt(options: CognitoJwtOptions): (request: Request) => Promise<Caller> {
  const { userPoolId, clientId, tokenUse = 'id', roles = ['Supervisor', 'Agent'], jwks } = options;
  if (typeof userPoolId !== 'string' || !POOL_ID.test(userPoolId)) throw new Error('cognitoJwt: "userPoolId" must be a user pool id like "eu-west-1_AbCdEf123"');
  const clients = typeof clientId === 'string' ? [clientId] : clientId;
  if (!Array.isArray(clients) || clients.length === 0 || !clients.every((c) => typeof c === 'string' && c !== '')) throw new Error('cognitoJwt: "clientId" must be an app client id or a non-empty list of them');
  if (tokenUse !== 'id' && tokenUse !== 'access') throw new Error('cognitoJwt: "tokenUse" must be "id" or "access"');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && r !== '')) throw new Error('cognitoJwt: "roles" must be a list of group names');
  if (jwks !== undefined && !(typeof jwks === 'object' && jwks !== null && Array.isArray(jwks.keys))) throw new Error('cognitoJwt: "jwks" must be a key set { keys: [...] }');
  const graceSeconds = checkSkew('cognitoJwt', options.clockSkewSeconds);

  let loaded: Promise<{ verifier: Verifier; errors: ErrorModule }> | undefined;
  const load = async () => {
    const [{ CognitoJwtVerifier }, errors] = await Promise.all([import('aws-jwt-verify'), import('aws-jwt-verify/error')]);
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId: [...clients], tokenUse, graceSeconds }) as unknown as Verifier;
    if (jwks) verifier.cacheJwks(jwks);
    return { verifier, errors };
  };

  return async (request) => {
    const token = bearerToken(request);
    const { verifier, errors } = await (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
    let payload: Record<string, unknown>;
    try {
      payload = jwks ? verifier.verifySync(token) : await verifier.verify(token);
    } catch (error) {
      if (error instanceof errors.FetchError) throw keysUnavailable(error);
      throw invalidToken(problemOf(error, errors));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken('missing a required claim', '"sub"');
    const caller: Caller = { userId: payload.sub };
    if (typeof payload.email === 'string') caller.email = payload.email;
    const groups = payload['cognito:groups'];
    const role = Array.isArray(groups) ? roles.find((r) => groups.includes(r)) : undefined;
    if (role) caller.role = role;
    return caller;
  };
}

function problemOf(error: unknown, e: ErrorModule): TokenProblem {
  if (error instanceof e.JwtExpiredError) return 'expired';
  if (error instanceof e.JwtNotBeforeError) return 'not yet valid';
  // A multi-pool-capable verifier reports a foreign pool's token as an issuer it is not configured for.
  if (error instanceof e.JwtInvalidIssuerError || (error instanceof e.ParameterValidationError && error.message.startsWith('issuer not configured'))) return 'from another issuer';
  if (error instanceof e.JwtInvalidAudienceError || error instanceof e.CognitoJwtInvalidClientIdError) return 'for another audience';
  if (error instanceof e.CognitoJwtInvalidTokenUseError) return 'of the wrong token use';
  if (error instanceof e.JwtInvalidSignatureAlgorithmError) return 'signed with an algorithm that is not accepted';
  if (error instanceof e.JwtInvalidSignatureError) return 'badly signed';
  if (error instanceof e.KidNotFoundInJwksError || error instanceof e.JwtWithoutValidKidError || error instanceof e.JwksNotAvailableInCacheError) return 'signed by an unknown key';
  if (error instanceof e.JwtInvalidClaimError) return 'missing a required claim';
  return 'malformed';
}
