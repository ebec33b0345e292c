import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, cursorScope, deriveCursorSecret, MAX_CURSOR_LENGTH } from '../../src/kit/cursor.js';
import { ActionError } from '../../src/core/errors.js';

const SECRET = 'test-secret-0123456789abcdef';
const SCOPE = cursorScope('HubSpotOps.searchTickets', { q: 'router', sort: 'createdate:DESC' });

/** Runs `fn` and returns the ActionError it throws (fails the test when it throws anything else). */
function errorOf(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }
  throw new Error('expected an ActionError');
}

const jsonState = fc.dictionary(fc.string(), fc.jsonValue()).map((s) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>);

describe('createCursorCodec', () => {
  const codec = createCursorCodec({ secret: SECRET });

  it('round-trips any JSON state', () => {
    fc.assert(
      fc.property(jsonState, fc.string(), (state, scope) => {
        expect(codec.decode(codec.encode(state, scope), scope)).toEqual(state);
      }),
    );
  });

  it('makes URL-safe tokens', () => {
    expect(codec.encode({ offset: 10, dir: 'next' }, SCOPE)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses any single-character change', () => {
    fc.assert(
      fc.property(jsonState, fc.nat(), fc.constantFrom(...'ABCabc019-_.=+/ %'), (state, at, ch) => {
        const token = codec.encode(state, SCOPE);
        const i = at % token.length;
        fc.pre(token[i] !== ch);
        const changed = token.slice(0, i) + ch + token.slice(i + 1);
        const error = errorOf(() => codec.decode(changed, SCOPE));
        expect(error.status).toBe(400);
        expect(error.code).toBe('INVALID_CURSOR');
        expect(error.message).toMatch(/start again without a cursor$/);
      }),
    );
  });

  it('refuses any truncation or extension', () => {
    fc.assert(
      fc.property(jsonState, fc.nat(), (state, at) => {
        const token = codec.encode(state, SCOPE);
        const cut = at % token.length;
        expect(errorOf(() => codec.decode(token.slice(0, cut), SCOPE)).code).toBe('INVALID_CURSOR');
        expect(errorOf(() => codec.decode(token.slice(cut + 1), SCOPE)).code).toBe('INVALID_CURSOR');
        expect(errorOf(() => codec.decode(`${token}A`, SCOPE)).code).toBe('INVALID_CURSOR');
      }),
    );
  });

  it('never throws anything but a 400 on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(errorOf(() => codec.decode(text, SCOPE)).status).toBe(400);
      }),
    );
  });

  it('says when a cursor belongs to another operation or query', () => {
    const token = codec.encode({ offset: 5 }, SCOPE);
    const other = cursorScope('HubSpotOps.searchTickets', { q: 'printer', sort: 'createdate:DESC' });
    expect(errorOf(() => codec.decode(token, other)).message).toBe(
      'cursor belongs to another operation or query (the search changed) — start again without a cursor',
    );
    expect(errorOf(() => codec.decode(token, cursorScope('HubSpotOps.searchContacts', { q: 'router', sort: 'createdate:DESC' }))).code).toBe('INVALID_CURSOR');
  });

  it('refuses a cursor signed with another secret', () => {
    const token = createCursorCodec({ secret: 'another-secret-0123456789' }).encode({ offset: 5 }, SCOPE);
    expect(errorOf(() => codec.decode(token, SCOPE)).message).toBe(
      'cursor is not valid (altered, truncated or signed by another deployment) — start again without a cursor',
    );
  });

  it('refuses garbage, empty and oversized tokens with a 400', () => {
    for (const bad of ['', 'abc', '.', 'a.b.c', 'eyJ2IjoxfQ.', '%%%.%%%', 'x'.repeat(MAX_CURSOR_LENGTH + 1)]) {
      const error = errorOf(() => codec.decode(bad, SCOPE));
      expect([error.status, error.code]).toEqual([400, 'INVALID_CURSOR']);
    }
  });

  it('expires cursors after ttlMs', () => {
    let now = 1_000_000;
    const timed = createCursorCodec({ secret: SECRET, ttlMs: 60_000, now: () => now });
    const token = timed.encode({ offset: 5 }, SCOPE);
    now += 60_000;
    expect(timed.decode(token, SCOPE)).toEqual({ offset: 5 });
    now += 1;
    expect(errorOf(() => timed.decode(token, SCOPE)).message).toBe('cursor has expired — start again without a cursor');
  });

  it('shares one random secret per process when none is given', () => {
    const a = createCursorCodec();
    const b = createCursorCodec();
    expect(b.decode(a.encode({ offset: 1 }, SCOPE), SCOPE)).toEqual({ offset: 1 });
    expect(() => codec.decode(a.encode({ offset: 1 }, SCOPE), SCOPE)).toThrow(ActionError);
  });

  it('accepts a byte secret and checks its configuration', () => {
    const bytes = new Uint8Array(32).fill(7);
    const c = createCursorCodec({ secret: bytes });
    expect(c.decode(c.encode({ a: 1 }, SCOPE), SCOPE)).toEqual({ a: 1 });
    expect(() => createCursorCodec({ secret: 'short' })).toThrow('"secret" must be at least 16 bytes long');
    expect(() => createCursorCodec({ ttlMs: 0 })).toThrow('"ttlMs" must be a positive number');
    expect(() => codec.encode([] as never, SCOPE)).toThrow(TypeError);
  });
});

describe('cursorScope', () => {
  it('ignores key order and undefined values but not values', () => {
    expect(cursorScope('op', { a: 1, b: { c: [1, 2], d: 'x' } })).toBe(cursorScope('op', { b: { d: 'x', c: [1, 2] }, a: 1, z: undefined }));
    expect(cursorScope('op', { a: 1 })).not.toBe(cursorScope('op', { a: 2 }));
    expect(cursorScope('op', { a: 1 })).not.toBe(cursorScope('op2', { a: 1 }));
  });
});

describe('deriveCursorSecret', () => {
  it('derives the same 32-byte key from the same secret, another for another secret or purpose', () => {
    const token = 'pat-na1-0000-aaaa-bbbb';
    const key = deriveCursorSecret(token, 'HubSpotOps');
    expect(key).toHaveLength(32);
    expect(deriveCursorSecret(token, 'HubSpotOps').equals(key)).toBe(true);
    expect(deriveCursorSecret(token, 'InteractionOps').equals(key)).toBe(false);
    expect(deriveCursorSecret(`${token}x`, 'HubSpotOps').equals(key)).toBe(false);
    expect(key.toString('utf8')).not.toContain(token);
    expect(() => deriveCursorSecret('', 'HubSpotOps')).toThrow('deriveCursorSecret: the secret to derive from is empty');
  });

  it('signs cursors that two codecs built from the same secret both accept', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.nat(), (secret, offset) => {
        const a = createCursorCodec({ secret: deriveCursorSecret(secret, 'G') });
        const b = createCursorCodec({ secret: deriveCursorSecret(secret, 'G') });
        const scope = cursorScope('G.op', { q: 'x' });
        expect(b.decode(a.encode({ o: offset }, scope), scope)).toEqual({ o: offset });
      }),
      { numRuns: 100 },
    );
  });
});
