import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup } from '../../src/core/operation.js';
import { createRouter } from '../../src/router.js';
import { openAiToolEntries, toOpenAiTools, type OpenAiFunctionTool } from '../../src/schema/openai-tools.js';

const group = (name: string, input: z.ZodObject<z.ZodRawShape>, more: { doors?: { agent?: boolean } } = {}) =>
  actionGroup({ name: 'G', description: 'g' }).operation({ name, method: 'POST', path: `/${name}`, description: `Does ${name}`, input, handler: () => null, ...more });

const only = (input: z.ZodObject<z.ZodRawShape>): OpenAiFunctionTool => toOpenAiTools(group('op', input))[0]!;

/** Every object node of a schema, at any depth. */
function objects(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => objects(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'object' || (Array.isArray(o.type) && o.type.includes('object'))) out.push(o);
    Object.values(o).forEach((v) => objects(v, out));
  }
  return out;
}

describe('toOpenAiTools', () => {
  it('writes a Responses API function tool, strict, with every property required', () => {
    expect(only(z.object({ q: z.string().describe('Query'), n: z.number().int().min(1).max(50).describe('How many') }))).toEqual({
      type: 'function',
      name: 'op',
      description: 'Does op',
      strict: true,
      parameters: { type: 'object', properties: { q: { type: 'string', description: 'Query' }, n: { type: 'integer', minimum: 1, maximum: 50, description: 'How many' } }, required: ['q', 'n'], additionalProperties: false },
    });
  });

  it('makes an optional field nullable and required (OpenAI strict rule), and drops the null again before the call', () => {
    const g = group('op', z.object({ a: z.string().describe('A'), b: z.string().optional().describe('B'), c: z.enum(['x', 'y']).nullable().describe('C'), d: z.array(z.object({ k: z.string(), v: z.number().optional() })).optional() }));
    const entry = openAiToolEntries(g).get('op')!;
    expect(entry.tool.strict).toBe(true);
    expect(entry.tool.parameters).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', description: 'A' },
        b: { type: ['string', 'null'], description: 'B' },
        c: { type: ['string', 'null'], enum: ['x', 'y', null], description: 'C' },
        d: { type: ['array', 'null'], items: { type: 'object', properties: { k: { type: 'string' }, v: { type: ['number', 'null'] } }, required: ['k', 'v'], additionalProperties: false } },
      },
      required: ['a', 'b', 'c', 'd'],
      additionalProperties: false,
    });
    // `c` accepts null itself, so its null stays; `b`'s and `v`'s were added and go.
    expect(entry.restore({ a: 'x', b: null, c: null, d: [{ k: 'k', v: null }, { k: 'j', v: 2 }] })).toEqual({ a: 'x', c: null, d: [{ k: 'k' }, { k: 'j', v: 2 }] });
  });

  it('puts what strict mode does not take (lengths, defaults, other formats, lookaround) into the description', () => {
    const tool = only(z.object({ s: z.string().min(2).max(9).describe('Code'), t: z.string().default('x').describe('Tag'), u: z.url().describe('Link'), p: z.string().regex(/^(?!x)\w+$/).describe('Word'), e: z.email().describe('Mail') }));
    expect(tool.strict).toBe(true);
    const p = tool.parameters.properties as Record<string, Record<string, unknown>>;
    expect(p.s).toEqual({ type: 'string', description: 'Code. At least 2 characters. At most 9 characters.' });
    expect(p.t).toEqual({ type: ['string', 'null'], description: 'Tag. Default: "x".' });
    expect(p.u!.format).toBeUndefined();
    expect(p.u!.description).toContain('Link.');
    expect(p.p).toEqual({ type: 'string', description: 'Word. Must match the regular expression ^(?!x)\\w+$' });
    expect(p.e).toEqual({ type: 'string', format: 'email', description: 'Mail' });
  });

  it('sends strict: false with the plain JSON Schema where the input has no strict form', () => {
    // Top-level fields are scalars or arrays (every door carries them); anything goes inside array items.
    const inItems = (inner: z.ZodType) => z.object({ rows: z.array(z.object({ v: inner })).describe('Rows') });
    const cases = {
      record: inItems(z.record(z.string(), z.number())),
      unknown: inItems(z.unknown()),
      discriminated: inItems(z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })])),
      optionalInUnion: inItems(z.union([z.object({ a: z.string().optional() }), z.string()])),
    };
    for (const [name, input] of Object.entries(cases)) {
      const tool = only(input);
      expect(tool.strict, name).toBe(false);
      expect(objects(tool.parameters).some((o) => o.additionalProperties === false), name).toBe(false);
    }
    expect(only(cases.record).parameters).toEqual({
      type: 'object',
      properties: { rows: { type: 'array', description: 'Rows', items: { type: 'object', properties: { v: { type: 'object', additionalProperties: { type: 'number' } } }, required: ['v'] } } },
      required: ['rows'],
    });
  });

  it('writes OpenAPI 3.0 nullability and exclusive bounds as JSON Schema', () => {
    const tool = only(z.object({ n: z.number().gt(0).lt(10).nullable().describe('N') }));
    expect((tool.parameters.properties as Record<string, unknown>).n).toEqual({ type: ['number', 'null'], exclusiveMinimum: 0, exclusiveMaximum: 10, description: 'N' });
  });

  it('leaves out agent-less operations; takes a router; refuses a name two groups share', () => {
    const a = group('search', z.object({})).operation({ name: 'upload', method: 'POST', path: '/up', description: 'Upload', doors: { agent: false }, input: z.object({}), handler: () => null });
    expect(toOpenAiTools(a).map((t) => t.name)).toEqual(['search']);
    const b = actionGroup({ name: 'H', description: 'h' }).operation({ name: 'other', method: 'GET', path: '/other', description: 'Other', input: z.object({}), handler: () => null });
    expect(toOpenAiTools(createRouter().add(a).add(b)).map((t) => t.name)).toEqual(['search', 'other']);
    const clash = actionGroup({ name: 'K', description: 'k' }).operation({ name: 'search', method: 'GET', path: '/k', description: 'K', input: z.object({}), handler: () => null });
    expect(() => toOpenAiTools(createRouter().add(a).add(clash))).toThrow('operation "search" is in both "G" and "K"');
    expect(() => openAiToolEntries(a, ['upload'])).toThrow('unknown tool(s) "upload": a tool must be an agent-callable operation of the router (search)');
  });

  it('property: every strict tool closes every object and requires every property', () => {
    const scalar = fc.constantFrom<z.ZodType>(z.string(), z.number(), z.boolean(), z.string().optional(), z.number().int().nullable(), z.enum(['a', 'b']), z.array(z.string()));
    const nested = (depth: number): fc.Arbitrary<z.ZodType> =>
      depth === 0 ? scalar : fc.oneof(scalar, object(depth - 1), nested(depth - 1).map((s) => z.array(s)), nested(depth - 1).map((s) => s.optional()));
    const object = (depth: number) => fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), nested(depth), { maxKeys: 4 }).map((s) => z.object(s));
    const field = fc.oneof(scalar, object(2).map((o) => z.array(o)), object(2).map((o) => z.array(o).optional()));
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), field, { minKeys: 1, maxKeys: 5 }), (fields) => {
        const tool = only(z.object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.describe(k)]))));
        expect(tool.strict).toBe(true);
        for (const node of objects(tool.parameters)) {
          expect(node.additionalProperties).toBe(false);
          expect(node.required).toEqual(Object.keys(node.properties as object));
        }
      }),
      { numRuns: 150 },
    );
  });
});
