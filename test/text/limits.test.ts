import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectRequestedLimit } from '../../src/text/limits.js';

const CASES: ReadonlyArray<readonly [string, number | null]> = [
  // Counts the issue names
  ['dame los últimos 3 tickets', 3],
  ['muéstrame diez casos', 10],
  ['show me 10 tickets', 10],
  ['the 2 most recent', 2],
  ['top 5', 5],
  // Digits and words, Spanish and English
  ['Dame los ÚLTIMOS 4 TICKETS del cliente', 4],
  ['quiero ver veinte tickets', 20],
  ['give me twenty tickets please', 20],
  ['trae los 7 casos más recientes', 7],
  ['muéstrame los 3', 3],
  ['dame 3', 3],
  ['list the last 6 tickets', 6],
  ['the five latest cases', 5],
  ['los dos últimos', 2],
  ['show me one ticket', 1],
  ['dame una lista de 5 tickets abiertos', 5],
  ['últimos 12 tickets de 2024', 12],
  ['top5 tickets', 5],
  ['busca quince contactos', 15],
  ['what are the 3 newest tickets?', 3],
  ['dame 100 tickets', 100],
  ['show me eleven open tickets', 11],
  ['show me 10 router tickets', 10],
  ['tengo 2 preguntas sobre tickets', null],
  // Not counts: years, ids, dates, times, units, amounts, big numbers
  ['tickets de 2024', null],
  ['ticket 45', null],
  ['el caso #12 está abierto', null],
  ['ticket número 7 por favor', null],
  ['tickets del 12/03/2025', null],
  ['tickets creados el 2025-03-12', null],
  ['tickets del 3 de marzo', null],
  ['tickets from March 3rd', null],
  ['llamó a las 3 de la tarde', null],
  ['called at 3:30 pm', null],
  ['tickets de los últimos 7 días', null],
  ['tickets from the last 3 months', null],
  ['me llamó 3 veces', null],
  ['the last 150 tickets', null],
  ['top 500', null],
  ['tengo 2 preguntas sobre mi factura', null],
  ['pagué $5 de más', null],
  ['id 12', null],
  ['busca tickets del cliente Ana', null],
  ['', null],
  ['dame 3 tickets, por favor', 3],
];

describe('detectRequestedLimit', () => {
  it.each(CASES)('%j → %s', (text, expected) => {
    expect(detectRequestedLimit(text)).toBe(expected);
  });

  it('never throws and returns null or an integer from 1 to 100', () => {
    const words = fc.constantFrom('dame', 'los', 'últimos', 'top', 'tickets', 'casos', 'diez', 'twenty', '3', '2024', '12/03/2025', 'de', 'marzo', 'a las', 'ticket', '#', '150', 'most', 'recent', ':', '.', '%', '0', '-1', '99', '101');
    const phrase = fc.oneof(fc.string({ maxLength: 300 }), fc.array(words, { maxLength: 20 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(phrase, (text) => {
        const n = detectRequestedLimit(text);
        expect(n === null || (Number.isInteger(n) && n >= 1 && n <= 100)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('treats non-strings as no request', () => {
    expect(detectRequestedLimit(undefined as never)).toBeNull();
  });
});
