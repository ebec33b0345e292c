import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/core/describe-value.js';

describe('describeValue', () => {
  it('says what arrived, in words', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('')).toBe('a string of 0 characters');
    expect(describeValue('x')).toBe('a string of 1 character');
    expect(describeValue('hello world!')).toBe('a string of 12 characters');
    expect(describeValue(42)).toBe('the number 42');
    expect(describeValue(false)).toBe('the boolean false');
    expect(describeValue([1])).toBe('an array of 1 item');
    expect(describeValue({})).toBe('an empty object');
    expect(describeValue({ a: 1, b: 2 })).toBe('an object with keys: a, b');
    expect(describeValue(() => 1)).toBe('a function');
    const many = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, i]));
    expect(describeValue(many)).toBe('an object with keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, … (14 in all)');
  });

  it('never repeats the content of a string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3 }).filter((s) => !/^[\sa-z0-9]*$/.test(s)), (s) => {
        expect(describeValue(s)).toBe(`a string of ${s.length} characters`);
      }),
    );
  });
});
