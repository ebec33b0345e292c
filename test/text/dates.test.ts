import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDateRange, type DateRange } from '../../src/text/dates.js';

const CR = 'America/Costa_Rica';
type Row = [text: string, from: string | null, to?: string, label?: string];

function table(zone: string, nowIso: string, rows: Row[]) {
  const now = new Date(nowIso);
  it.each(rows)('%s', (text, from, to, label) => {
    const got = resolveDateRange(text, { now, timezone: zone });
    if (from === null) return expect(got).toBeNull();
    expect(got).toEqual({ from, to: to ?? from, label: label ?? expect.any(String) });
  });
}

describe('resolveDateRange — Costa Rica, Wednesday 2025-06-18 09:00', () => {
  table(CR, '2025-06-18T15:00:00Z', [
    ['hoy', '2025-06-18', '2025-06-18', 'hoy'],
    ['HOY', '2025-06-18', '2025-06-18', 'hoy'],
    ['ayer', '2025-06-17', '2025-06-17', 'ayer'],
    ['anteayer', '2025-06-16', '2025-06-16', 'anteayer'],
    ['antier', '2025-06-16', '2025-06-16', 'anteayer'],
    ['pasado mañana', '2025-06-20', '2025-06-20', 'pasado mañana'],
    ['esta mañana', '2025-06-18', '2025-06-18', 'hoy'],
    ['esta semana', '2025-06-16', '2025-06-18', 'esta semana'],
    ['la semana pasada', '2025-06-09', '2025-06-15', 'la semana pasada'],
    ['la semana anterior', '2025-06-09', '2025-06-15', 'la semana pasada'],
    ['este mes', '2025-06-01', '2025-06-18', 'este mes'],
    ['el mes pasado', '2025-05-01', '2025-05-31', 'el mes pasado'],
    ['este año', '2025-01-01', '2025-06-18', 'este año'],
    ['este ano', '2025-01-01', '2025-06-18', 'este año'],
    ['el año pasado', '2024-01-01', '2024-12-31', 'el año pasado'],
    ['año 2023', '2023-01-01', '2023-12-31', 'año 2023'],
    ['enero', '2025-01-01', '2025-01-31', 'enero de 2025'],
    ['Diciembre', '2024-12-01', '2024-12-31', 'diciembre de 2024'],
    ['junio', '2025-06-01', '2025-06-30', 'junio de 2025'],
    ['julio', '2024-07-01', '2024-07-31', 'julio de 2024'],
    ['febrero 2024', '2024-02-01', '2024-02-29', 'febrero de 2024'],
    ['marzo de 2025', '2025-03-01', '2025-03-31', 'marzo de 2025'],
    ['setiembre del año pasado', '2024-09-01', '2024-09-30', 'septiembre de 2024'],
    ['2025-03-15', '2025-03-15', '2025-03-15', '15 de marzo de 2025'],
    ['15/03/2025', '2025-03-15', '2025-03-15', '15 de marzo de 2025'],
    ['15-03-2025', '2025-03-15', '2025-03-15', '15 de marzo de 2025'],
    ['31/02/2024', null],
    ['2025-02-29', null],
    ['13/13/2024', null],
    ['29 de febrero', '2024-02-29', '2024-02-29', '29 de febrero de 2024'],
    ['martes 4 de marzo', '2025-03-04', '2025-03-04', '4 de marzo de 2025'],
    ['1º de mayo', '2025-05-01', '2025-05-01', '1 de mayo de 2025'],
    ['el viernes pasado', '2025-06-13', '2025-06-13', '13 de junio de 2025'],
    ['el miércoles', '2025-06-18', '2025-06-18', '18 de junio de 2025'],
    ['el martes de la semana pasada', '2025-06-10', '2025-06-10', '10 de junio de 2025'],
    ['los martes hay más tickets', null],
    ['últimos 7 días', '2025-06-12', '2025-06-18', 'últimos 7 días'],
    ['ULTIMOS 7 DIAS', '2025-06-12', '2025-06-18', 'últimos 7 días'],
    ['los últimos treinta días', '2025-05-20', '2025-06-18', 'últimos 30 días'],
    ['los últimos treinta y un días', '2025-05-19', '2025-06-18', 'últimos 31 días'],
    ['últimas 2 semanas', '2025-06-05', '2025-06-18', 'últimas 2 semanas'],
    ['la última semana', '2025-06-12', '2025-06-18', 'última semana'],
    ['últimos tres meses', '2025-03-19', '2025-06-18', 'últimos 3 meses'],
    ['últimos 0 días', null],
    ['hace 3 días', '2025-06-15', '2025-06-15', 'hace 3 días'],
    ['hace veinte días', '2025-05-29', '2025-05-29', 'hace 20 días'],
    ['hace un día', '2025-06-17', '2025-06-17', 'hace 1 día'],
    ['entre el 1 y el 15 de marzo', '2025-03-01', '2025-03-15', 'del 1 al 15 de marzo de 2025'],
    ['entre el 15 y el 1 de marzo', '2025-03-01', '2025-03-15', 'del 1 al 15 de marzo de 2025'],
    ['del 1 al 15 de marzo de 2024', '2024-03-01', '2024-03-15', 'del 1 al 15 de marzo de 2024'],
    ['del 30 al 31 de febrero', null],
    ['desde el 1 de mayo hasta el 10 de junio', '2025-05-01', '2025-06-10', 'del 1 de mayo al 10 de junio de 2025'],
    ['desde 2024-12-01 hasta 2025-01-31', '2024-12-01', '2025-01-31', 'del 1 de diciembre de 2024 al 31 de enero de 2025'],
    ['del 28 de diciembre al 3 de enero', '2024-12-28', '2025-01-03', 'del 28 de diciembre de 2024 al 3 de enero de 2025'],
    ['de enero a marzo', '2025-01-01', '2025-03-31', 'del 1 de enero al 31 de marzo de 2025'],
    ['desde marzo', '2025-03-01', '2025-06-18', 'desde el 1 de marzo de 2025'],
    ['desde el lunes hasta hoy', '2025-06-16', '2025-06-18', 'del 16 al 18 de junio de 2025'],
    ['hasta marzo', null],
    ['primer trimestre', '2025-01-01', '2025-03-31', 'primer trimestre de 2025'],
    ['1er trimestre', '2025-01-01', '2025-03-31', 'primer trimestre de 2025'],
    ['2do trimestre de 2024', '2024-04-01', '2024-06-30', 'segundo trimestre de 2024'],
    ['tercer trimestre del año pasado', '2024-07-01', '2024-09-30', 'tercer trimestre de 2024'],
    ['T4 2024', '2024-10-01', '2024-12-31', 'cuarto trimestre de 2024'],
    ['el trimestre pasado', '2025-01-01', '2025-03-31', 'el trimestre pasado'],
    ['¿Cuántos tickets se cerraron la semana pasada?', '2025-06-09', '2025-06-15', 'la semana pasada'],
    ['dame el top 5 de categorías', null],
    ['', null],
    ['3/3', '2025-03-03', '2025-03-03', '3 de marzo de 2025'],
  ]);
});

describe('resolveDateRange — year end: Costa Rica, 2025-01-01 06:00', () => {
  table(CR, '2025-01-01T12:00:00Z', [
    ['hoy', '2025-01-01', '2025-01-01'],
    ['ayer', '2024-12-31', '2024-12-31'],
    ['el mes pasado', '2024-12-01', '2024-12-31', 'el mes pasado'],
    ['el año pasado', '2024-01-01', '2024-12-31'],
    ['este año', '2025-01-01', '2025-01-01'],
    ['esta semana', '2024-12-30', '2025-01-01'],
    ['la semana pasada', '2024-12-23', '2024-12-29'],
    ['diciembre', '2024-12-01', '2024-12-31', 'diciembre de 2024'],
    ['últimos 7 días', '2024-12-26', '2025-01-01'],
    ['el trimestre pasado', '2024-10-01', '2024-12-31'],
    ['desde el 28 de diciembre hasta hoy', '2024-12-28', '2025-01-01', 'del 28 de diciembre de 2024 al 1 de enero de 2025'],
  ]);
});

describe('resolveDateRange — the zone\'s date differs from UTC\'s: 2025-01-01T03:00Z is still 31 December in Costa Rica', () => {
  table(CR, '2025-01-01T03:00:00Z', [
    ['hoy', '2024-12-31', '2024-12-31'],
    ['el mes pasado', '2024-11-01', '2024-11-30'],
    ['este año', '2024-01-01', '2024-12-31'],
    ['el año pasado', '2023-01-01', '2023-12-31'],
  ]);
});

describe('resolveDateRange — Asia/Tokyo is already 1 July at 2025-06-30T16:00Z', () => {
  table('Asia/Tokyo', '2025-06-30T16:00:00Z', [
    ['hoy', '2025-07-01', '2025-07-01'],
    ['el mes pasado', '2025-06-01', '2025-06-30'],
    ['este mes', '2025-07-01', '2025-07-01'],
  ]);
});

describe('resolveDateRange — leap years and month ends', () => {
  describe('2024-03-31 (leap year)', () => {
    table(CR, '2024-03-31T18:00:00Z', [
      ['el mes pasado', '2024-02-01', '2024-02-29'],
      ['febrero', '2024-02-01', '2024-02-29'],
      ['último mes', '2024-03-01', '2024-03-31', 'último mes'],
      ['hace 31 días', '2024-02-29', '2024-02-29'],
      ['últimos 30 días', '2024-03-02', '2024-03-31'],
    ]);
  });
  describe('2024-05-31: three months back clamps 29 February', () => {
    table(CR, '2024-05-31T18:00:00Z', [['últimos 3 meses', '2024-03-01', '2024-05-31']]);
  });
  describe('2025-03-01 (not a leap year)', () => {
    table(CR, '2025-03-01T18:00:00Z', [
      ['ayer', '2025-02-28', '2025-02-28'],
      ['el mes pasado', '2025-02-01', '2025-02-28'],
      ['29 de febrero', '2024-02-29', '2024-02-29'],
      ['29/02/2025', null],
    ]);
  });
});

describe('resolveDateRange — Europe/Madrid on the last Sunday of March (clocks jump 02:00 → 03:00)', () => {
  describe('00:30 CET on 30 March (still 29 March in UTC)', () => {
    table('Europe/Madrid', '2025-03-29T23:30:00Z', [
      ['hoy', '2025-03-30', '2025-03-30'],
      ['ayer', '2025-03-29', '2025-03-29'],
      ['esta semana', '2025-03-24', '2025-03-30'],
      ['la semana pasada', '2025-03-17', '2025-03-23'],
      ['últimos 7 días', '2025-03-24', '2025-03-30'],
    ]);
  });
  describe('03:30 CEST, just after the jump', () => {
    table('Europe/Madrid', '2025-03-30T01:30:00Z', [['hoy', '2025-03-30', '2025-03-30']]);
  });
  describe('00:30 CEST on Monday 31 March (still 30 March in UTC)', () => {
    table('Europe/Madrid', '2025-03-30T22:30:00Z', [
      ['hoy', '2025-03-31', '2025-03-31'],
      ['esta semana', '2025-03-31', '2025-03-31'],
      ['la semana pasada', '2025-03-24', '2025-03-30'],
    ]);
  });
});

describe('resolveDateRange — options', () => {
  it('refuses a zone that is not IANA', () => {
    expect(() => resolveDateRange('hoy', { timezone: 'Costa Rica' })).toThrow(new RangeError('resolveDateRange: "Costa Rica" is not an IANA time zone (e.g. America/Costa_Rica)'));
  });

  it('defaults now to the current instant', () => {
    const today = DateTime.now().setZone(CR).toISODate();
    const got = resolveDateRange('hoy', { timezone: CR });
    // Around midnight the clock may tick between the two reads; both sides then name the new day.
    expect(got?.from === today || got?.from === DateTime.now().setZone(CR).toISODate()).toBe(true);
  });

  it('reads only the first MAX_DATE_TEXT characters', () => {
    const now = new Date('2025-06-18T15:00:00Z');
    expect(resolveDateRange(`${'x '.repeat(1000)}ayer`, { now, timezone: CR })).toBeNull();
    expect(resolveDateRange(`${'x '.repeat(900)}ayer`, { now, timezone: CR })).toEqual({ from: '2025-06-17', to: '2025-06-17', label: 'ayer' });
  });
});

describe('resolveDateRange — the machine zone never matters', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('gives the same answers whatever process.env.TZ is (changed in-process, nothing spawned)', () => {
    const texts = ['hoy', 'ayer', 'esta semana', 'el mes pasado', 'últimos 7 días', 'del 1 al 15 de marzo', 'el viernes pasado', '3/3', 'diciembre'];
    const cases = [
      { now: new Date('2025-03-29T23:30:00Z'), timezone: 'Europe/Madrid' },
      { now: new Date('2025-01-01T03:00:00Z'), timezone: CR },
      { now: new Date('2025-06-30T16:00:00Z'), timezone: 'Asia/Tokyo' },
    ];
    const run = (): (DateRange | null)[] => cases.flatMap((opts) => texts.map((t) => resolveDateRange(t, opts)));
    const answers = ['UTC', 'Asia/Tokyo', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Pacific/Pago_Pago'].map((tz) => {
      process.env.TZ = tz;
      // Node re-reads TZ on assignment: prove the machine's clock really moved to that zone.
      expect(new Date('2025-01-01T03:00:00Z').getTimezoneOffset()).toBe(0 - DateTime.fromISO('2025-01-01T03:00:00Z', { zone: tz }).offset);
      return run();
    });
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    // And the first run is right, not merely consistent: hoy in Madrid at 00:30 on 30 March.
    expect(answers[0]?.[0]).toEqual({ from: '2025-03-30', to: '2025-03-30', label: 'hoy' });
  });
});

describe('resolveDateRange — properties', () => {
  const zones = ['America/Costa_Rica', 'Europe/Madrid', 'Asia/Tokyo', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Santiago', 'UTC'];
  const instant = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) });

  it('"últimos N días" (1..365) ends today in the zone and holds exactly N days', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 365 }), fc.constantFrom(...zones), (now, n, timezone) => {
        const got = resolveDateRange(`últimos ${n} días`, { now, timezone });
        expect(got).not.toBeNull();
        const from = DateTime.fromISO(got!.from, { zone: 'utc' });
        const to = DateTime.fromISO(got!.to, { zone: 'utc' });
        expect(from <= to).toBe(true);
        expect(got!.to).toBe(DateTime.fromMillis(now, { zone: timezone }).toISODate());
        expect(to.diff(from, 'days').days + 1).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('"esta semana" starts on a Monday no more than 6 days back and ends today', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (now, timezone) => {
        const got = resolveDateRange('esta semana', { now, timezone })!;
        const from = DateTime.fromISO(got.from, { zone: 'utc' });
        expect(from.weekday).toBe(1);
        expect(got.to).toBe(DateTime.fromMillis(now, { zone: timezone }).toISODate());
        expect(DateTime.fromISO(got.to, { zone: 'utc' }).diff(from, 'days').days).toBeLessThanOrEqual(6);
      }),
      { numRuns: 300 },
    );
  });
});
