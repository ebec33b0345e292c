import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardBrand, luhnValid } from '../../src/text/card.js';
import { redactPii } from '../../src/text/pii.js';

/** The documented mask: every digit but the last four becomes `*`, separators stay. */
function masked(card: string): string {
  let keep = 4;
  return [...card].reverse().map((c) => (/\d/.test(c) ? (keep-- > 0 ? c : '*') : c)).reverse().join('');
}

/** `digits` regrouped: sizes repeat their last entry ("4111…" with [4] → "4111 1111 …"). */
function layout(digits: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  for (let i = 0, k = 0; i < digits.length; k++) {
    const size = sizes[Math.min(k, sizes.length - 1)] as number;
    parts.push(digits.slice(i, i + size));
    i += size;
  }
  return parts.join(sep);
}

// Published test numbers (Stripe, Adyen, PayPal sandbox docs) and range-edge numbers with a valid check digit.
const CARDS: [brand: string, number: string][] = [
  ['visa', '4111111111111111'],
  ['visa', '4242424242424242'],
  ['visa', '4012888888881881'],
  ['visa', '4222222222222'], // 13 digits
  ['visa', '4111111111111111110'], // 19 digits
  ['mastercard', '5555555555554444'],
  ['mastercard', '5105105105105100'],
  ['mastercard', '2223003122003222'], // 2-series
  ['mastercard', '2221000000000009'],
  ['mastercard', '2720990000000007'],
  ['amex', '378282246310005'],
  ['amex', '371449635398431'],
  ['amex', '343434343434343'],
  ['discover', '6011111111111117'],
  ['discover', '6011000990139424'],
  ['discover', '6445644564456445'],
  ['discover', '6500000000000002'],
  ['discover', '6221260000000000'],
  ['diners', '3056930009020004'],
  ['diners', '30569309025904'], // 14 digits
  ['diners', '36227206271667'],
  ['diners', '38520000023237'],
  ['jcb', '3566002020360505'],
  ['jcb', '3530111333300000'],
  ['unionpay', '6200000000000005'],
  ['unionpay', '6205500000000000004'], // 19 digits
  ['maestro', '5018000000000009'],
  ['maestro', '6759649826438453'],
  ['maestro', '5600000000000003'],
  ['maestro', '6799990100000000019'], // 19 digits
];

describe('redactPii — cards of every brand, in every layout', () => {
  it('the table holds valid numbers of the stated brands', () => {
    for (const [brand, number] of CARDS) expect([number, cardBrand(number)]).toEqual([number, brand]);
    expect(new Set(CARDS.map(([b]) => b))).toEqual(new Set(['visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'maestro']));
  });

  const rows = CARDS.flatMap(([brand, n]) => {
    const print = n.length === 15 ? [4, 6, 5] : n.length === 14 ? [4, 6, 4] : [4];
    return [
      [brand, n],
      [brand, layout(n, print, ' ')],
      [brand, layout(n, print, '-')],
      [brand, layout(n, [4], ' ')],
      [brand, layout(n, [3, 5, 2], '-')],
    ];
  });
  it.each(rows)('%s %s is masked down to its last 4 digits, layout kept', (_brand, card) => {
    expect(redactPii(card)).toBe(masked(card));
    expect(redactPii(`Mi tarjeta es ${card}, vence 12/27.`)).toBe(`Mi tarjeta es ${masked(card)}, vence 12/27.`);
  });

  it('masks exactly as documented', () => {
    expect(redactPii('4111 1111 1111 1111')).toBe('**** **** **** 1111');
    expect(redactPii('4111-1111-1111-1111')).toBe('****-****-****-1111');
    expect(redactPii('4111111111111111')).toBe('************1111');
    expect(redactPii('3782 822463 10005')).toBe('**** ****** *0005');
    expect(redactPii('card:5555555555554444.')).toBe('card:************4444.');
  });
});

describe('redactPii — what must survive', () => {
  it.each([
    ['Luhn failure (Visa prefix)', 'tarjeta 4111 1111 1111 1112'],
    ['Luhn failure (Mastercard)', '5555555555554445'],
    ['Luhn-valid but no brand (prefix 1)', '1000000000000008'],
    ['Luhn-valid but a length the brand does not issue (Visa 15)', '411111111111113'],
    ['Luhn-valid Amex prefix at 16 digits', '3782822463100051'],
    ['13-digit epoch-ms timestamp', 'created 1718034567890'],
    ['epoch-ms list', '1718034567890,1718034567891 1718034567892'],
    ['20-digit plain run holding a valid card prefix', 'ref 41111111111111111234'],
    ['20-digit plain run', '12345678901234567890'],
    ['25-digit plain run', '4111111111111111000000000'],
    ['IBAN with country code', 'IBAN ES91 2100 0418 4502 0005 1332'],
    ['IBAN written plain', 'ES9121000418450200051332'],
    ['valid IBAN whose account digits hold a Luhn-valid Visa', 'ES73 0049 4111 1111 1111 1111'],
    ['IBAN fragment without country code', 'cuenta 2100 0418 4502 0005 1332'],
    ['account layout holding a Luhn-valid Visa window', '4111 1111 1111 1111 0000'],
    ['Costa Rica phone, international', 'llámeme al +506 8888 8888'],
    ['Costa Rica phone, dashed', 'o al 8888-8888'],
    ['Spanish phone', '+34 612 345 678'],
    ['ticket ids', 'ticket #12345678901 y TCK-987654321'],
    ['bare 8-digit number', 'el código es 12345678'],
    ['8-digit number with a wrong check letter', '12345678A'],
    ['8-digit number then the word "y"', '12345678 y nada más'],
    ['8-digit number glued to a word', '12345678Zeta'],
    ['context word too far away', `DNI ${'x'.repeat(40)} 12345678`],
    ['context word inside another word', 'documentos12345678'],
    ['dates and amounts', 'el 18/06/2025 pagó 1.234.567,89 colones'],
  ])('%s: %s', (_name, text) => {
    expect(redactPii(text)).toBe(text);
  });

  it('returns the very same string when nothing is found', () => {
    const text = 'Buenos días, le habla Ana del soporte técnico.';
    expect(redactPii(text)).toBe(text);
    expect(redactPii('')).toBe('');
  });

  it('refuses a non-string', () => {
    expect(() => redactPii(42 as unknown as string)).toThrow(new TypeError('redactPii expects a string, got number'));
  });
});

describe('redactPii — DNI and NIE', () => {
  it.each([
    ['12345678Z', '********Z'],
    ['12345678z', '********z'],
    ['12345678-Z', '********-Z'],
    ['12345678 Z', '******** Z'],
    ['mi DNI es 12345678', 'mi DNI es ********'],
    ['D.N.I.: 87654321', 'D.N.I.: ********'],
    ['NIF 11111111', 'NIF ********'],
    ['número de cédula 22222222', 'número de cédula ********'],
    ['CÉDULA: 22222222', 'CÉDULA: ********'],
    ['documento de identidad nº 33333333', 'documento de identidad nº ********'],
    ['NIE X1234567L', 'NIE X*******L'],
    ['y1234567x', 'y*******x'],
  ])('%s → %s', (text, expected) => {
    expect(redactPii(text)).toBe(expected);
  });

  it('keeps the phone after a DNI whose mask stands between it and the context word', () => {
    expect(redactPii('DNI 12345678Z tel 88888888')).toBe('DNI ********Z tel 88888888');
  });

  it('checks the NIE letter', () => {
    expect(redactPii('X1234567A')).toBe('X1234567A');
    expect(redactPii('AX1234567L')).toBe('AX1234567L');
  });
});

describe('redactPii — cards among other digits', () => {
  it('finds a card read out next to its CVV or after a short number', () => {
    expect(redactPii('4111 1111 1111 1111 123')).toBe('**** **** **** 1111 123');
    expect(redactPii('5 4111 1111 1111 1111')).toBe('5 **** **** **** 1111');
    expect(redactPii('son 2 5555-5555-5555-4444 03-27')).toBe('son 2 ****-****-****-4444 03-27');
  });

  it('masks a DNI read just before a card', () => {
    expect(redactPii('DNI 12345678 4111 1111 1111 1111')).toBe('DNI ******** **** **** **** 1111');
    expect(redactPii('ref 12345678 4111 1111 1111 1111')).toBe('ref 12345678 **** **** **** 1111');
  });

  it('masks two cards in one run', () => {
    expect(redactPii('4111111111111111 5555555555554444')).toBe('************1111 ************4444');
  });

  it('prefers the longest valid window (a 19-digit Visa over its 16-digit prefix)', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(redactPii('4111 1111 1111 1111 110')).toBe('**** **** **** ***1 110');
  });
});

// ---- property tests ----

/** Brand prefixes with the lengths each issues (what `redactPii` documents). */
const RANGES: [low: number, high: number, lengths: number[]][] = [
  [4, 4, [13, 16, 19]],
  [51, 55, [16]],
  [2221, 2720, [16]],
  [34, 34, [15]],
  [37, 37, [15]],
  [6011, 6011, [16, 17, 18, 19]],
  [644, 649, [16, 17, 18, 19]],
  [65, 65, [16, 17, 18, 19]],
  [622126, 622925, [16, 17, 18, 19]],
  [300, 305, [14, 15, 16, 17, 18, 19]],
  [36, 36, [14, 15, 16, 17, 18, 19]],
  [38, 39, [14, 15, 16, 17, 18, 19]],
  [3528, 3589, [16, 17, 18, 19]],
  [62, 62, [16, 17, 18, 19]],
  [50, 50, [13, 14, 15, 16, 17, 18, 19]],
  [56, 69, [13, 14, 15, 16, 17, 18, 19]],
];

function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return String(d);
  throw new Error('unreachable');
}

/** A Luhn-valid number of a listed brand, laid out plain or in random groups joined by spaces or dashes. */
const cardArb = fc
  .constantFrom(...RANGES)
  .chain(([low, high, lengths]) => fc.tuple(fc.integer({ min: low, max: high }), fc.constantFrom(...lengths)))
  .chain(([prefix, length]) =>
    fc.tuple(
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length - 1 - String(prefix).length, maxLength: length - 1 - String(prefix).length }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
      fc.constantFrom('', ' ', '-', 'mixed'),
    ).map(([body, sizes, sep]) => {
      const plain = String(prefix) + body;
      const digits = plain + luhnCheckDigit(plain);
      if (sep === '') return digits;
      const groups = layout(digits, sizes, '\u0000').split('\u0000');
      return groups.reduce((acc, g, i) => acc + (i === 0 ? '' : sep === 'mixed' ? (i % 2 ? ' ' : '-') : sep) + g, '');
    }),
  );

/** Characters around an embedded card: text ends with one that cannot join the card's digit run. */
const leftDelim = fc.constantFrom('\n', ': ', ' (', ', ', '. ', ' nº ', '#');
const rightDelim = fc.constantFrom('\n', ', ', '. ', ') ', ' y ', '!');
const noisyText = fc.string({ unit: fc.constantFrom(...'abcXYZ ES0123456789-*.,:ñé😀'), maxLength: 40 });

describe('redactPii — properties', () => {
  it('no Luhn-valid branded card survives in full, embedded in random text', () => {
    fc.assert(
      fc.property(noisyText, leftDelim, cardArb, rightDelim, noisyText, (before, l, card, r, after) => {
        expect(cardBrand(card)).toBeDefined();
        const out = redactPii(before + l + card + r + after);
        expect(out).toContain(l + masked(card) + r);
        expect(out.length).toBe((before + l + card + r + after).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('a card next to short digit groups (a CVV, a quantity) never survives in full', () => {
    const short = fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 3 }), { maxLength: 3 });
    fc.assert(
      fc.property(short, cardArb, short, fc.constantFrom(' ', '-'), (pre, card, post, sep) => {
        const text = [...pre, card, ...post].join(sep);
        expect(redactPii(text)).not.toContain(card);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, keeps the length and only turns digits into *', () => {
    const digitHeavy = fc.string({ unit: fc.constantFrom(...'0123456789     ----ZXLabES*'), maxLength: 120 });
    const withCards = fc.tuple(noisyText, cardArb, digitHeavy).map(([a, c, b]) => a + c + b);
    fc.assert(
      fc.property(fc.oneof(digitHeavy, withCards), (text) => {
        const once = redactPii(text);
        expect(redactPii(once)).toBe(once);
        expect(once.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) if (once[i] !== text[i]) expect([text[i], once[i]]).toEqual([expect.stringMatching(/\d/), '*']);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('redactPii — linear time', () => {
  it.each([
    ['1-digit groups', '4 '],
    ['mixed separators', '4-4 6 '],
    ['one long digit run', '4'],
    ['back-to-back cards with CVVs', '4111 1111 1111 1111 123 '],
    ['almost-cards', '4111 1111 1111 1112 '],
  ])('1 MB of %s finishes fast', (_name, unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const started = performance.now();
    const out = redactPii(text);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(out.length).toBe(text.length);
  });

  it('1 MB of random digits and separators finishes fast', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let text = '';
    for (let i = 0; i < 1_000_000; i++) text += rnd() < 0.7 ? String(Math.floor(rnd() * 10)) : rnd() < 0.5 ? ' ' : '-';
    const started = performance.now();
    redactPii(text);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
