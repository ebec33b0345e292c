import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, cursorScope } from '../../../src/kit/cursor.js';
import { lastPage, pageReply, planPage, type PagePlan } from '../../../src/packs/hubspot/paging.js';

const codec = createCursorCodec({ secret: 'paging-property-secret-01' });
const scope = cursorScope('test.list', { q: 'x' });

/** Serves one page of a list of `total` items the way an operation does; returns the item range and the reply. */
function fetchPage(total: number, pageSize: number, input: { cursor?: string; direction: 'next' | 'prev' }, requested: number | null) {
  let plan: PagePlan = planPage({ page_size: pageSize, direction: input.direction, ...(input.cursor ? { cursor: input.cursor } : {}) }, 5, scope, codec, input.cursor ? null : requested);
  if (plan.offset < 0) plan = lastPage(plan, total);
  const count = Math.max(Math.min(plan.limit, total - plan.offset), 0);
  const reply = pageReply(plan, count, total, scope, codec);
  return { range: [plan.offset, plan.offset + count] as const, reply };
}

const arbitraries = [fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.option(fc.integer({ min: 1, max: 45 }), { nil: null })] as const;

describe('offset paging with signed cursors', () => {
  it('walks forward over exactly the requested window, remaining counting down to 0', () => {
    fc.assert(
      fc.property(...arbitraries, (total, pageSize, requested) => {
        const end = Math.min(total, requested ?? Infinity);
        const used = Math.min(pageSize, 5);
        let page = fetchPage(total, pageSize, { direction: 'next' }, requested);
        const seen: number[] = [];
        for (let guard = 0; ; guard++) {
          expect(guard).toBeLessThan(50);
          for (let i = page.range[0]; i < page.range[1]; i++) seen.push(i);
          expect(page.reply.page_size).toBe(used);
          expect(page.reply.remaining).toBe(end - page.range[1]);
          expect(page.reply.has_more).toBe(page.reply.cursor_next !== null);
          if (!page.reply.cursor_next) break;
          page = fetchPage(total, pageSize, { cursor: page.reply.cursor_next, direction: 'next' }, null);
        }
        expect(seen).toEqual(Array.from({ length: end }, (_, i) => i));
        expect(page.reply.remaining).toBe(0);
      }),
    );
  });

  it('returns the same pages going back as going forward', () => {
    fc.assert(
      fc.property(...arbitraries, (total, pageSize, requested) => {
        const forward = [fetchPage(total, pageSize, { direction: 'next' }, requested)];
        while (forward.at(-1)!.reply.cursor_next) forward.push(fetchPage(total, pageSize, { cursor: forward.at(-1)!.reply.cursor_next!, direction: 'next' }, null));
        const back = [forward.at(-1)!];
        while (back.at(-1)!.reply.cursor_prev) back.push(fetchPage(total, pageSize, { cursor: back.at(-1)!.reply.cursor_prev!, direction: 'prev' }, null));
        expect(back.map((p) => p.range).reverse()).toEqual(forward.map((p) => p.range));
      }),
    );
  });

  it('from the last page (direction prev) walks back over every item once, then forward again to the same pages', () => {
    fc.assert(
      fc.property(...arbitraries, (total, pageSize, requested) => {
        const end = Math.min(total, requested ?? Infinity);
        const back = [fetchPage(total, pageSize, { direction: 'prev' }, requested)];
        while (back.at(-1)!.reply.cursor_prev) back.push(fetchPage(total, pageSize, { cursor: back.at(-1)!.reply.cursor_prev!, direction: 'next' }, null));
        const seen = back.flatMap((p) => Array.from({ length: p.range[1] - p.range[0] }, (_, i) => p.range[0] + i)).sort((a, b) => a - b);
        expect(seen).toEqual(Array.from({ length: end }, (_, i) => i));
        const forward = [back.at(-1)!];
        while (forward.at(-1)!.reply.cursor_next) forward.push(fetchPage(total, pageSize, { cursor: forward.at(-1)!.reply.cursor_next!, direction: 'prev' }, null));
        expect(forward.map((p) => p.range)).toEqual(back.map((p) => p.range).reverse());
      }),
    );
  });
});
