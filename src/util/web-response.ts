/**
 * True for a web `Response` (subclasses included). Plain objects and arrays, which most operation outputs
 * are, are told apart by their constructor first: `instanceof` walks the prototype chain of every output,
 * and cost about 2 % of an agent call.
 */
export function isWebResponse(output: unknown): output is Response {
  if (output === null || typeof output !== 'object') return false;
  const made = (output as { constructor?: unknown }).constructor;
  return made !== Object && made !== Array && output instanceof Response;
}
