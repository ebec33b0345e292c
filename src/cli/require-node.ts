// The bin's first step: on a Node too old for the library the user reads one line saying what is needed
// instead of a failure deep inside a dependency.
declare const __MIN_NODE__: string | undefined;

/** The oldest Node the published package supports (package.json engines, injected at build time). */
const MIN_NODE = typeof __MIN_NODE__ === 'string' ? __MIN_NODE__ : '22.12.0';

/** Whether `version` ("v20.20.2") is at least `minimum` ("22.12.0"). */
export function nodeAtLeast(version: string, minimum: string): boolean {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/** Exits with status 1 and one line on stderr when this Node is older than the package supports. */
export function requireNode(): void {
  if (nodeAtLeast(process.version, MIN_NODE)) return;
  process.stderr.write(`bedrock-action-groups needs Node.js >= ${MIN_NODE} (this is ${process.version}): install Node 22 or later (https://nodejs.org, or \`nvm install 22\`) and run it again.\n`);
  process.exit(1);
}
