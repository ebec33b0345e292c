import { describe, expect, it } from 'vitest';
import { envFlag, envList, envPositiveInt, envRequired, envString, MissingEnvError } from '../../src/kit/env.js';
import { isActionError } from '../../src/core/errors.js';

describe('environment settings', () => {
  it('only a recognised word flips a flag, so a typo keeps the safe default', () => {
    expect(envFlag({ X: 'false' }, 'X', true)).toBe(false);
    expect(envFlag({ X: ' OFF ' }, 'X', true)).toBe(false);
    expect(envFlag({ X: 'flase' }, 'X', true)).toBe(true);
    expect(envFlag({}, 'X', true)).toBe(true);
    expect(envFlag({ X: 'sí' }, 'X', false)).toBe(true);
    expect(envFlag({ X: 'maybe' }, 'X', false)).toBe(false);
  });

  it('reads strings, lists and positive integers, naming the variable when malformed', () => {
    expect(envString({ X: '  ' }, 'X')).toBeUndefined();
    expect(envList({ R: 'Agent, Supervisor,,' }, 'R')).toEqual(['Agent', 'Supervisor']);
    expect(envList({ R: ' , ' }, 'R')).toBeUndefined();
    expect(envPositiveInt({ N: '25' }, 'N')).toBe(25);
    expect(envPositiveInt({}, 'N')).toBeUndefined();
    expect(() => envPositiveInt({ N: '2.5' }, 'N')).toThrow('N must be a positive integer, got "2.5"');
    expect(() => envPositiveInt({ N: '0' }, 'N')).toThrow('N must be a positive integer, got "0"');
  });
});

describe('envRequired', () => {
  it('returns every value trimmed, or one error naming every missing (unset or blank) variable', () => {
    expect(envRequired({ A: ' a ', B: 'b\n' }, 'pack.fromEnv', ['A', 'B'])).toEqual({ values: { A: 'a', B: 'b' } });
    const { missing } = envRequired({ A: 'a', B: '   ' }, 'pack.fromEnv', ['A', 'B', 'C']);
    expect(missing).toBeInstanceOf(MissingEnvError);
    expect(isActionError(missing)).toBe(true);
    expect(missing?.toJSON()).toEqual({ code: 'NOT_CONFIGURED', message: 'pack.fromEnv: missing environment variable(s) B, C', details: { missing: ['B', 'C'] } });
    expect(missing?.status).toBe(503);
    expect(missing?.variables).toEqual(['B', 'C']);
  });
});
