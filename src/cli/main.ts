#!/usr/bin/env node
// The `bedrock-action-groups` executable; the logic lives in run.ts so tests call it in-process.
import { requireNode } from './require-node.js';
import { runCli } from './run.js';

requireNode();

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Not a usage or lint failure: a bug or an environment problem, so the stack helps.
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
