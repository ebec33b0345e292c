import { createHmac, timingSafeEqual } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signedToken, signEnvelopeToken } from '../../../src/index.js';

// The real timingSafeEqual, watched: every call goes through to node:crypto.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = 'envelope-test-secret-0123456789abcdef';
const now = () => Math.floor(Date.now() / 1000);
const verify = signedToken({ secret: SECRET });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const sign = (token: string, secret = SECRET) => createHmac('sha256', secret).update(token).digest('hex');

describe('signEnvelopeToken', () => {
  it('returns base64url JSON claims and the hex HMAC-SHA256 of that text', () => {
    const { token, signature } = signEnvelopeToken({ sub: 'user-1', role: 'Agent', iat: 1_800_000_000, exp: 1_800_000_300, jti: 'j-1' }, SECRET);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ sub: 'user-1', iat: 1_800_000_000, exp: 1_800_000_300, role: 'Agent', jti: 'j-1' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(signature).toBe(sign(token));
  });

  it('defaults iat to now and exp to iat + 300 seconds', () => {
    const before = now();
    const claims = JSON.parse(Buffer.from(signEnvelopeToken({ sub: 'u' }, SECRET).token, 'base64url').toString('utf8'));
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(now());
    expect(claims.exp).toBe(claims.iat + 300);
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'sub']);
  });

  it('throws naming a bad claim or a short secret', () => {
    expect(() => signEnvelopeToken({ sub: '' }, SECRET)).toThrow('signEnvelopeToken: "sub" must be a non-empty string of at most 256 characters');
    expect(() => signEnvelopeToken({ sub: 'u', role: '' }, SECRET)).toThrow('"role" must be a non-empty string');
    expect(() => signEnvelopeToken({ sub: 'u', jti: 'x'.repeat(257) }, SECRET)).toThrow('"jti" must be a non-empty string of at most 256 characters');
    expect(() => signEnvelopeToken({ sub: 'u', iat: Number.NaN }, SECRET)).toThrow('signEnvelopeToken: "iat" must be a number of seconds since the epoch');
    expect(() => signEnvelopeToken({ sub: 'u', iat: 100, exp: 99 }, SECRET)).toThrow('"exp" must be a number of seconds since the epoch, not before "iat"');
    expect(() => signEnvelopeToken({ sub: 'u' }, 'short')).toThrow('signEnvelopeToken: "secret" must be a string or bytes of at least 16 bytes (32 random bytes recommended)');
  });
});

describe('signedToken', () => {
  // The clock stands still, late in a second: the cases are computed from `now()` (whole seconds) while
  // the verifier reads fractional seconds, so a test crossing a second boundary on a slow machine would
  // move the edge cases (a token issued 31 s ahead is refused only while the clock is in the same second).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_999);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a good token: the identity with the acceptance end (min(exp, iat + maxAge) + skew)', () => {
    const iat = now();
    expect(verify(signEnvelopeToken({ sub: 'user-1', role: 'Agent', iat, exp: iat + 60, jti: 'j-1' }, SECRET))).toEqual({ sub: 'user-1', role: 'Agent', jti: 'j-1', expiresAt: iat + 90 });
    // exp beyond maxAge: the token still ends maxAge after iat.
    expect(verify(signEnvelopeToken({ sub: 'u', iat, exp: iat + 86_400 }, SECRET))).toEqual({ sub: 'u', expiresAt: iat + 330 });
    // Upper-case hex is the same signature.
    const good = signEnvelopeToken({ sub: 'u', iat }, SECRET);
    expect(verify({ ...good, signature: good.signature.toUpperCase() })).toMatchObject({ sub: 'u' });
  });

  it('refuses, with null and no hint, every bad payload', () => {
    const iat = now();
    const good = signEnvelopeToken({ sub: 'u', iat, exp: iat + 60 }, SECRET);
    const forged = (claims: unknown) => {
      const token = b64(claims);
      return { token, signature: sign(token) };
    };
    const broken = Buffer.from('{"sub":', 'utf8').toString('base64url');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
    const cases: Record<string, unknown> = {
      missing: undefined,
      null: null,
      'not an object': 'token',
      'no signature': { token: good.token },
      'no token': { signature: good.signature },
      'numeric signature': { token: good.token, signature: 1 },
      'empty token': { token: '', signature: sign('') },
      'tampered signature': { token: good.token, signature: flip(good.signature, 10) },
      'short signature': { token: good.token, signature: good.signature.slice(0, 63) },
      'long signature': { token: good.token, signature: `${good.signature}0` },
      'tampered token': { token: b64({ sub: 'admin', iat, exp: iat + 60 }), signature: good.signature },
      'other secret': { token: good.token, signature: sign(good.token, 'another-secret-0123456789') },
      'malformed JSON token': { token: broken, signature: sign(broken) },
      'not base64url': { token: 'a+b/c=', signature: sign('a+b/c=') },
      'JSON that is not an object': forged(['u']),
      'no sub': forged({ iat, exp: iat + 60 }),
      'numeric sub': forged({ sub: 7, iat, exp: iat + 60 }),
      'no exp': forged({ sub: 'u', iat }),
      'string iat': forged({ sub: 'u', iat: String(iat), exp: iat + 60 }),
      'exp before iat': forged({ sub: 'u', iat, exp: iat - 1 }),
      'empty role': forged({ sub: 'u', role: '', iat, exp: iat + 60 }),
      'numeric jti': forged({ sub: 'u', jti: 5, iat, exp: iat + 60 }),
      expired: forged({ sub: 'u', iat: iat - 200, exp: iat - 31 }),
      'future iat': forged({ sub: 'u', iat: iat + 31, exp: iat + 300 }),
      'older than maxAge': forged({ sub: 'u', iat: iat - 331, exp: iat + 3600 }),
      'oversized token': { token: 'a'.repeat(4097), signature: sign('a'.repeat(4097)) },
    };
    for (const [name, payload] of Object.entries(cases)) expect(verify(payload), name).toBeNull();
  });

  it('tolerates clockSkewSeconds either way, and honours maxAgeSeconds', () => {
    const iat = now();
    const strict = signedToken({ secret: SECRET, maxAgeSeconds: 10, clockSkewSeconds: 0 });
    expect(verify(signEnvelopeToken({ sub: 'u', iat: iat + 25, exp: iat + 100 }, SECRET))).not.toBeNull();
    expect(verify(signEnvelopeToken({ sub: 'u', iat: iat - 100, exp: iat - 25 }, SECRET))).not.toBeNull();
    expect(strict(signEnvelopeToken({ sub: 'u', iat: iat - 20, exp: iat + 100 }, SECRET))).toBeNull();
    expect(strict(signEnvelopeToken({ sub: 'u', iat: iat - 5, exp: iat + 100 }, SECRET))).toEqual({ sub: 'u', expiresAt: iat + 5 });
  });

  it('checks its options when it is made', () => {
    expect(() => signedToken({ secret: 'too-short' })).toThrow('signedToken: "secret" must be a string or bytes of at least 16 bytes');
    expect(() => signedToken({ secret: new Uint8Array(32), maxAgeSeconds: 0 })).toThrow('signedToken: "maxAgeSeconds" must be a positive number of seconds');
    expect(() => signedToken({ secret: SECRET, clockSkewSeconds: -1 })).toThrow('signedToken: "clockSkewSeconds" must be a non-negative number of seconds');
    expect(() => signedToken(undefined as never)).toThrow('signedToken: expected options { secret, maxAgeSeconds?, clockSkewSeconds? }');
    const bytes = new Uint8Array(32).fill(7);
    expect(signedToken({ secret: bytes })(signEnvelopeToken({ sub: 'u' }, bytes))).toMatchObject({ sub: 'u' });
  });
});

describe('signedToken: the signature comparison is constant-time', () => {
  const spy = vi.mocked(timingSafeEqual);
  beforeEach(() => {
    spy.mockClear();
  });

  it('always compares two 64-byte buffers with timingSafeEqual, whatever the length or the first differing byte', () => {
    const good = signEnvelopeToken({ sub: 'u' }, SECRET);
    const expected = Buffer.from(good.signature, 'latin1');
    const other = (at: number) => good.signature.slice(0, at) + (good.signature[at] === '0' ? '1' : '0') + good.signature.slice(at + 1);
    const signatures = {
      right: good.signature,
      'first byte differs': other(0),
      'last byte differs': other(63),
      empty: '',
      'one character': 'a',
      'the right prefix, too short': good.signature.slice(0, 32),
      'the right one and more': `${good.signature}ff`,
      'a megabyte': 'f'.repeat(1 << 20),
      'multi-byte characters': 'é'.repeat(64),
    };
    for (const [name, signature] of Object.entries(signatures)) {
      spy.mockClear();
      const accepted = verify({ token: good.token, signature }) !== null;
      expect(accepted, name).toBe(name === 'right');
      expect(spy, name).toHaveBeenCalledTimes(1);
      const [given, wanted] = spy.mock.calls[0] as [Buffer, Buffer];
      expect([given.byteLength, wanted.byteLength], name).toEqual([64, 64]);
      expect(Buffer.from(wanted).equals(expected), name).toBe(true);
    }
  });

  it('never decides before timingSafeEqual: a wrong-length signature equal to the expected one on its first 64 bytes is still refused after it', () => {
    const good = signEnvelopeToken({ sub: 'u' }, SECRET);
    spy.mockClear();
    expect(verify({ token: good.token, signature: `${good.signature}0` })).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.results[0]).toEqual({ type: 'return', value: true });
  });
});

describe('signedToken: random input is never accepted (fast-check)', () => {
  it('random tokens and signatures', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }), (token, signature) => {
        expect(verify({ token, signature })).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('a real token with any other signature, and any other token with a real signature', () => {
    const good = signEnvelopeToken({ sub: 'u', role: 'Agent' }, SECRET);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{64}$/), fc.base64String({ minLength: 4, maxLength: 200 }), (signature, other) => {
        fc.pre(signature.toLowerCase() !== good.signature);
        expect(verify({ token: good.token, signature })).toBeNull();
        const token = other.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
        fc.pre(token !== good.token && token !== '');
        expect(verify({ token, signature: good.signature })).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('any claims signed with another secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), fc.string({ minLength: 16, maxLength: 40 }), (sub, secret) => {
        fc.pre(secret !== SECRET);
        expect(verify(signEnvelopeToken({ sub }, secret))).toBeNull();
        expect(verify(signEnvelopeToken({ sub }, SECRET))).toMatchObject({ sub });
      }),
      { numRuns: 300 },
    );
  });
});
