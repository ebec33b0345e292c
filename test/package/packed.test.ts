import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBaseInstall, readmeInstallTable, readmeSamples, readmeTsconfig, ROOT as root } from './readme-doc.js';

// The package as a user meets it: `npm pack`, installed from the tarball into a fresh project with only
// what the README's install lines name, used only through its documented exports, in ESM and in
// CommonJS; and every README sample written into that project, type-checked with its own tsc and the
// README's tsconfig, and run with node as the README says (`node sample.ts`).
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
  // The README's install lines, the package itself from the tarball, the rest at the versions this
  // repository develops against, so the install comes from the local cache.
  const documented = [...readmeBaseInstall(), ...readmeInstallTable().flatMap((row) => row.installs)].map((i) => i.name);
  const installs = [...new Set(documented)].map((name) => (name === 'bedrock-action-groups' ? join(project, tarball) : `${name}@${pkg.devDependencies[name] ?? pkg.peerDependencies[name] ?? 'latest'}`));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...installs]);
}, 240_000);

afterAll(() => {
  // Hundreds of installed packages take a while to delete on a busy disk: a detached process does it.
  if (project) spawn(process.execPath, ['-e', `require('node:fs').rmSync(${JSON.stringify(project)}, { recursive: true, force: true })`], { detached: true, stdio: 'ignore' }).unref();
});

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

  it("runs ./stores on PGlite and ./auth with jose, sharing the core's ActionError, in ESM and CJS", () => {
    const body = (load: (s: string) => string) => `(async () => {
      const { ActionError } = ${load('bedrock-action-groups')};
      const { postgresStore, memoryStore } = ${load('bedrock-action-groups/stores')};
      const { jwtAuth } = ${load('bedrock-action-groups/auth')};
      const { PGlite } = ${load('@electric-sql/pglite')};
      const db = new PGlite();
      const store = postgresStore({ client: db });
      const { applied } = await store.migrate();
      await store.addConversation({ ownerId: 'u', sessionId: 's', prompt: 'hola', response: 'buenas' });
      const page = await store.listConversations({ sessionId: 's' });
      await db.close();
      const refused = await memoryStore().listFiles({ offset: -1 }).catch((e) => e instanceof ActionError && e.status);
      const auth = jwtAuth({ secret: 'x'.repeat(32) });
      const bad = await auth(new Request('http://x/', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln' } })).catch((e) => e instanceof ActionError && e.status + ' ' + e.headers['www-authenticate']);
      console.log(JSON.stringify([applied, page.total, page.records[0].response, refused, bad]));
    })();`;
    writeFileSync(join(project, 'stores.mjs'), body((s) => `await import(${JSON.stringify(s)})`));
    writeFileSync(join(project, 'stores.cjs'), body((s) => `require(${JSON.stringify(s)})`));
    const expected = JSON.stringify([[1], 1, 'buenas', 400, '401 Bearer error="invalid_token"']);
    expect(run(process.execPath, ['stores.mjs']).trim()).toBe(expected);
    expect(run(process.execPath, ['stores.cjs']).trim()).toBe(expected);
  }, 240_000);

  it('reports its own version on GET /health', () => {
    writeFileSync(join(project, 'health.mjs'), `
      const { createRouter } = await import('bedrock-action-groups');
      const reply = await createRouter().fetch(new Request('http://localhost/health'));
      console.log((await reply.json()).version);`);
    expect(run(process.execPath, ['health.mjs'], project, { ...process.env, BUILD_TAG: '' }).trim()).toBe(version);
  });

  it('serves the playground, /docs and their bundled assets from the installed package, in ESM and CJS', () => {
    const body = (load: (s: string) => string) => `(async () => {
      const { createRouter } = ${load('bedrock-action-groups')};
      const router = createRouter({ playground: true });
      const out = [];
      for (const path of ['/playground', '/docs', '/playground/operations.json', '/playground/assets/playground.js', '/playground/assets/playground.css', '/playground/assets/docs.js', '/playground/assets/docs.css']) {
        const reply = await router.fetch(new Request('http://localhost' + path));
        const text = await reply.text();
        // The catalog of a router without groups: no operations, MCP off; the pages and assets have content.
        out.push([path, reply.status, reply.headers.get('content-type'), path.endsWith('.json') ? JSON.stringify(JSON.parse(text).groups) + ' ' + JSON.parse(text).mcpPath : text.length > 100]);
      }
      console.log(JSON.stringify(out));
    })();`;
    writeFileSync(join(project, 'playground.mjs'), body((s) => `await import(${JSON.stringify(s)})`));
    writeFileSync(join(project, 'playground.cjs'), body((s) => `require(${JSON.stringify(s)})`));
    const html = 'text/html; charset=utf-8';
    const expected = JSON.stringify([
      ['/playground', 200, html, true],
      ['/docs', 200, html, true],
      ['/playground/operations.json', 200, 'application/json', '[] null'],
      ['/playground/assets/playground.js', 200, 'text/javascript; charset=utf-8', true],
      ['/playground/assets/playground.css', 200, 'text/css; charset=utf-8', true],
      ['/playground/assets/docs.js', 200, 'text/javascript; charset=utf-8', true],
      ['/playground/assets/docs.css', 200, 'text/css; charset=utf-8', true],
    ]);
    expect(run(process.execPath, ['playground.mjs']).trim()).toBe(expected);
    expect(run(process.execPath, ['playground.cjs']).trim()).toBe(expected);
  });

  it('installs the CLI as a bin', () => {
    expect(run(join(project, 'node_modules', '.bin', 'bedrock-action-groups'), ['--help'])).toContain('openapi');
  });
});

// The samples run as on a Lambda deployed with the variables the packs' fromEnv() read (kb-ingest, cognito).
const DEPLOYED_ENV = {
  API_URL: 'https://export.example.com/tickets',
  S3_BUCKET: 'kb-bucket',
  KB_ID: 'KB12345678',
  KB_DATASOURCE_ID: 'DS12345678',
  AWS_REGION: 'us-east-1',
  ALLOWLIST_URL: 'https://allowlist.example.com',
  ALLOWLIST_API_KEY: 'k',
  ROLE_RESOLVER_URL: 'https://roles.example.com',
  ROLE_RESOLVER_API_KEY: 'k',
};

/** `console.log(x); // expected` lines of a sample: what it must print. */
const expectedOutput = (code: string) => [...code.matchAll(/console\.log\([^\n]*\);\s*\/\/\s*(.+)$/gm)].map((m) => (m[1] as string).trim());

/**
 * Runs `node <file>` in the project. A sample that starts a server runs until it has printed what it
 * says it prints; it then gets SIGTERM and must shut down by itself.
 */
function runSample(file: string, code: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const expected = expectedOutput(code);
  const serves = /\.listen\(/.test(code);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd: project, env: { ...process.env, ...DEPLOYED_ENV, PORT: '0', LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (serves && expected.every((e) => stdout.split('\n').includes(e))) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, stdout, stderr });
    });
  });
}

describe('the README samples, in a project with only the documented installs', () => {
  const samples = readmeSamples();
  const fileOf = (i: number) => (i === 0 ? 'quick-start.ts' : `sample-${i}.ts`);

  beforeAll(() => {
    writeFileSync(join(project, 'tsconfig.json'), readmeTsconfig());
    samples.forEach((code, i) => writeFileSync(join(project, fileOf(i)), code));
  });

  it('type-check with the project\'s own tsc and the README\'s tsconfig', () => {
    const tsc = spawnSync(join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it.each(samples.map((code, i) => [fileOf(i), code] as const))('node %s runs and prints what its comments say', async (file, code) => {
    const result = await runSample(file, code);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const line of expectedOutput(code)) expect(lines, result.stdout).toContain(line);
  }, 100_000);
});
