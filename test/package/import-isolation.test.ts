import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Importing the core must not load any heavy SDK: checked in a fresh process, recording every module
// the loader resolves (ESM import and CJS require alike) with node:module's registerHooks.
const root = join(import.meta.dirname, '..', '..');
const HEAVY = /node_modules\/(@aws-sdk|@smithy|@hubspot|@modelcontextprotocol|openai|express|luxon|chrono-node|html-to-text|pg|pg-[a-z]+|@electric-sql|jose|aws-jwt-verify)\//;

function modulesLoadedBy(code: string): string[] {
  const script = `
    const { registerHooks } = require('node:module');
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
    (async () => { ${code} ; process.stdout.write(JSON.stringify(seen)); })();
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root }).toString()) as string[];
}

describe('import cost', () => {
  it.each([
    ['ESM', `await import(${JSON.stringify(join(root, 'dist/index.js'))})`],
    ['CJS', `require(${JSON.stringify(join(root, 'dist/index.cjs'))})`],
    ['ESM ./lambda', `await import(${JSON.stringify(join(root, 'dist/lambda.js'))})`],
    // The optional peers of ./stores and ./auth load when first used, so importing them costs nothing.
    ['ESM ./stores', `await import(${JSON.stringify(join(root, 'dist/stores.js'))})`],
    ['CJS ./stores', `require(${JSON.stringify(join(root, 'dist/stores.cjs'))})`],
    ['ESM ./auth', `await import(${JSON.stringify(join(root, 'dist/auth.js'))})`],
  ])('%s loads no AWS SDK, HubSpot, OpenAI, MCP, Postgres, JWT or date library module', (name, code) => {
    expect(existsSync(join(root, 'dist/index.js')), 'run `npm run build` first').toBe(true);
    const loaded = modulesLoadedBy(code);
    const entry = name.includes('./') ? name.slice(name.indexOf('./') + 2) : 'index';
    expect(loaded.some((u) => u.includes(`/dist/${entry}.`))).toBe(true);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    // The playground's few MB of browser assets load only when a page is asked for.
    expect(loaded.filter((u) => u.includes('playground-assets'))).toEqual([]);
  });
});
