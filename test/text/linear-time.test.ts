import { describe, expect, it } from 'vitest';
import { resolveDateRange } from '../../src/text/dates.js';
import { detectRequestedLimit } from '../../src/text/limits.js';
import { redactPii } from '../../src/text/pii.js';
import { expectLinear, medianMs } from '../support/timing.js';

// Issue 9 item 11: text utilities read customer text (transcripts, emails, requests): their time must
// grow linearly with it. Each class was measured before the fix; those that were super-linear say so.

const fill = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

describe('redactPii — linear growth, 100 KB → 400 KB', () => {
  it.each([
    // Was quadratic: after each card the account-layout check rescanned the rest of the run (400 KB: 3.3 s).
    ['cards in 4-digit groups, one run, a 2-digit tail', (n: number) => `${fill('4111 1111 1111 1111 ', n - 3)} 12`, (out: string) => expect(out.slice(0, 39)).toBe('**** **** **** 1111 **** **** **** 1111')],
    ['dashed cards, one run, a 1-digit tail', (n: number) => `${fill('4111-1111-1111-1111-', n - 1)}1`, (out: string) => expect(out.slice(0, 20)).toBe('****-****-****-1111-')],
    ['an account layout (all 4-digit groups)', (n: number) => fill('4111 ', n - 1), (out: string) => expect(out).not.toContain('*')],
    ['1-digit groups', (n: number) => fill('4 ', n), (out: string) => expect(out).not.toContain('*')],
    ['one digit run', (n: number) => '4'.repeat(n), (out: string) => expect(out).not.toContain('*')],
    ['context words before DNIs', (n: number) => fill('DNI xxxxxxxxxx 12345678 ', n), (out: string) => expect(out.slice(0, 24)).toBe('DNI xxxxxxxxxx ******** ')],
    ['context words alone', (n: number) => fill('DNI ', n), (out: string) => expect(out).not.toContain('*')],
    ['NIEs', (n: number) => fill('X1234567L ', n), (out: string) => expect(out.slice(0, 10)).toBe('X*******L ')],
  ])('%s', (_name, make, check) => {
    expectLinear(redactPii, make);
    check(redactPii(make(100_000)));
  });
});

describe('detectRequestedLimit and resolveDateRange — bounded by their 2 000-character window', () => {
  const now = Date.UTC(2025, 5, 15, 12);
  const read = (text: string) => [detectRequestedLimit(text), resolveDateRange(text, { timezone: 'America/Costa_Rica', now })];

  it.each([
    ['a digit run', (n: number) => '1'.repeat(n)],
    ['"#" and blanks', (n: number) => `#${' '.repeat(n - 2)}x`],
    ['blanks', (n: number) => ' '.repeat(n)],
    ['numeric dates', (n: number) => fill('15-03-2025 ', n)],
    ['range words', (n: number) => fill('desde el 1 de enero hasta el ', n)],
    ['day names and connectors', (n: number) => fill('ayer y hoy ', n)],
  ])('%s: 400 KB reads as fast as 100 KB', (_name, make) => {
    expectLinear(read, make);
  });

  it('a window of digits, or of "#" and blanks, is read in linear time (was quadratic: 36 ms a call)', () => {
    // Within the window the old patterns restarted `\d+` at every digit and traded blanks between two `\s*`.
    for (const text of ['1'.repeat(2000), `#${' '.repeat(1998)}x`, `${'1'.repeat(1999)}%`]) {
      detectRequestedLimit(text);
      expect(medianMs(() => { for (let i = 0; i < 20; i++) detectRequestedLimit(text); }, 5) / 20).toBeLessThan(5);
    }
    expect(detectRequestedLimit(`dame 3 tickets #${' '.repeat(1990)}5`)).toBe(3);
  });
});
