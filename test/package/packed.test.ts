import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user meets it: `npm pack`, installed from the tarball into a fresh project with its
// peers, used only through its documented exports, in ESM and in CommonJS.
const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const { version } = pkg;
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const spec = (sub: string) => (sub === '.' ? 'bedrock-action-groups' : `bedrock-action-groups/${sub.slice(2)}`);
let project = '';

const run = (cmd: string, args: string[], cwd = project, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'bag-packed-'));
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', project], root).trim().split('\n').pop() as string;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  // Peers at the versions this repository develops against, so the install comes from the local cache.
  const peers = Object.keys(pkg.peerDependencies).map((name) => `${name}@${pkg.devDependencies[name] ?? pkg.peerDependencies[name]}`);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(project, tarball), ...peers]);
}, 240_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
}, 240_000); // removing the installed project takes long on a loaded machine

describe('the packed package', () => {
  it('ships only dist, README and package.json', () => {
    const files = JSON.parse(run('npm', ['pack', '--dry-run', '--json'], root)) as [{ files: { path: string }[] }];
    const paths = files[0].files.map((f) => f.path);
    expect(paths.filter((p) => !p.startsWith('dist/') && !['README.md', 'package.json', 'LICENSE'].includes(p))).toEqual([]);
    expect(paths.some((p) => p.endsWith('.map'))).toBe(false);
  });

  it('loads every subpath with import and with require', () => {
    const esm = subpaths.map((s) => `await import(${JSON.stringify(spec(s))});`).join('\n');
    writeFileSync(join(project, 'esm.mjs'), `${esm}\nconsole.log('esm ok');`);
    const cjs = subpaths.map((s) => `require(${JSON.stringify(spec(s))});`).join('\n');
    writeFileSync(join(project, 'cjs.cjs'), `${cjs}\nconsole.log('cjs ok');`);
    expect(run(process.execPath, ['esm.mjs']).trim()).toBe('esm ok');
    expect(run(process.execPath, ['cjs.cjs']).trim()).toBe('cjs ok');
  });

  it('shares one core across subpaths, in ESM and in CJS', () => {
    const body = (load: (s: string) => string) => `
      const { z } = ${load('zod')};
      const { actionGroup, createRouter } = ${load('bedrock-action-groups')};
      const { toLambda } = ${load('bedrock-action-groups/lambda')};
      const { bedrockFunctionEvent } = ${load('bedrock-action-groups/testing')};
      const group = actionGroup({ name: 'G', description: 'g' }).operation({
        name: 'hello', method: 'GET', path: '/hello', description: 'Say hello',
        input: z.object({ name: z.string().describe('Who') }), handler: ({ name }) => 'Hello ' + name,
      });
      const handler = toLambda(createRouter().add(group));
      handler(bedrockFunctionEvent({ actionGroup: 'G', function: 'hello', parameters: { name: 'Ana' } }))
        .then((r) => console.log(r.response.functionResponse.responseBody.TEXT.body));`;
    writeFileSync(join(project, 'core.mjs'), body((s) => `await import(${JSON.stringify(s)})`));
    writeFileSync(join(project, 'core.cjs'), body((s) => `require(${JSON.stringify(s)})`));
    expect(run(process.execPath, ['core.mjs']).trim()).toBe('Hello Ana');
    expect(run(process.execPath, ['core.cjs']).trim()).toBe('Hello Ana');
  });

  it('reports its own version on GET /health', () => {
    writeFileSync(join(project, 'health.mjs'), `
      const { createRouter } = await import('bedrock-action-groups');
      const reply = await createRouter().fetch(new Request('http://localhost/health'));
      console.log((await reply.json()).version);`);
    expect(run(process.execPath, ['health.mjs'], project, { ...process.env, BUILD_TAG: '' }).trim()).toBe(version);
  });

  it('installs the CLI as a bin', () => {
    expect(run(join(project, 'node_modules', '.bin', 'bedrock-action-groups'), ['--help'])).toContain('openapi');
  });
});
