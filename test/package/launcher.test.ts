import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './readme-doc.js';

// scripts/launch.cjs, what `npm start` and `npm test` run first, in a throwaway project of its own: one
// local dependency (so `npm ci` works offline) and an npm script that prints its arguments. The real
// Node 20 → node@22 path is exercised by scripts/fresh-clone-check.cjs in .ci/run.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devEngines: { runtime: { name: string; version: string; onFail: string } }; scripts: Record<string, string> };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(runtimeVersion: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bag-launch-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'launch.cjs'), join(dir, 'scripts', 'launch.cjs'));
  // A dependency from a local tarball: installed as a real copy, so npm ci works offline.
  mkdirSync(join(dir, 'dep'));
  writeFileSync(join(dir, 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
  const packed = spawnSync('npm', ['pack', '--silent', './dep'], { cwd: dir, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'launched', version: '1.0.0', private: true,
      devEngines: { runtime: { name: 'node', version: runtimeVersion, onFail: 'ignore' } },
      dependencies: { dep: 'file:./dep-1.0.0.tgz' },
      scripts: { 'hello:run': 'node -e "console.log(process.argv.slice(1).join(\' \') + \' on \' + process.version)" --', hello: 'node scripts/launch.cjs hello:run' },
    }),
  );
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
  expect(install.status, install.stderr).toBe(0);
  return dir;
}

const launch = (dir: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'BAG_LAUNCHED_UNDER_LOCAL_NODE'));
  return spawnSync(process.execPath, [join(dir, 'scripts', 'launch.cjs'), ...args], { cwd: dir, encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000 });
};

describe('scripts/launch.cjs', () => {
  it('is what npm start and npm test run, with the inner steps callable on their own', () => {
    expect(pkg.scripts.test).toBe('node scripts/launch.cjs test:run');
    expect(pkg.scripts.start).toBe('node scripts/launch.cjs start:run');
    expect(pkg.scripts['test:run']).toContain('vitest run');
    expect(pkg.scripts['start:run']).toContain('node examples/node/server.ts');
    // Contributors need 22.18 (tsup, type stripping); the published package 22.12; nvm's "22" is the latest 22.
    expect(pkg.devEngines.runtime).toEqual({ name: 'node', version: '>=22.18', onFail: 'ignore' });
    expect(pkg.engines.node).toBe('>=22.12');
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8')).toBe('22\n');
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.node/');
  });

  it('runs the script with its arguments when Node and node_modules are right, and passes its exit code on', () => {
    const dir = project('>=20');
    const ok = launch(dir, ['hello:run', 'a', 'b']);
    expect(ok.stderr).not.toContain('npm ci');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`a b on ${process.version}\n`);
    expect(launch(dir, ['no-such-script']).status).not.toBe(0);
  });

  it('runs npm ci first when node_modules is missing or differs from package-lock.json', () => {
    const dir = project('>=20');
    rmSync(join(dir, 'node_modules'), { recursive: true });
    const missing = launch(dir, ['hello:run', 'x']);
    expect(missing.stderr).toContain('> node_modules is missing: running npm ci.');
    expect(missing.status).toBe(0);
    expect(missing.stdout).toContain('x on ');
    expect(JSON.parse(readFileSync(join(dir, 'node_modules', 'dep', 'package.json'), 'utf8'))).toMatchObject({ version: '1.0.0' });
    // A different version installed than the lockfile names (npm's own record of node_modules says nothing).
    writeFileSync(join(dir, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '0.9.0' }));
    expect(launch(dir, ['hello:run']).stderr).toContain('> dep is 0.9.0, package-lock.json wants 1.0.0: running npm ci.');
    // A package folder gone while npm's record still lists it.
    rmSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    expect(launch(dir, ['hello:run']).stderr).toContain('> dep is not installed: running npm ci.');
    const synced = launch(dir, ['hello:run']);
    expect(synced.stderr).not.toContain('npm ci');
    expect(synced.status).toBe(0);
  });

  it('re-runs itself under .node/ when node is older than devEngines asks, and stops with one line when that does not help', () => {
    const dir = project('>=99.1');
    // A .node/ whose node claims to be new enough but is this same Node: the re-run must notice.
    const bin = join(dir, '.node', 'node_modules', 'node', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'node'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v99.1.0; exit 0; fi\nexec "${process.execPath}" "$@"\n`);
    chmodSync(join(bin, 'node'), 0o755);
    const result = launch(dir, ['hello:run']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`This repository needs Node >=99.1; .node/ holds ${process.version}. Delete .node/ or install Node 99 (nvm install, see .nvmrc; or https://nodejs.org) and retry.\n`);
    expect(result.status).toBe(1);
  });
});
