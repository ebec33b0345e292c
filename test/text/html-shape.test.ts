import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { htmlShape } from '../../src/text/html-shape.js';
import { expectLinear } from '../support/timing.js';

const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Deepest nesting of non-void elements in htmlparser2's own tree of `html` — the parser's stack depth, and
 * (plus a void leaf) what html-to-text recurses through. Iterative, so it survives any depth.
 */
function parsedDepth(html: string): number {
  let max = 0;
  const stack: [node: { children?: unknown[]; type?: string }, depth: number][] = [[parseDocument(html), 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [{ children?: { type?: string; name?: string }[] }, number];
    for (const child of node.children ?? []) {
      const d = ['tag', 'script', 'style'].includes(child.type as string) && !VOID.has(child.name as string) ? depth + 1 : depth;
      if (d > max) max = d;
      stack.push([child, d]);
    }
  }
  return max;
}

describe('htmlShape', () => {
  it.each([
    ['<div><p>a</p></div>', 2],
    ['<br><img src=x><hr>', 0],
    ['<ul><li>a<li>b<li>c</ul>', 2],
    ['<p>a<p>b<p>c', 1],
    ['<table><tr><td>a<td>b<tr><td>c</table>', 3],
    ['<svg><path/><path/><g><path/></g></svg>', 3],
    ['<!-- <div><div><div> -->', 0],
    ['<style><div><div></style><b>x</b>', 1],
    ['<a title="</div><div>"><b>x</b></a>', 2],
    ['<div></span></div>', 1],
    ['<div></p></div>', 2],
  ])('%s nests %i deep, as htmlparser2 parses it', (html, depth) => {
    expect(htmlShape(html, 256).depth).toBe(depth);
    expect(parsedDepth(html)).toBe(depth);
  });

  it('stops counting one past the limit', () => {
    expect(htmlShape('<div>'.repeat(10_000), 256).depth).toBe(257);
  });

  it('counts table parts and reads spans as html-to-text does (+value, else 1)', () => {
    // A <th> does not close an open <td>: htmlparser2 nests it inside.
    expect(htmlShape('<table><tr><td colspan="3">a<th rowspan=2>b</table>', 256)).toEqual({ depth: 4, tableParts: 3, maxSpan: 3 });
    expect(parsedDepth('<table><tr><td colspan="3">a<th rowspan=2>b</table>')).toBe(4);
    expect(htmlShape('<td colspan="1e9">', 256).maxSpan).toBe(1e9);
    expect(htmlShape('<td colspan="&#57;&#57;">', 256).maxSpan).toBe(99);
    expect(htmlShape('<td rowspan="x" colspan="">', 256).maxSpan).toBe(1);
    expect(htmlShape('<td colspan="Infinity">', 256).maxSpan).toBe(Infinity);
  });

  it('never reads shallower than htmlparser2 parses, on any tag soup', () => {
    const piece = fc.constantFrom(
      '<div>', '</div>', '<p>', '</p>', '<li>', '</li>', '<ul>', '</ul>', '<td>', '<tr>', '<table>', '</table>', '<b>', '</b>',
      '<svg>', '</svg>', '<path/>', '<br>', '</br>', '<img>', '<!--', '-->', '<style>', '</style>', '<script>', '</script>',
      '<a title="', '">', "'", '"', '<', '>', '/', '</', '<!x>', '<?x>', '<dd>', '<dt>', '<option>', '<select>', '<h1>', 'text ', '&amp;', '<textarea>', '</textarea>',
      '<math>', '<mi>', '</mi>', '</math>', '<title>', '</title>', '<DIV>', '</Div >', '<div/>', '<tbody>', '<thead>',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const html = pieces.join('');
        expect(htmlShape(html, 1000).depth).toBeGreaterThanOrEqual(parsedDepth(html));
      }),
      { numRuns: 3000 },
    );
  });

  it('is linear in the input', () => {
    expectLinear((s: string) => htmlShape(s, 256), (n) => `<div title="${'x'.repeat(10)}">${'<b>a</b><br>'.repeat(n / 12)}</div>`);
    expectLinear((s: string) => htmlShape(s, 256), (n) => `<td colspan="${' '.repeat(n)}`);
    expectLinear((s: string) => htmlShape(s, 256), (n) => '</div>'.repeat(n / 6));
  });
});
