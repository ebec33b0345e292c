import { ActionError } from '../core/errors.js';

/** Longest bearer token accepted; a larger Authorization header is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 16_384;

/** Why a presented token was refused; each becomes its own 401 message. */
export type TokenProblem =
  | 'malformed'
  | 'expired'
  | 'not yet valid'
  | 'for another audience'
  | 'from another issuer'
  | 'unsigned'
  | 'signed with an algorithm that is not accepted'
  | 'badly signed'
  | 'signed by an unknown key'
  | 'of the wrong token use'
  | 'missing a required claim';

const MESSAGES: Record<TokenProblem, string> = {
  malformed: 'The bearer token is malformed: expected a JSON Web Token (three base64url parts).',
  expired: 'The bearer token has expired; sign in again.',
  'not yet valid': 'The bearer token is not valid yet (its "nbf" is in the future).',
  'for another audience': 'The bearer token was issued for another audience (client id).',
  'from another issuer': 'The bearer token was issued by an issuer this service does not trust.',
  unsigned: 'The bearer token is unsigned (alg "none"); signed tokens only.',
  'signed with an algorithm that is not accepted': 'The bearer token is signed with an algorithm this service does not accept.',
  'badly signed': 'The bearer token signature is invalid.',
  'signed by an unknown key': 'The bearer token is signed by a key this service does not know.',
  'of the wrong token use': 'The bearer token is of the wrong kind (token_use): send the expected id or access token.',
  'missing a required claim': 'The bearer token lacks a required claim.',
};

/** 401 for a request without a bearer token: a bare `Bearer` challenge, no error code (RFC 6750 §3.1). */
export function missingToken(): ActionError {
  return new ActionError(401, 'Authentication required: send Authorization: Bearer <token>.', { code: 'UNAUTHORIZED', headers: { 'www-authenticate': 'Bearer' } });
}

/** 401 for a token that was presented but refused, saying why (never echoing the token). */
export function invalidToken(problem: TokenProblem, detail?: string): ActionError {
  const message = detail ? `${MESSAGES[problem].slice(0, -1)}: ${detail}.` : MESSAGES[problem];
  return new ActionError(401, message, { code: 'INVALID_TOKEN', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
}

/**
 * The bearer token of a request: throws the bare 401 when there is none (no header, another scheme, an
 * empty value) and the `invalid_token` 401 when it is too long or is not three base64url parts, or when
 * its header says `alg: none` — refused here so no verifier ever sees an unsigned token.
 */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization');
  if (header === null) throw missingToken();
  if (header.length > MAX_TOKEN_LENGTH + 64) throw invalidToken('malformed');
  const match = /^Bearer +(\S*) *$/i.exec(header);
  if (!match || match[1] === '') throw missingToken();
  const token = match[1] as string;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p, i) => /^[A-Za-z0-9_-]*$/.test(p) && (i === 2 || p !== ''))) throw invalidToken('malformed');
  let alg: unknown;
  try {
    alg = (JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
  } catch {
    throw invalidToken('malformed');
  }
  if (typeof alg !== 'string') throw invalidToken('malformed');
  if (alg.toLowerCase() === 'none' || parts[2] === '') throw invalidToken('unsigned');
  return token;
}

/** Checks a clock skew option: whole seconds from 0 to 600. */
export function checkSkew(owner: string, value: unknown): number {
  if (value === undefined) return 60;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 600) throw new Error(`${owner}: "clockSkewSeconds" must be an integer from 0 to 600`);
  return value as number;
}

/** 503 when the keys needed to check a token cannot be fetched: the service's fault, not the caller's. */
export function keysUnavailable(cause: unknown): ActionError {
  return new ActionError(503, 'The keys that verify bearer tokens could not be fetched; try again later.', { code: 'SERVICE_UNAVAILABLE', cause });
}
