import { afterEach, describe, expect, it } from 'vitest';
import { generatedFactory } from '../../src/util/generated.js';
import { compileListReader } from '../../src/core/input.js';
import { compileInputCoercer } from '../../src/core/coerce.js';
import { z } from 'zod';

const RealFunction = globalThis.Function;

/** Makes `new Function` throw, as it does under --disallow-code-generation-from-strings or a strict CSP. */
function refuseCodeGeneration(): void {
  globalThis.Function = function refused() {
    throw new EvalError('Code generation from strings disallowed for this context');
  } as unknown as FunctionConstructor;
}

afterEach(() => {
  globalThis.Function = RealFunction;
});

describe('generatedFactory', () => {
  it('compiles one factory per distinct parameter and source, and hands the same one back after', () => {
    const first = generatedFactory<number, () => number>('x', 'return () => x + 1;');
    expect(first?.(41)()).toBe(42);
    expect(generatedFactory('x', 'return () => x + 1;')).toBe(first);
    expect(generatedFactory('x', 'return () => x + 2;')).not.toBe(first);
    expect(generatedFactory('y', 'return () => x + 1;')).not.toBe(first);
  });

  it('gives functions of one factory to operations with the same fields, each its own function', () => {
    const a = compileListReader(['ticketId', 'limit']);
    const b = compileListReader(['ticketId', 'limit']);
    expect(a).not.toBe(b);
    const ta: Record<string, unknown> = {};
    const tb: Record<string, unknown> = {};
    expect(a(ta, [{ name: 'ticketId', value: 'T-1' }])).toBe(-1);
    expect(b(tb, [{ name: 'limit', value: '5' }])).toBe(-1);
    expect(ta).toEqual({ ticketId: 'T-1' });
    expect(tb).toEqual({ limit: '5' });
  });

  it('is undefined where code generation is refused, and the list reader and coercer fall back to their generic code', () => {
    refuseCodeGeneration();
    expect(generatedFactory('x', 'return () => "refused case";')).toBeUndefined();
    const readList = compileListReader(['refusedName']);
    const target: Record<string, unknown> = {};
    const list = [{ name: 'refusedName', value: 'v' }, { name: 'other', value: 'w' }, { name: '__proto__', value: { polluted: true } }];
    expect(readList(target, list)).toBe(-1);
    expect(target).toEqual({ refusedName: 'v', other: 'w' });
    expect(readList({}, [{ name: 'refusedName', value: 'v' }, { value: 'no name' }])).toBe(1);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    const coerce = compileInputCoercer({ refusedCount: z.number(), refusedFlag: z.boolean().optional() });
    expect(coerce({ refusedCount: '7', refusedFlag: '' })).toEqual({ refusedCount: 7 });
    // The refusal is remembered: code generation is refused for the whole process, not per call.
    globalThis.Function = RealFunction;
    expect(generatedFactory('x', 'return () => "refused case";')).toBeUndefined();
  });
});
