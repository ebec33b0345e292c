/**
 * `import(specifier)` done at run time only, out of reach of bundlers: esbuild, rollup and webpack follow a
 * literal `import('x')` and inline (or fail on) what it names, but not a specifier passed in here. For the
 * optional parts a deployed Lambda never uses — the playground's few-MB browser assets, the MCP SDK — so a
 * user's bundle of one operation does not carry them; Node resolves the module when it is first asked for.
 *
 * A package name resolves as Node resolves it from the library's files. A relative specifier resolves
 * against this module's own file, not the caller's: `src/util/` from source, the `dist/` chunk holding it
 * once built — so give relative specifiers for both layouts (see `doors/http/playground.ts`).
 *
 * @param specifier the package name (`'@modelcontextprotocol/server'`) or module path to import
 * @returns the module's namespace, typed as the caller says (`runtimeImport<typeof import('x')>('x')`)
 */
export function runtimeImport<Module>(specifier: string): Promise<Module> {
  // The comments keep webpack and Vite from trying to resolve (or warning about) the expression.
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Module>;
}
