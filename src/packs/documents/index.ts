// Filled in by the work on this subpath (issues 12–14).
export {};
