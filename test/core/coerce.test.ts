import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileCoercer, compileInputCoercer } from '../../src/core/coerce.js';
import { bedrockString } from '../../src/testing/index.js';

const c = (schema: z.ZodType, v: unknown) => compileCoercer(schema)(v);

describe('coercion by zod type', () => {
  it.each([
    [z.number(), '42', 42],
    [z.number(), ' -3.5 ', -3.5],
    [z.number(), '1e3', 1000],
    [z.number(), 'abc', 'abc'],
    [z.number(), '', ''],
    [z.number(), '12abc', '12abc'],
    [z.number(), 'NaN', 'NaN'],
    [z.number(), 'Infinity', 'Infinity'],
    [z.number().int(), '7', 7],
    [z.boolean(), 'true', true],
    [z.boolean(), 'FALSE', false],
    [z.boolean(), 'yes', 'yes'],
    [z.string(), 42, '42'],
    [z.string(), 'x', 'x'],
    [z.enum(['a', 'b']), 'a', 'a'],
    [z.literal(5), '5', 5],
    [z.number().nullable(), null, null],
    [z.array(z.number()), '[1, 2, 3]', [1, 2, 3]],
    [z.array(z.number()), '[1,2]', [1, 2]],
    [z.array(z.string()), 'a, b ,c', ['a', 'b', 'c']],
    [z.array(z.string()), '["a, b", "c"]', ['a, b', 'c']],
    [z.array(z.string()), '[a, b]', ['a', 'b']],
    [z.array(z.string()), '', []],
    [z.array(z.string()), '[]', []],
    [z.array(z.boolean()), 'true,false', [true, false]],
    [z.array(z.object({ k: z.string(), n: z.number() })), '[{k=v, n=2}, {k=w, n=3}]', [{ k: 'v', n: 2 }, { k: 'w', n: 3 }]],
    [z.array(z.object({ k: z.string(), n: z.number() })), '[{"k":"v","n":"2"}]', [{ k: 'v', n: 2 }]],
    [z.array(z.object({ k: z.string() })), '{k=only}', [{ k: 'only' }]],
    [z.array(z.object({ k: z.string() })), '[{k=a=b}]', [{ k: 'a=b' }]],
    [z.array(z.object({ k: z.string() })), '[not an object]', '[not an object]'],
  ])('%#: %s ← %j', (schema, input, expected) => {
    expect(c(schema as z.ZodType, input)).toEqual(expected);
  });

  it('treats an empty value of an optional non-text field as absent', () => {
    const coerce = compileInputCoercer({ n: z.number().optional(), s: z.string().optional(), b: z.boolean().default(true) });
    expect(coerce({ n: '', s: '', b: '' })).toEqual({ s: '' });
  });

  it('never turns a non-number into NaN: zod then reports it', () => {
    const schema = z.object({ n: z.number() });
    const r = schema.safeParse(compileInputCoercer(schema.shape)({ n: 'abc' }));
    expect(r.success).toBe(false);
  });
});

// Property: the unrolled input coercer (its statements specialised by scalar kind) does to every field
// exactly what that field's own coercer does, whatever the caller sent.
describe('the input coercer and the field coercers agree', () => {
  const shape = {
    n: z.number(),
    i: z.number().int().optional(),
    b: z.boolean(),
    bo: z.boolean().optional(),
    s: z.string(),
    e: z.enum(['open', 'closed']),
    l: z.literal(5),
    list: z.array(z.number()).optional(),
    anything: z.unknown(),
  };
  const value = fc.oneof(
    fc.constantFrom('true', 'false', 'TRUE', ' False ', 'yes', '', '42', ' -3.5 ', '1e3', 'abc', 'NaN', '0x1A', '5', '[1, 2]'),
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.integer(), { maxLength: 3 }),
  );
  it('on any input', () => {
    const coerce = compileInputCoercer(shape);
    const names = Object.keys(shape) as (keyof typeof shape)[];
    const optional = new Set(['i', 'bo', 'list']);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), (raw) => {
        const expected: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw)) {
          if (v === undefined) expected[k] = v;
          else if (optional.has(k) && (v === '' || v === null)) continue;
          else expected[k] = compileCoercer(shape[k as keyof typeof shape])(v);
        }
        expect(coerce({ ...raw })).toStrictEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

// Property: any value the zod type accepts survives Bedrock's stringification and our coercion.
describe('round trip through Bedrock strings', () => {
  // Java's List.toString is ambiguous for text holding separators or quotes (`["a", "b"]` is also JSON,
  // which is read first), so the Java-style properties use text without them; JSON covers any text.
  const javaSafe = fc.string({ minLength: 1 }).filter((s) => !/[,[\]{}="]/.test(s) && s.trim() === s && s !== '' && !/^[+-]?(\d|\.\d)/.test(s) && !/^(true|false|null)$/i.test(s));
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
  const cases: [string, z.ZodType, fc.Arbitrary<unknown>, (v: unknown) => string][] = [
    ['number', z.number(), finite, bedrockString],
    ['integer', z.number().int(), fc.maxSafeInteger(), bedrockString],
    ['boolean', z.boolean(), fc.boolean(), bedrockString],
    ['string', z.string(), fc.string(), bedrockString],
    ['enum', z.enum(['open', 'closed', 'pending']), fc.constantFrom('open', 'closed', 'pending'), bedrockString],
    ['number[] (Java style)', z.array(z.number()), fc.array(finite), bedrockString],
    ['integer[] (JSON)', z.array(z.number().int()), fc.array(fc.integer()), (v) => JSON.stringify(v)],
    ['string[] (JSON, any text)', z.array(z.string()), fc.array(fc.string()), (v) => JSON.stringify(v)],
    ['string[] (Java style)', z.array(z.string()), fc.array(javaSafe), bedrockString],
    ['boolean[] (Java style)', z.array(z.boolean()), fc.array(fc.boolean()), bedrockString],
    [
      'object[] (Java style)',
      z.array(z.object({ sku: z.string(), qty: z.number().int(), gift: z.boolean() })),
      fc.array(fc.record({ sku: javaSafe, qty: fc.integer(), gift: fc.boolean() })),
      bedrockString,
    ],
    [
      'object[] (JSON)',
      z.array(z.object({ sku: z.string(), qty: z.number() })),
      fc.array(fc.record({ sku: fc.string(), qty: finite })),
      (v) => JSON.stringify(v),
    ],
  ];
  it.each(cases)('%s', (_name, schema, arb, stringify) => {
    const coerce = compileCoercer(schema);
    fc.assert(
      fc.property(arb, (value) => {
        expect(schema.safeParse(value).success).toBe(true);
        const back = coerce(stringify(value));
        expect(schema.parse(back)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validation messages for formats', () => {
  it('says what form a date, a date-time or a pattern takes', async () => {
    const { validationError } = await import('../../src/core/validation.js');
    const schema = z.object({ from: z.iso.date(), at: z.iso.datetime(), code: z.string().regex(/^[A-Z]{3}$/), mail: z.email() });
    const input = { from: '01/03/2026', at: 'tomorrow', code: 'ab', mail: 'x' };
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    expect(validationError('op', r.error!, input).details).toEqual([
      { field: 'from', problem: 'must be a date as YYYY-MM-DD, got "01/03/2026"' },
      { field: 'at', problem: 'must be an ISO 8601 date-time such as 2026-03-01T09:30:00Z, got "tomorrow"' },
      { field: 'code', problem: 'must be text matching /^[A-Z]{3}$/, got "ab"' },
      { field: 'mail', problem: 'must be an email address, got "x"' },
    ]);
  });
});

describe('custom format messages', () => {
  it('uses the message given in the schema', async () => {
    const { validationError } = await import('../../src/core/validation.js');
    const schema = z.object({ ticketId: z.string().regex(/^\d+$/, 'must be a numeric HubSpot ticket id') });
    const r = schema.safeParse({ ticketId: 'abc' });
    expect(validationError('op', r.error!, { ticketId: 'abc' }).details).toEqual([{ field: 'ticketId', problem: 'must be a numeric HubSpot ticket id, got "abc"' }]);
  });
});
