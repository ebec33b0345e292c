// Replaced with package.json's version when the package is built (tsup `define`).
declare const __LIBRARY_VERSION__: string | undefined;

/** This library's version; `'development'` when running from source. */
export const LIBRARY_VERSION: string = typeof __LIBRARY_VERSION__ === 'string' ? __LIBRARY_VERSION__ : 'development';
