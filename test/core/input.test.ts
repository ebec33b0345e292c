import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileListReader, isReservedKey } from '../../src/core/input.js';
import { actionGroup, createRouter } from '../../src/index.js';
import { bedrockFunctionEvent } from '../../src/testing/index.js';

/** What storing `{ name, value }` entries one by one must give: later entries win, reserved names never land. */
function expected(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of entries) if (!isReservedKey(name)) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

describe('compileListReader', () => {
  const fields = ['ticketId', 'limit', 'a"b', 'with space', 'ünï'];
  const name = fc.oneof(fc.constantFrom(...fields, '__proto__', 'constructor', 'prototype', 'toString', 'limit'), fc.string({ maxLength: 8 }));
  const value = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.object());

  it('reads like a keyed store that skips reserved names, for field names and any other, in arrival order', () => {
    const readList = compileListReader(fields);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 12 }), (entries) => {
        const target: Record<string, unknown> = {};
        expect(readList(target, entries.map(([n, v]) => ({ name: n, type: 'string', value: v })))).toBe(-1);
        expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
        expect(Object.keys(target)).toEqual(Object.keys(expected(entries)));
        expect(target).toStrictEqual(expected(entries));
      }),
    );
  });

  it('answers the index of the first entry that is not an object or has no string name, having read the ones before it', () => {
    const readList = compileListReader(fields);
    const bad = fc.constantFrom(null, undefined, 'limit', 7, {}, { name: 7, value: 'x' }, { value: 'x' }, { name: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), bad, fc.array(fc.tuple(name, value), { maxLength: 3 }), (before, entry, after) => {
        const target: Record<string, unknown> = {};
        const list = [...before.map(([n, v]) => ({ name: n, value: v })), entry, ...after.map(([n, v]) => ({ name: n, value: v }))];
        expect(readList(target, list)).toBe(before.length);
        expect(target).toStrictEqual(expected(before));
      }),
    );
  });

  it('serves an operation whose field names need quoting in code', async () => {
    const router = createRouter().add(
      actionGroup({ name: 'Odd', description: 'Odd names' }).operation({
        name: 'echo',
        method: 'GET',
        path: '/echo',
        description: 'Echo the odd fields',
        input: z.object({ 'a"b': z.string().describe('Quoted'), 'x\\n': z.number().describe('Backslash') }),
        handler: (input) => input,
      }),
    );
    const reply = (await router.handle(
      bedrockFunctionEvent({ actionGroup: 'Odd', function: 'echo', parameters: { 'a"b': 'q', 'x\\n': 3, extra: 'dropped' } }),
    )) as { response: { functionResponse: { responseBody: { TEXT: { body: string } } } } };
    expect(JSON.parse(reply.response.functionResponse.responseBody.TEXT.body)).toEqual({ 'a"b': 'q', 'x\\n': 3 });
  });
});
