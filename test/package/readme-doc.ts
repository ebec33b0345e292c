import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// What the README tells a user, read from the README itself so the tests check what users read: the
// TypeScript samples, the tsconfig they run under, and the install lines of the optional peers.

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** One package an install line names; `dev` for `npm install -D`. */
export interface Install {
  name: string;
  dev: boolean;
}

/** One row of the "you import | also install" table. */
export interface InstallRow {
  /** Subpath exports the row is about (`.` for `bedrock-action-groups`); none for rows about a use, not a subpath. */
  subpaths: string[];
  installs: Install[];
}

const text = () => readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every ```ts block, in order. The first is the quick start (`quick-start.ts`), which others import. */
export function readmeSamples(): string[] {
  return [...text().matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** The one ```json block: the samples' tsconfig.json. */
export function readmeTsconfig(): string {
  const blocks = [...text().matchAll(/```json\n([\s\S]*?)```/g)];
  if (blocks.length !== 1) throw new Error(`README: expected one json block (the tsconfig), found ${blocks.length}`);
  return (blocks[0] as RegExpMatchArray)[1] as string;
}

function packagesOf(command: string): Install[] {
  const words = command.trim().split(/\s+/).slice(2); // after "npm install"
  const dev = words.includes('-D') || words.includes('--save-dev');
  return words.filter((w) => !w.startsWith('-')).map((name) => ({ name, dev }));
}

/** The first install line (`npm install bedrock-action-groups zod`) under "## Install". */
export function readmeBaseInstall(): Install[] {
  const m = /## Install\n\n```sh\n(npm install [^\n]+)\n```/.exec(text());
  if (!m) throw new Error('README: no install line under "## Install"');
  return packagesOf(m[1] as string);
}

/** The rows of the optional-peer table. */
export function readmeInstallTable(): InstallRow[] {
  const m = /\| you import \| also install \|\n\|---\|---\|\n((?:\|[^\n]*\|\n)+)/.exec(text());
  if (!m) throw new Error('README: no "| you import | also install |" table');
  return (m[1] as string).trim().split('\n').map((line) => {
    const [what, install] = line.slice(1, -1).split(' | ') as [string, string];
    const subpaths = [...what.matchAll(/`([^`]+)`/g)].map((c) => c[1] as string).filter((c) => c === 'bedrock-action-groups' || c.startsWith('./')).map((c) => (c === 'bedrock-action-groups' ? '.' : c));
    const installs = [...install.matchAll(/`(npm install [^`]+)`/g)].flatMap((c) => packagesOf(c[1] as string));
    return { subpaths, installs };
  });
}
