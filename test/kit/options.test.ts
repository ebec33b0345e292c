import { describe, expect, it } from 'vitest';
import { clientGetter } from '../../src/kit/clients.js';
import { httpUrl, positiveNumber, requiredString } from '../../src/kit/options.js';
import { groupRoles } from '../../src/kit/roles.js';

describe('option checks', () => {
  it('httpUrl accepts absolute http(s) URLs only, naming the owner and the option', () => {
    expect(httpUrl('https://a.example/x?y=1', 'p', 'url').href).toBe('https://a.example/x?y=1');
    for (const bad of ['ftp://a.example', 'a.example', '', undefined, 'javascript:alert(1)']) {
      expect(() => httpUrl(bad, 'p', 'url')).toThrow(`p: "url" must be an absolute http(s) URL, got ${JSON.stringify(bad ?? '')}`);
    }
  });

  it('requiredString refuses missing and blank values', () => {
    expect(requiredString(' k ', 'p', 'apiKey')).toBe(' k ');
    expect(() => requiredString('  ', 'p', 'apiKey')).toThrow('p: "apiKey" is required');
    expect(() => requiredString(undefined, 'p', 'apiKey')).toThrow('p: "apiKey" is required');
  });

  it('positiveNumber applies the default and the rule, saying what was expected', () => {
    expect(positiveNumber(undefined, 5000, 'p', 't')).toBe(5000);
    expect(positiveNumber(0, 1, 'p', 'days', { min: 0 })).toBe(0);
    expect(() => positiveNumber(0, 1, 'p', 'timeoutMs', { unit: 'milliseconds' })).toThrow('p: "timeoutMs" must be a positive number of milliseconds, got 0');
    expect(() => positiveNumber(2.5, 1, 'p', 'top', { integer: true })).toThrow('p: "top" must be a positive integer, got 2.5');
    expect(() => positiveNumber(4, 1, 'p', 'part', { min: 5 })).toThrow('p: "part" must be a number ≥ 5, got 4');
    expect(() => positiveNumber(Number.NaN, 1, 'p', 'n')).toThrow('p: "n" must be a positive number, got NaN');
    expect(() => positiveNumber(Infinity, 1, 'p', 'n')).toThrow('p: "n" must be a positive number, got Infinity');
  });
});

describe('clientGetter', () => {
  it('uses a given function at every call, a given client as is, else builds one at first use and reuses it', () => {
    const given = { name: 'given' };
    let made = 0;
    const make = () => ({ name: `built-${++made}` });
    expect(clientGetter(given, make)()).toBe(given);
    let calls = 0;
    const fn = () => ({ name: `fn-${++calls}` });
    const fromFn = clientGetter(fn, make);
    expect([fromFn().name, fromFn().name]).toEqual(['fn-1', 'fn-2']);
    const lazy = clientGetter(undefined, make);
    expect(made).toBe(0);
    expect(lazy()).toBe(lazy());
    expect(made).toBe(1);
  });
});

describe('groupRoles', () => {
  it('is the given or default roles unless enforcement is explicitly off', () => {
    expect(groupRoles(undefined, undefined)).toEqual({ allowedRoles: ['Agent', 'Supervisor'] });
    expect(groupRoles(true, ['Supervisor'])).toEqual({ allowedRoles: ['Supervisor'] });
    expect(groupRoles(false, ['Supervisor'])).toEqual({});
  });
});
