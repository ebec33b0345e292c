/**
 * Paging a long text by characters (UTF-16 code units, as JavaScript counts them).
 *
 * Pages are canonical: page boundaries are always computed from the start of the text with the same
 * size, so a page is the same whichever way the reader arrived at it, and going forward then back
 * returns the same pages. A page never ends between the two halves of a surrogate pair (an emoji), and
 * ends after the last whitespace of its second half when there is one, so words are not cut.
 */

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const WHITESPACE = /\s/;

/** Where the page starting at `start` ends (exclusive), for pages of at most `size` code units. */
export function pageEnd(text: string, start: number, size: number): number {
  if (start + size >= text.length) return text.length;
  let end = start + size;
  if (isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  // A page of size 1 that starts on a surrogate pair holds the whole pair: a page is never empty.
  if (end === start) return start + 2;
  // Prefer to end just after whitespace, but only in the page's second half: pages stay near `size`.
  for (let i = end - 1; i > start + (end - start) / 2; i--) if (WHITESPACE.test(text[i] as string)) return i + 1;
  return end;
}

/** The canonical page starts: 0, then the end of each page, up to the last page's start. */
export function pageStarts(text: string, size: number): number[] {
  const starts = [0];
  for (let s = 0; ; ) {
    const e = pageEnd(text, s, size);
    if (e >= text.length) return starts;
    starts.push(e);
    s = e;
  }
}

/** One page and where its neighbours start (`null` at either end). */
export interface TextPage {
  text: string;
  start: number;
  next: number | null;
  prev: number | null;
}

/**
 * The page starting at `start` (which must be a canonical start, else `undefined`), or the first or
 * last page when `start` is `'first'` / `'last'`. An empty text has one empty page.
 */
export function textPage(text: string, size: number, start: number | 'first' | 'last'): TextPage | undefined {
  const starts = pageStarts(text, size);
  const index = start === 'first' ? 0 : start === 'last' ? starts.length - 1 : starts.indexOf(start);
  if (index < 0) return undefined;
  const s = starts[index] as number;
  const e = index + 1 < starts.length ? (starts[index + 1] as number) : text.length;
  return { text: text.slice(s, e), start: s, next: index + 1 < starts.length ? e : null, prev: index > 0 ? (starts[index - 1] as number) : null };
}
