import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageEnd, pageStarts, textPage } from '../../../src/packs/interactions/text-pages.js';

/** Every page, walking forward with `next`. */
function forward(text: string, size: number): string[] {
  const pages: string[] = [];
  for (let p = textPage(text, size, 'first'); p; p = p.next === null ? undefined : textPage(text, size, p.next)) pages.push(p.text);
  return pages;
}

describe('text pages', () => {
  it('break after whitespace in the second half of a page, else at the size', () => {
    const text = 'uno dos tres cuatro cinco';
    expect(forward(text, 12)).toEqual(['uno dos ', 'tres cuatro ', 'cinco']);
    // From "tres", the only space within 10 is in the page's first half: the page keeps its size.
    expect(forward(text, 10)).toEqual(['uno dos ', 'tres cuatr', 'o cinco']);
  });

  it('cut a long word at the size when there is no whitespace to break at', () => {
    expect(forward('abcdefghijklmnop', 5)).toEqual(['abcde', 'fghij', 'klmno', 'p']);
  });

  it('never split a surrogate pair', () => {
    const text = 'ab😀cd😀😀e';
    expect(pageEnd(text, 0, 3)).toBe(2); // 'ab' then the emoji starts the next page
    expect(forward(text, 3)).toEqual(['ab', '😀c', 'd😀', '😀e']);
    expect(forward('😀😀😀', 1)).toEqual(['😀', '😀', '😀']);
  });

  it('the last page and the first page of an empty text', () => {
    expect(textPage('uno dos tres', 5, 'last')).toEqual({ text: 'tres', start: 8, next: null, prev: 4 });
    expect(textPage('', 5, 'first')).toEqual({ text: '', start: 0, next: null, prev: null });
    expect(textPage('uno dos', 5, 3)).toBeUndefined();
  });

  it('property: pages join back to the text, never split a pair, hold at most size (or one character), and back returns the same pages', () => {
    const unit = fc.constantFrom('a', 'b', ' ', '\n', 'é', '😀', '👍🏽');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }).map((a) => a.join('')), fc.integer({ min: 1, max: 40 }), (text, size) => {
        const pages = forward(text, size);
        expect(pages.join('')).toBe(text);
        for (const p of pages) {
          expect(p.length <= size || (p.length === 2 && size === 1)).toBe(true);
          expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
        }
        const back: string[] = [];
        for (let p = textPage(text, size, 'last'); p; p = p.prev === null ? undefined : textPage(text, size, p.prev)) back.unshift(p.text);
        expect(back).toEqual(pages);
        expect(pageStarts(text, size).length).toBe(pages.length);
      }),
      { numRuns: 500 },
    );
  });
});
