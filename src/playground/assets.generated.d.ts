// The types of the module scripts/build-playground.mjs generates (assets.generated.js, git-ignored).

/** The browser assets of the playground and `/docs` pages, by file name. */
export declare const assets: Readonly<Record<'playground.js' | 'playground.css' | 'docs.js' | 'docs.css', string>>;
