import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { Caller } from '../core/context.js';
import { bearerToken, checkSkew, invalidToken, keysUnavailable, type TokenProblem } from './bearer.js';

/** Which claims hold the caller's fields (defaults `sub`, `email`, `role`). */
export interface ClaimNames {
  userId?: string;
  email?: string;
  role?: string;
}

/** Options of {@link jwtAuth}: exactly one of `secret`, `publicKey`, `jwksUrl`. */
export interface JwtAuthOptions {
  /** Shared HMAC secret (HS256/384/512), at least 32 bytes, as gateways that sign their own tokens use. */
  secret?: string | Uint8Array;
  /** A public key in PEM (SPKI) form, or a public JWK object, for RS*, PS* or ES* tokens. */
  publicKey?: string | Record<string, unknown>;
  /** URL of a JWKS (`https://…/.well-known/jwks.json`), fetched on demand and cached by jose. */
  jwksUrl?: string;
  /** Accepted `alg` values (default `['HS256']` with `secret`, `['RS256']` otherwise). `none` is never accepted. */
  algorithms?: readonly string[];
  /** Required `iss` (one or several accepted). */
  issuer?: string | readonly string[];
  /** Required `aud` (one or several accepted). */
  audience?: string | readonly string[];
  /** Claim names for the caller; `role` may hold a string or a list (its first string is taken). */
  claims?: ClaimNames;
  /** Tolerance for `exp`/`nbf` against this host's clock, in seconds (default 60). */
  clockSkewSeconds?: number;
}

type Jose = typeof import('jose');
type Key = KeyObject | Parameters<Jose['jwtVerify']>[1];

const HMAC = /^HS(256|384|512)$/;
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/**
 * An `authenticate` function for `createRouter` that verifies `Authorization: Bearer <JWT>` with jose:
 * signature against the secret, public key or JWKS, `exp`/`nbf` with the clock skew, and `iss`/`aud` when
 * given. The caller is read from the claims named in `claims`. Refusals are 401s with `WWW-Authenticate`
 * saying why; an unreachable JWKS is a 503. jose is loaded on the first request.
 */
export function jwtAuth(options: JwtAuthOptions): (request: Request) => Promise<Caller> {
  const sources = (['secret', 'publicKey', 'jwksUrl'] as const).filter((k) => options[k] !== undefined);
  if (sources.length !== 1) throw new Error('jwtAuth: give exactly one of "secret", "publicKey" or "jwksUrl"');
  const symmetric = options.secret !== undefined;
  const algorithms = [...(options.algorithms ?? (symmetric ? ['HS256'] : ['RS256']))];
  if (algorithms.length === 0 || !algorithms.every((a) => (symmetric ? HMAC : ASYMMETRIC).test(a))) {
    throw new Error(`jwtAuth: "algorithms" must list ${symmetric ? 'HS256, HS384 or HS512 with "secret"' : 'RS*, PS*, ES* or EdDSA algorithms with a public key'}`);
  }
  const skew = checkSkew('jwtAuth', options.clockSkewSeconds);
  const names = { userId: options.claims?.userId ?? 'sub', email: options.claims?.email ?? 'email', role: options.claims?.role ?? 'role' };
  const key = staticKey(options);
  const verifyOptions = {
    algorithms,
    clockTolerance: skew,
    ...(options.issuer !== undefined ? { issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer] } : {}),
    ...(options.audience !== undefined ? { audience: typeof options.audience === 'string' ? options.audience : [...options.audience] } : {}),
  };

  let loaded: Promise<{ jose: Jose; key: Key }> | undefined;
  const load = async () => {
    const jose = await import('jose');
    return { jose, key: key ?? jose.createRemoteJWKSet(new URL(options.jwksUrl as string)) };
  };

  return async (request) => {
    const token = bearerToken(request);
    const { jose, key: verifyKey } = await (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
    let payload: Record<string, unknown>;
    try {
      payload = (await jose.jwtVerify(token, verifyKey as Parameters<Jose['jwtVerify']>[1], verifyOptions)).payload;
    } catch (error) {
      if (options.jwksUrl !== undefined && keySetFailed(error, jose)) throw keysUnavailable(error);
      throw invalidToken(problemOf(error, jose));
    }
    const userId = payload[names.userId];
    if (typeof userId !== 'string' || userId === '') throw invalidToken('missing a required claim', JSON.stringify(names.userId));
    const caller: Caller = { userId };
    const email = payload[names.email];
    if (typeof email === 'string') caller.email = email;
    const role = payload[names.role];
    const first = Array.isArray(role) ? role.find((r) => typeof r === 'string') : role;
    if (typeof first === 'string' && first !== '') caller.role = first;
    return caller;
  };
}

/** The secret or public key as a KeyObject, checked at creation so a bad key fails at start-up. */
function staticKey(options: JwtAuthOptions): KeyObject | undefined {
  if (options.secret !== undefined) {
    const bytes = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
    if (!(bytes instanceof Uint8Array) || bytes.byteLength < 32) throw new Error('jwtAuth: "secret" must be at least 32 bytes (RFC 7518 §3.2)');
    return createSecretKey(bytes);
  }
  if (options.publicKey !== undefined) {
    try {
      const pk = options.publicKey;
      const key = typeof pk === 'string' ? createPublicKey(pk) : createPublicKey({ key: pk as import('node:crypto').JsonWebKey, format: 'jwk' });
      if (key.type !== 'public') throw new Error('not a public key');
      return key;
    } catch {
      throw new Error('jwtAuth: "publicKey" must be a public key in PEM (SPKI) form or a public JWK');
    }
  }
  let url: URL;
  try {
    url = new URL(options.jwksUrl as string);
  } catch {
    throw new Error('jwtAuth: "jwksUrl" must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('jwtAuth: "jwksUrl" must be https (or http on localhost)');
  return undefined;
}

/** The JWKS could not be fetched or read (network, non-200, timeout, bad JSON): not the token's fault. */
function keySetFailed(error: unknown, jose: Jose): boolean {
  if (!(error instanceof jose.errors.JOSEError)) return true;
  return error instanceof jose.errors.JWKSTimeout || error instanceof jose.errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}

function problemOf(error: unknown, jose: Jose): TokenProblem {
  const e = jose.errors;
  if (error instanceof e.JWTExpired) return 'expired';
  if (error instanceof e.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not yet valid';
    if (error.claim === 'aud') return 'for another audience';
    if (error.claim === 'iss') return 'from another issuer';
    return 'missing a required claim';
  }
  if (error instanceof e.JOSEAlgNotAllowed || error instanceof e.JOSENotSupported) return 'signed with an algorithm that is not accepted';
  if (error instanceof e.JWSSignatureVerificationFailed) return 'badly signed';
  if (error instanceof e.JWKSNoMatchingKey) return 'signed by an unknown key';
  return 'malformed';
}
