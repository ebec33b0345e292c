import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ActionError, actionGroup, createRouter } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';

const base = { method: 'GET' as const, path: '/x', description: 'Does x', handler: () => 'ok' };

describe('operation definitions are checked when defined', () => {
  it('requires path placeholders to be input fields', () => {
    expect(() => actionGroup({ name: 'G', description: 'g' }).operation({ ...base, name: 'op', path: '/t/{ticketId}', input: z.object({ id: z.string() }) })).toThrow(
      'Operation "op" in group "G": path placeholder {ticketId} is not a field of "input"',
    );
  });

  it('refuses duplicate names in a group', () => {
    const g = actionGroup({ name: 'G', description: 'g' }).operation({ ...base, name: 'op', input: z.object({}) });
    expect(() => g.operation({ ...base, name: 'op', input: z.object({}) })).toThrow('Operation "op" in group "G": the name is already used in this group');
  });

  it('leaves the group unchanged when a definition throws (a route clash included)', () => {
    const g = actionGroup({ name: 'G', description: 'g' }).operation({ ...base, name: 'first', input: z.object({}) });
    expect(() => g.operation({ ...base, name: 'second', input: z.object({}) })).toThrow('Operation "second" in group "G": GET /x is already operation "first"');
    expect(() => g.operation({ ...base, name: 'third', path: '/y', input: z.object({ when: z.date() }) })).toThrow('field "when" is a date');
    expect(() => g.operation({ ...base, name: 'fourth', path: '/z', input: z.object({}), doors: { agent: false, http: false } })).toThrow('"doors" turns off every door');
    expect(g.operations.map((o) => o.name)).toEqual(['first']);
    expect([g.get('second'), g.get('third'), g.get('fourth'), g.route('GET', '/y')]).toEqual([undefined, undefined, undefined, undefined]);
    // The rejected names and routes are still free.
    g.operation({ ...base, name: 'second', path: '/y', input: z.object({}) });
    expect(g.operations.map((o) => o.name)).toEqual(['first', 'second']);
    expect(g.route('GET', '/y')?.name).toBe('second');
  });

  it('checks the doors option', () => {
    const g = actionGroup({ name: 'G', description: 'g' });
    expect(() => g.operation({ ...base, name: 'a', input: z.object({}), doors: { agent: 'no' as never } })).toThrow('Operation "a" in group "G": "doors.agent" must be true or false, got "no"');
    expect(() => g.operation({ ...base, name: 'b', input: z.object({}), doors: { mcp: false } as never })).toThrow('Operation "b" in group "G": "doors" has an unknown key "mcp"; use "agent" and "http"');
    expect(() => g.operation({ ...base, name: 'c', input: z.object({}), doors: [] as never })).toThrow('"doors" must be an object');
    expect(() => g.operation({ ...base, name: 'd', input: z.object({}), doors: null as never })).toThrow('Operation "d" in group "G": "doors" must be an object like { agent?: boolean, http?: boolean }');
    g.operation({ ...base, name: 'e', input: z.object({}), doors: { http: false } });
    g.operation({ ...base, name: 'f', path: '/f', input: z.object({}) });
    expect(g.operations.map((o) => [o.name, o.doors])).toEqual([
      ['e', { agent: true, http: false }],
      ['f', { agent: true, http: true }],
    ]);
  });

  it('refuses nested objects, and arrays of objects outside a body', () => {
    const g = actionGroup({ name: 'G', description: 'g' });
    expect(() => g.operation({ ...base, name: 'a', input: z.object({ address: z.object({ city: z.string() }) }) })).toThrow(
      'Operation "a" in group "G": field "address" is an object; expected a string, number, integer, boolean, enum or literal (optional or with a default), or an array of those (arrays of objects only for body fields). Flatten it into separate fields',
    );
    expect(() => g.operation({ ...base, name: 'b', input: z.object({ lines: z.array(z.object({ sku: z.string() })) }) })).toThrow(
      'Operation "b" in group "G": field "lines" is an array of objects, which only a POST, PUT or PATCH body can carry',
    );
    expect(() => g.operation({ ...base, method: 'POST', name: 'c', input: z.object({ lines: z.array(z.object({ sku: z.string() })) }) })).not.toThrow();
    expect(() => g.operation({ ...base, name: 'd', input: z.object({ when: z.date() }) })).toThrow('field "when" is a date; expected');
    expect(() => g.operation({ ...base, name: 'e', input: z.object({ m: z.array(z.array(z.string())) }) })).toThrow('field "m" is an array of arrays');
    expect(() => g.operation({ ...base, name: 'f', input: z.object({ u: z.union([z.string(), z.number()]) }) })).toThrow('field "u" is a union');
  });

  it('accepts the supported field shapes', () => {
    const g = actionGroup({ name: 'G', description: 'g' }).operation({
      ...base,
      name: 'ok',
      path: '/t/{id}',
      input: z.object({
        id: z.string(),
        n: z.number().optional(),
        i: z.int().default(5),
        b: z.boolean().nullable().optional(),
        e: z.enum(['a', 'b']).default('a'),
        l: z.literal('x').optional(),
        tags: z.array(z.string()).optional(),
        t: z.string().transform((s) => s.toUpperCase()).optional(),
      }),
    });
    expect(g.get('ok')?.fields.map((f) => [f.name, f.location, f.kind, f.required])).toEqual([
      ['id', 'path', 'string', true],
      ['n', 'query', 'number', false],
      ['i', 'query', 'integer', false],
      ['b', 'query', 'boolean', false],
      ['e', 'query', 'string', false],
      ['l', 'query', 'string', false],
      ['tags', 'query', 'array', false],
      ['t', 'query', 'string', false],
    ]);
  });

  it('refuses an optional path parameter, a bad method, a missing description or handler', () => {
    const g = actionGroup({ name: 'G', description: 'g' });
    expect(() => g.operation({ ...base, name: 'p', path: '/t/{id}', input: z.object({ id: z.string().optional() }) })).toThrow('path parameter "id" cannot be optional');
    expect(() => g.operation({ ...base, name: 'm', method: 'HEAD' as 'GET', input: z.object({}) })).toThrow('"method" must be one of GET, POST, PUT, PATCH, DELETE, got HEAD');
    expect(() => g.operation({ ...base, name: 'd', description: ' ', input: z.object({}) })).toThrow('"description" is required');
    expect(() => g.operation({ ...base, name: 'i', input: z.string() as unknown as z.ZodObject })).toThrow('"input" must be a z.object({...})');
    expect(() => g.operation({ ...base, name: 'h', handler: undefined as unknown as () => string, input: z.object({}) })).toThrow('"handler" must be a function');
    expect(() => g.operation({ ...base, name: 't', timeoutMs: 0, input: z.object({}) })).toThrow('"timeoutMs" must be a positive number');
    expect(() => actionGroup({ name: 'G', description: '' })).toThrow('actionGroup "G": "description" is required');
  });

  it('types the handler input from the zod schema, and hands it the validated values', async () => {
    const typed = actionGroup({ name: 'G', description: 'g' }).operation({
      ...base,
      name: 'typed',
      input: z.object({ n: z.number(), s: z.string().optional() }),
      output: z.object({ doubled: z.number(), length: z.number().optional() }),
      handler: ({ n, s }) => {
        const len: number | undefined = s?.length;
        return { doubled: n * 2, ...(len === undefined ? {} : { length: len }) };
      },
    });
    const router = createRouter({ logger: memoryLogger().logger }).add(typed);
    expect(await router.invoke('G', 'typed', { n: '21', s: 'abc' })).toEqual({ doubled: 42, length: 3 });
    expect(await router.invoke('G', 'typed', { n: 4 })).toEqual({ doubled: 8 });
    // The second definition only type-checks with the @ts-expect-error (npm run typecheck); at run time it is defined.
    const wrong = actionGroup({ name: 'G', description: 'g' }).operation({
      ...base,
      name: 'wrong',
      input: z.object({ n: z.number() }),
      output: z.object({ doubled: z.number() }),
      // @ts-expect-error the output schema wants a number
      handler: ({ n }) => ({ doubled: String(n) }),
    });
    expect(wrong.get('wrong')?.name).toBe('wrong');
  });

  it('ActionError carries status, default code and details', () => {
    const e = new ActionError(404, 'nope', { details: { id: 1 } });
    expect(e.toJSON()).toEqual({ code: 'NOT_FOUND', message: 'nope', details: { id: 1 } });
    expect(new ActionError(418, 'teapot').code).toBe('BAD_REQUEST');
    expect(() => new ActionError(200, 'fine')).toThrow('ActionError status must be an integer from 400 to 599, got 200');
  });
});
