// Coercion and validation of hostile input take time linear in its size: a megabyte of digits and a
// letter is rejected in milliseconds (the number pattern used to backtrack quadratically: 2 s for 30 KB).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter } from '../../src/index.js';
import { bedrockFunctionEvent, bedrockOpenApiEvent } from '../../src/testing/index.js';
import { memoryLogger } from '../support/logger.js';

const MB = 1_000_000;

const things = actionGroup({ name: 'Things', description: 'Things' })
  .operation({
    name: 'findThings',
    method: 'GET',
    path: '/things',
    description: 'Finds things.',
    input: z.object({
      count: z.number().optional().describe('How many'),
      page: z.number().int().optional().describe('Page'),
      exact: z.boolean().optional().describe('Exact match'),
      size: z.literal(2).optional().describe('Size'),
      ids: z.array(z.number()).optional().describe('Ids'),
      flags: z.array(z.boolean()).optional().describe('Flags'),
      name: z.string().max(50).optional().describe('Name'),
    }),
    handler: (input) => ({ found: 0, input }),
  })
  .operation({
    name: 'addLines',
    method: 'POST',
    path: '/lines',
    description: 'Adds order lines.',
    input: z.object({ lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })).describe('Lines') }),
    handler: () => ({ added: true }),
  });

const router = createRouter({ logger: memoryLogger().logger }).add(things);
const FIELDS = ['count', 'page', 'exact', 'size', 'ids', 'flags', 'name'] as const;

type FnReply = { response: { functionResponse: { responseState?: string; responseBody: { TEXT: { body: string } } } } };

/**
 * CPU milliseconds `router.handle` spends on an event (its handlers are synchronous, so all the work is
 * done before it returns): the cost of the work itself, however busy the machine is with other processes.
 */
function handled(event: unknown): { ms: number; reply: Promise<unknown> } {
  const start = process.cpuUsage();
  const reply = router.handle(event);
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, reply };
}

/** Calls findThings through the function door with one field set; resolves the reply and the CPU time it took. */
async function timed(field: string, value: string): Promise<{ ms: number; reply: FnReply }> {
  const event = bedrockFunctionEvent({ actionGroup: 'Things', function: 'findThings' });
  event.parameters = [{ name: field, type: 'string', value }];
  const { ms, reply } = handled(event);
  return { ms, reply: (await reply) as FnReply };
}

/** The least of a few timings: what the work costs, without the machine's noise. */
async function leastMs(field: string, value: string, runs = 5): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < runs; i++) least = Math.min(least, (await timed(field, value)).ms);
  return least;
}

describe('coercion and validation are linear in the input', () => {
  it('rejects a megabyte of digits and one letter in well under 100 ms on every scalar and list field', async () => {
    const hostile = '1'.repeat(MB) + 'x';
    for (const field of FIELDS) {
      await timed(field, '1'.repeat(1_000) + 'x'); // warm-up: JIT and zod's compiled parser
      const { ms, reply } = await timed(field, hostile);
      expect(reply.response.functionResponse.responseState, field).toBe('REPROMPT');
      expect(ms, field).toBeLessThan(100);
    }
  });

  it("rejects the issue's case (a number field given 30 000 ones and an x) with a short message", async () => {
    const { ms, reply } = await timed('count', '1'.repeat(30_000) + 'x');
    expect(ms).toBeLessThan(50);
    const error = JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error;
    expect(error.details).toEqual([{ field: 'count', problem: `expected a number, got "${'1'.repeat(57)}…"` }]);
  });

  it('still reads ordinary numbers and booleans, up to 100 characters', async () => {
    const ok = async (field: string, value: string) => JSON.parse((await timed(field, value)).reply.response.functionResponse.responseBody.TEXT.body).input[field];
    expect(await ok('count', ' -12.5e3 ')).toBe(-12500);
    expect(await ok('count', '0.' + '1'.repeat(98))).toBeCloseTo(0.111111, 5);
    expect(await ok('exact', ' TRUE ')).toBe(true);
    const tooLong = (await timed('count', '1'.repeat(101))).reply.response.functionResponse;
    expect(tooLong.responseState).toBe('REPROMPT');
  });

  it('rejects a megabyte-long array of objects in the Java-style and JSON forms quickly (OpenAPI door)', async () => {
    const javaStyle = `[${'{sku=a, qty=1x}, '.repeat(MB / 20)}]`;
    const json = JSON.stringify(Array.from({ length: MB / 30 }, () => ({ sku: 'a', qty: '1'.repeat(15) + 'x' })));
    for (const value of ['[{sku=a, qty=1x}]', javaStyle, json]) {
      const event = bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/lines', httpMethod: 'POST', body: {} });
      event.requestBody = { content: { 'application/json': { properties: [{ name: 'lines', type: 'array', value }] } } };
      const call = handled(event);
      const reply = (await call.reply) as { response: { httpStatusCode: number; responseBody: { 'application/json': { body: string } } } };
      const ms = call.ms;
      expect(reply.response.httpStatusCode).toBe(400);
      expect(Buffer.byteLength(reply.response.responseBody['application/json'].body)).toBeLessThanOrEqual(25_000);
      // The first, short, call warms up. A megabyte of JSON parsed into 33 000 objects costs tens of ms of
      // CPU by itself (103 ms seen once on this 2-core machine); a quadratic pass costs seconds.
      if (value.length > 100) expect(ms).toBeLessThan(300);
    }
  });

  it('refuses a list with many wrong items before validation, naming the first ten and counting the rest', async () => {
    const { reply } = await timed('flags', Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? 'true' : 'maybe')).join(','));
    const error = JSON.parse(reply.response.functionResponse.responseBody.TEXT.body).error;
    expect(error.details).toHaveLength(10);
    expect(error.details[0]).toEqual({ field: 'flags.1', problem: 'expected true or false, got "maybe"' });
    expect(error.message).toMatch(/^Invalid input for findThings: 400 of the 500 items of flags are wrong: flags\.1 expected true or false, got "maybe"; .*; and 390 more\. Fix the list and call again\.$/);
    const lines = bedrockOpenApiEvent({ actionGroup: 'Things', apiPath: '/lines', httpMethod: 'POST', body: {} });
    const value = JSON.stringify(Array.from({ length: 200 }, () => ({ sku: 'a', qty: 'many' })));
    lines.requestBody = { content: { 'application/json': { properties: [{ name: 'lines', type: 'array', value }] } } };
    const body = JSON.parse(((await router.handle(lines)) as { response: { responseBody: { 'application/json': { body: string } } } }).response.responseBody['application/json'].body);
    expect(body.error.details[0]).toEqual({ field: 'lines.0.qty', problem: 'expected a number, got "many"' });
    expect(body.error.message).toContain('200 of the 200 items of lines are wrong');
  });

  // Property: any string made of a repeated unit of the characters the coercers look at, up to the
  // 1 MiB body limit, is coerced and validated in well under 100 ms on every field.
  it('takes well under 100 ms for any repeated pattern of up to 1 MiB on any field', async () => {
    const unit = fc.string({ unit: fc.constantFrom(...'0123456789.eE+- \t,[]{}="x'), minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(unit, fc.integer({ min: 1, max: 1 << 20 }), fc.constantFrom(...FIELDS), fc.constantFrom('', 'x', ']', '}', '1'), async (u, length, field, suffix) => {
        const value = u.repeat(Math.ceil(length / u.length)).slice(0, length) + suffix;
        const { ms, reply } = await timed(field, value);
        expect(reply.response.functionResponse.responseBody.TEXT.body.length).toBeLessThanOrEqual(25_000);
        expect(ms).toBeLessThan(100);
      }),
      { numRuns: 100 },
    );
  });

  it('grows about 4× for 4× the input, not 16× (least of 5 timings)', async () => {
    for (const [field, unit] of [['count', '1'], ['ids', '1,'], ['count', '1.'], ['exact', ' ']] as const) {
      const small = await leastMs(field, unit.repeat(MB / 4 / unit.length) + 'x');
      const large = await leastMs(field, unit.repeat(MB / unit.length) + 'x');
      expect(large / Math.max(small, 0.5), `${field} ← "${unit}"…`).toBeLessThan(10);
    }
  });
});
