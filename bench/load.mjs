// What the HTTP load benches share: one autocannon run, checked, and the median of interleaved rounds.
import autocannon from 'autocannon';

/** Requests/s of one autocannon run; throws when any request failed, so a figure is never of errors. */
export async function measure(name, options, connections, seconds) {
  const r = await autocannon({ ...options, connections, duration: seconds });
  if (r.errors || r.non2xx || r.timeouts) throw new Error(`${name}: ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`);
  return r.requests.average;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
