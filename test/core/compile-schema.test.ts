import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';

async function compiledSoon(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe("operations validate through zod's compiled clone", () => {
  const input = z.object({
    ticketId: z.string().regex(/^\d+$/, 'must be a numeric ticket id').describe('Ticket'),
    limit: z.number().int().min(1).max(50).default(5).describe('Most items'),
    tags: z.array(z.enum(['a', 'b'])).optional().describe('Tags'),
  });
  const group = () =>
    actionGroup({ name: 'G', description: 'g' }).operation({ name: 'op', method: 'GET', path: '/t/{ticketId}', description: 'd', input, handler: (i) => i });

  it('swaps in the compiled validator shortly after definition, leaving the schema as written', async () => {
    const g = group();
    const op = g.get('op')!;
    expect(op.validator).toBe(input); // until zod's compiler is loaded
    await compiledSoon(() => op.validator !== input);
    expect(op.validator).not.toBe(input);
    expect(op.input).toBe(input);
  });

  it('installs zod\'s compiled clone of this very schema, and the router validates through it', async () => {
    const g = group();
    const op = g.get('op')!;
    await compiledSoon(() => op.validator !== input);
    // A compiled clone: its own parse functions, over the same definition, derived from the schema as written.
    const compiled = op.validator as unknown as { _zod: { def: unknown; parent?: unknown }; safeParse: unknown };
    expect(Object.hasOwn(compiled, 'safeParse')).toBe(true);
    expect(compiled._zod.def).toBe((input as unknown as { _zod: { def: unknown } })._zod.def);
    expect(compiled._zod.parent).toBe(input);
    const router = createRouter({ logger: memoryLogger().logger }).add(g);
    let parses = 0;
    const parse = op.validator.safeParse.bind(op.validator);
    (op.validator as { safeParse: typeof parse }).safeParse = (value, params) => {
      parses++;
      return parse(value, params);
    };
    expect(await router.invoke('G', 'op', { ticketId: '7' })).toEqual({ ticketId: '7', limit: 5 });
    expect(parses).toBe(1);
  });

  it('gives the same outputs and the same field problems as the schema as written', async () => {
    const compiled = createRouter({ logger: memoryLogger().logger }).add(group());
    const op = compiled.group('G')!.get('op')!;
    await compiledSoon(() => op.validator !== input);
    const runtime = createRouter({ logger: memoryLogger().logger }).add(group());
    runtime.group('G')!.get('op')!.validator = input;
    const cases = [{ ticketId: '12', limit: '7', tags: 'a,b' }, { ticketId: '12' }, { ticketId: 'x', limit: '99', tags: '[c]' }, { limit: 0 }];
    for (const raw of cases) {
      const settle = (p: Promise<unknown>) => p.then((v) => ({ ok: v }), (e: { status: number; message: string; details: unknown }) => ({ status: e.status, message: e.message, details: e.details }));
      expect(await settle(compiled.invoke('G', 'op', raw))).toEqual(await settle(runtime.invoke('G', 'op', raw)));
    }
    expect(await compiled.invoke('G', 'op', { ticketId: '12', limit: '7', tags: 'a,b' })).toEqual({ ticketId: '12', limit: 7, tags: ['a', 'b'] });
  });
});
