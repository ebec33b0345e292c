import { afterEach, describe, expect, it } from 'vitest';
import { generatedFactory } from '../../src/util/generated.js';
import { compileFieldSetter } from '../../src/core/input.js';
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

  it('gives functions of one factory to operations with the same fields, each bound to its own arguments', () => {
    const a = compileFieldSetter(['ticketId', 'limit']);
    const b = compileFieldSetter(['ticketId', 'limit']);
    expect(a).not.toBe(b);
    const ta: Record<string, unknown> = {};
    const tb: Record<string, unknown> = {};
    a(ta, 'ticketId', 'T-1');
    b(tb, 'limit', '5');
    expect(ta).toEqual({ ticketId: 'T-1' });
    expect(tb).toEqual({ limit: '5' });
  });

  it('is undefined where code generation is refused, and the setter and coercer fall back to their generic code', () => {
    refuseCodeGeneration();
    expect(generatedFactory('x', 'return () => "refused case";')).toBeUndefined();
    const setField = compileFieldSetter(['refusedName']);
    const target: Record<string, unknown> = {};
    setField(target, 'refusedName', 'v');
    setField(target, 'other', 'w');
    setField(target, '__proto__', { polluted: true });
    expect(target).toEqual({ refusedName: 'v', other: 'w' });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    const coerce = compileInputCoercer({ refusedCount: z.number(), refusedFlag: z.boolean().optional() });
    expect(coerce({ refusedCount: '7', refusedFlag: '' })).toEqual({ refusedCount: 7 });
    // The refusal is remembered: code generation is refused for the whole process, not per call.
    globalThis.Function = RealFunction;
    expect(generatedFactory('x', 'return () => "refused case";')).toBeUndefined();
  });
});
