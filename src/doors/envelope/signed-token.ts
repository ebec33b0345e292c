import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRecord } from '../../util/is-record.js';
import type { EnvelopeClaims, EnvelopeIdentity, EnvelopeVerifier } from './types.js';

// The envelope's signed token: `token` is base64url JSON claims, `signature` the hex HMAC-SHA256 of the
// token text. No JWT library: one HMAC, one constant-time comparison, then the claims.

/** Options of {@link signedToken}. */
export interface SignedTokenOptions {
  /** The shared HMAC-SHA256 key (at least 16 bytes; 32 random bytes recommended). */
  secret: string | Uint8Array;
  /** Oldest token accepted, by its `iat`, in seconds (default 300), whatever its `exp` says. */
  maxAgeSeconds?: number;
  /** Clock difference tolerated between the signer and this server, in seconds (default 30). */
  clockSkewSeconds?: number;
}

/** What {@link signEnvelopeToken} signs: the claims, `iat` defaulting to now and `exp` to `iat` + 300 s. */
export type EnvelopeClaimsInput = Omit<EnvelopeClaims, 'iat' | 'exp'> & { iat?: number; exp?: number };

/** The envelope's `payload`: the token and its signature. */
export interface SignedPayload {
  /** base64url of the JSON claims. */
  token: string;
  /** Lower-case hex HMAC-SHA256 of `token` (64 characters). */
  signature: string;
}

const MIN_SECRET_BYTES = 16;
/** Longest token read: a few claims, never kilobytes (the HMAC is linear in it, but stays bounded). */
const MAX_TOKEN_CHARS = 4096;
/** Longest `sub`, `role` and `jti` (the stores' key limit). */
const MAX_CLAIM_CHARS = 256;
const HEX_SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const DEFAULT_MAX_AGE = 300;

function secretKey(secret: unknown, where: string): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret instanceof Uint8Array ? Buffer.from(secret) : undefined;
  if (!key || key.byteLength < MIN_SECRET_BYTES) throw new TypeError(`${where}: "secret" must be a string or bytes of at least ${MIN_SECRET_BYTES} bytes (32 random bytes recommended)`);
  return key;
}

function hmacHex(key: Buffer, token: string): string {
  return createHmac('sha256', key).update(token, 'utf8').digest('hex');
}

/**
 * Whether `signature` is the hex HMAC of `token`, in time that depends on neither where they differ nor
 * how long `signature` is: the given signature is laid into a buffer of the expected length (cut or
 * zero-padded), always compared with `timingSafeEqual`, and its length checked only afterwards.
 */
function signatureMatches(key: Buffer, token: string, signature: string): boolean {
  const expected = Buffer.from(hmacHex(key, token), 'latin1');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  const sized = Buffer.alloc(HEX_SIGNATURE_BYTES);
  given.copy(sized, 0, 0, HEX_SIGNATURE_BYTES);
  const same = timingSafeEqual(sized, expected);
  return same && given.byteLength === HEX_SIGNATURE_BYTES;
}

function isClaimText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_CHARS;
}

/** The claims of a token, or `undefined` when it is not base64url JSON of the expected shape. */
function readClaims(token: string): EnvelopeClaims | undefined {
  if (!BASE64URL.test(token)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { sub, role, iat, exp, jti } = value;
  if (!isClaimText(sub) || !Number.isFinite(iat) || !Number.isFinite(exp) || (exp as number) < (iat as number)) return undefined;
  if ((role !== undefined && !isClaimText(role)) || (jti !== undefined && !isClaimText(jti))) return undefined;
  const claims: EnvelopeClaims = { sub, iat: iat as number, exp: exp as number };
  if (role !== undefined) claims.role = role;
  if (jti !== undefined) claims.jti = jti;
  return claims;
}

function nonNegative(value: number | undefined, fallback: number, name: string, positive: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new TypeError(`signedToken: "${name}" must be a ${positive ? 'positive' : 'non-negative'} number of seconds`);
  }
  return value;
}

/**
 * The envelope verifier of signed tokens: `payload` is `{ token, signature }`, `token` base64url JSON
 * `{ sub, role?, iat, exp, jti? }` and `signature` the hex HMAC-SHA256 of `token` with `secret` (compared in
 * constant time). Refused (`null`): anything else, a bad signature, a token past `exp`, older than
 * `maxAgeSeconds` by its `iat`, or issued in the future — each with `clockSkewSeconds` of tolerance.
 */
export function signedToken(options: SignedTokenOptions): EnvelopeVerifier {
  if (!isRecord(options)) throw new TypeError('signedToken: expected options { secret, maxAgeSeconds?, clockSkewSeconds? }');
  const key = secretKey(options.secret, 'signedToken');
  const maxAge = nonNegative(options.maxAgeSeconds, DEFAULT_MAX_AGE, 'maxAgeSeconds', true);
  const skew = nonNegative(options.clockSkewSeconds, 30, 'clockSkewSeconds', false);
  return (payload) => {
    if (!isRecord(payload)) return null;
    const { token, signature } = payload;
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS || typeof signature !== 'string') return null;
    // The claims are read only once the token is known to be ours.
    if (!signatureMatches(key, token, signature)) return null;
    const claims = readClaims(token);
    if (!claims) return null;
    const now = Date.now() / 1000;
    if (claims.iat > now + skew || claims.exp < now - skew || claims.iat < now - maxAge - skew) return null;
    const identity: EnvelopeIdentity = { sub: claims.sub, expiresAt: Math.min(claims.exp, claims.iat + maxAge) + skew };
    if (claims.role !== undefined) identity.role = claims.role;
    if (claims.jti !== undefined) identity.jti = claims.jti;
    return identity;
  };
}

/**
 * Signs claims for an envelope's `payload` (for clients and tests): `{ token, signature }`, where `token`
 * is base64url JSON of the claims and `signature` the hex HMAC-SHA256 of `token` with `secret`. `iat`
 * defaults to now, `exp` to `iat` + 300 seconds. Throws a TypeError naming a bad claim.
 */
export function signEnvelopeToken(claims: EnvelopeClaimsInput, secret: string | Uint8Array): SignedPayload {
  const key = secretKey(secret, 'signEnvelopeToken');
  if (!isRecord(claims)) throw new TypeError('signEnvelopeToken: expected claims { sub, role?, iat?, exp?, jti? }');
  const iat = claims.iat ?? Math.floor(Date.now() / 1000);
  const exp = claims.exp ?? iat + DEFAULT_MAX_AGE;
  for (const name of ['sub', 'role', 'jti'] as const) {
    if ((name === 'sub' || claims[name] !== undefined) && !isClaimText(claims[name])) {
      throw new TypeError(`signEnvelopeToken: "${name}" must be a non-empty string of at most ${MAX_CLAIM_CHARS} characters`);
    }
  }
  if (!Number.isFinite(iat)) throw new TypeError('signEnvelopeToken: "iat" must be a number of seconds since the epoch');
  if (!Number.isFinite(exp) || exp < iat) throw new TypeError('signEnvelopeToken: "exp" must be a number of seconds since the epoch, not before "iat"');
  const body: EnvelopeClaims = { sub: claims.sub, iat, exp };
  if (claims.role !== undefined) body.role = claims.role;
  if (claims.jti !== undefined) body.jti = claims.jti;
  const token = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return { token, signature: hmacHex(key, token) };
}
