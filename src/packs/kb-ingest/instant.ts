// ISO 8601 dates and date-times as the ticket source writes them ("2024-05-01", "2024-05-01T10:00:00Z",
// "2024-05-01 10:00:00.123+02:00"). A value without an offset is read as UTC, never in the machine's zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Epoch milliseconds of an ISO 8601 date or date-time, or `NaN` when `text` is not one (including
 * impossible dates such as 2024-02-30).
 */
export function parseInstant(text: string): number {
  const m = ISO.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : '';
  const value = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  // Date.parse rolls 2024-02-30 over to March; an impossible calendar date is not an instant.
  if (Number.isNaN(value) || new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return Number.NaN;
  return value;
}
