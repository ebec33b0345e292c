// The one place this library compiles code from text (see the functions that use it: the field setter
// and the input coercer of an operation).

type Factory = (arg: unknown) => unknown;

// One compiled factory per distinct source text: a few per operation shape, never per call.
const factories = new Map<string, Factory | null>();

/**
 * `new Function(param, source)`, compiled once per distinct `param` and `source`: operations with the
 * same fields get their generated functions from one factory, so a call site that calls them in turn
 * (one router's operations, or several routers in a process) sees one function, which V8 inlines,
 * rather than one per operation, which makes the site megamorphic. Undefined where code generation is
 * not allowed (the caller then uses its generic code).
 */
export function generatedFactory<A, F>(param: string, source: string): ((arg: A) => F) | undefined {
  const key = `${param}\n${source}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    try {
      factory = new Function(param, source) as Factory;
    } catch {
      factory = null;
    }
    factories.set(key, factory);
  }
  return (factory ?? undefined) as ((arg: A) => F) | undefined;
}
