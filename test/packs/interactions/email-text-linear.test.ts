import { describe, expect, it } from 'vitest';
import { emailText, MAX_EMAIL_CHARS, UnreadableEmailError } from '../../../src/packs/interactions/email-text.js';
import { expectLinear } from '../../support/timing.js';

// Issue 9 item 7: a customer email is hostile input. Every input class below was super-linear before
// (seconds to minutes at these sizes, or a stack overflow); each must now grow linearly from 100 KB to
// 400 KB and stay well under a second.

const plain = (text: string) => emailText(text, false);
const html = (text: string) => emailText(text, true);
const blanks = (n: number) => ' '.repeat(n);
/**
 * Inputs made of thousands of elements run at html-to-text's own pace, a few hundred KB/s on a loaded
 * 2-core machine, with garbage-collection pauses: still linear (a quadratic grid takes 16×); measured at
 * 25 and 100 KB with wider bounds, to keep the suite quick.
 */
const CONVERTER_PACE = { small: 25_000, large: 100_000, maxMs: 2000, ratio: 8 };

describe('emailText — linear time on hostile plain text', () => {
  it.each([
    // The three: a long line of spaces (the Outlook-rule and trailing-blank patterns), a
    // closing followed by spaces (the closing pattern).
    ['a long line of spaces ending in a letter', (n: number) => `Hola,\n${blanks(n)}x\nGracias`, (n: number) => `Hola,\n${blanks(n)}x\nGracias`],
    ['"Saludos", spaces, a letter', (n: number) => `Saludos${blanks(n)}x`, (n: number) => `Saludos${blanks(n)}x`],
    ['spaces, tabs and no-break spaces, then a letter', (n: number) => `a${' \t\u00a0'.repeat(n / 3)}x`, (n: number) => `a${' \t\u00a0'.repeat(n / 3)}x`],
    ['"--", spaces, a letter (not a signature mark)', (n: number) => `Texto\n--${blanks(n)}x`, (n: number) => `Texto\n--${blanks(n)}x`],
    ['a long rule of underscores then spaces and a letter', (n: number) => `Listo.\n${'_'.repeat(n / 2)}${blanks(n / 2)}x`, (n: number) => `Listo.\n${'_'.repeat(n / 2)}${blanks(n / 2)}x`],
    ['"wrote", blanks, a colon, blanks, a letter', (n: number) => `On Monday\nwrote${blanks(n / 2)}:${blanks(n / 2)}x`, (n: number) => `On Monday\nwrote${blanks(n / 2)}:${blanks(n / 2)}x`],
  ])('%s', (_name, make, expected) => {
    expectLinear(plain, make);
    expect(plain(make(100_000))).toBe(expected(100_000));
  });
});

describe('emailText — linear time on hostile HTML', () => {
  it('100 000 &nbsp; and a letter (the issue\'s third case) become that text', () => {
    const make = (n: number) => `<p>Hola${'&nbsp;'.repeat(n / 6)}x</p>`;
    expectLinear(html, make);
    expect(html(make(100_002))).toBe(`Hola${'\u00a0'.repeat(16_667)}x`);
    // 600 KB: cut at the cap, on an entity boundary.
    expect(html('&nbsp;'.repeat(100_000))).toBe('[message truncated]');
  });

  it('a table of thousands of rows is read row by row (html-to-text\'s grid is quadratic in rows)', () => {
    const make = (n: number) => `<table>${'<tr><td>a'.repeat(n / 9)}</table>`;
    expectLinear(html, make, CONVERTER_PACE);
    expect(html(make(45_000))).toBe(Array(5000).fill('a').join('\n'));
  });

  it('a row of thousands of cells beside a tall cell is read cell by cell', () => {
    const make = (n: number) => `<table><tr><td>${'texto '.repeat(n / 12)}${'<td>a'.repeat(n / 10)}</table>`;
    expectLinear(html, make, CONVERTER_PACE);
    expect(html(make(100_000)).split('\n').slice(-2)).toEqual(['a', 'a']);
  });

  it('a cell spanning millions of rows and columns is not laid out as a grid', () => {
    const make = (n: number) => `<table><tr><td colspan="9999999" rowspan="9999999">celda</td></tr></table><p>${'x'.repeat(n)}</p>`;
    expectLinear(html, make);
    expect(html(make(10))).toBe('celda\n\nxxxxxxxxxx');
  });

  it('thousands of nested elements are refused in linear time, without overflowing the stack', () => {
    const make = (n: number) => `${'<div>'.repeat(n / 5)}hola`;
    expectLinear((s: string) => expect(() => html(s)).toThrow(UnreadableEmailError), make);
  });

  it.each([
    // Not hostile before the fix: guards that the depth pre-scan knows implied closes (a new <li> or <p>
    // closes the open one), so flat HTML is never refused as deep nesting.
    ['unclosed list items', (n: number) => `<ul>${'<li>a'.repeat(n / 5)}</ul>`, (n: number) => Array(n / 5).fill(' * a').join('\n').trim()],
    ['unclosed paragraphs', (n: number) => '<p>a'.repeat(n / 4), (n: number) => Array(n / 4).fill('a').join('\n\n')],
  ])('thousands of %s stay linear and readable', (_name, make, expected) => {
    expectLinear(html, make, CONVERTER_PACE);
    expect(html(make(20_000))).toBe(expected(20_000));
  });
});

describe('emailText — one message is bounded', () => {
  it(`reads at most ${MAX_EMAIL_CHARS} characters and says it cut the rest`, () => {
    const text = `${'a'.repeat(MAX_EMAIL_CHARS - 1)} ${'b'.repeat(1000)}`;
    expect(plain(text)).toBe(`${'a'.repeat(MAX_EMAIL_CHARS - 1)}\n\n[message truncated]`);
    expect(plain('a'.repeat(MAX_EMAIL_CHARS))).toBe('a'.repeat(MAX_EMAIL_CHARS));
  });

  it('never cuts through a card number, so none survives half-masked', () => {
    const card = '4111 1111 1111 1111';
    const text = `${'a'.repeat(MAX_EMAIL_CHARS - 8)} ${card} fin`;
    expect(plain(text)).toBe(`${'a'.repeat(MAX_EMAIL_CHARS - 8)}\n\n[message truncated]`);
  });

  it('cuts HTML before converting it', () => {
    const body = `<p>${'a'.repeat(MAX_EMAIL_CHARS)}</p><p>después</p>`;
    expect(html(body)).toBe(`${'a'.repeat(MAX_EMAIL_CHARS - 3)}\n\n[message truncated]`);
  });
});
