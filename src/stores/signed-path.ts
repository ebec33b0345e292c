import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed blob path grants: one method on one key until `expires` (Unix seconds), with upload limits for PUT. */
export interface Grant {
  method: 'GET' | 'PUT';
  key: string;
  expires: number;
  maxBytes?: number;
  contentType?: string;
}

/** The HMAC-SHA256 (base64url) of a grant; every field is covered, so none can be changed. */
export function signGrant(secret: Uint8Array, grant: Grant): string {
  const text = [grant.method, grant.key, grant.expires, grant.maxBytes ?? '', grant.contentType ?? ''].join('\n');
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** True when `signature` is the grant's, compared in constant time. */
export function grantValid(secret: Uint8Array, grant: Grant, signature: string): boolean {
  const expected = Buffer.from(signGrant(secret, grant));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The key as a URL path: each segment percent-encoded. */
export function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}
