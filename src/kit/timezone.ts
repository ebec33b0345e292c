import { IANAZone } from 'luxon';

/** The zone the packs render and read dates in unless told otherwise. */
export const DEFAULT_TIMEZONE = 'America/Costa_Rica';

/** A pack's `timezone` option, defaulted and checked at creation so a typo fails the cold start, not a call. */
export function timezoneOption(value: string | undefined, owner: string): string {
  const zone = value ?? DEFAULT_TIMEZONE;
  if (!IANAZone.isValidZone(zone)) throw new Error(`${owner}: "timezone" must be an IANA zone such as ${DEFAULT_TIMEZONE}, got ${JSON.stringify(zone)}`);
  return zone;
}
