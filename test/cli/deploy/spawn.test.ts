// `deploy` as a user runs it: the CLI in its own Node process, configured only through the environment
// (region, static credentials, AWS_ENDPOINT_URL_*), talking to the wire fake on 127.0.0.1. Each run
// folder holds its own node_modules with only the packages given, so a missing AgentCore SDK shows.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fixture, ROOT } from '../support.js';
import { AGENT_ID, fakeAws, GATEWAY_ID, LAMBDA_ARN, localServer, type FakeAws } from './fake-aws.js';

let fake: FakeAws;
let local: Awaited<ReturnType<typeof localServer>>;
let agentOnly: string;
let both: string;
const folders: string[] = [];

/** A folder outside the repository with the CLI, the fixtures, and node_modules linking only `packages`. */
async function runFolder(packages: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bag-deploy-'));
  folders.push(dir);
  for (const name of packages) {
    await mkdir(join(dir, 'node_modules', name, '..'), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  const options = { bundle: true, format: 'esm', platform: 'node', target: 'node22', external: ['zod', '@aws-sdk/*'], logLevel: 'silent' } satisfies BuildOptions;
  await build({ ...options, entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile: join(dir, 'cli.mjs') });
  for (const name of ['app', 'bad']) await build({ ...options, entryPoints: [fixture(`${name}.ts`)], outfile: join(dir, `${name}.mjs`) });
  return dir;
}

beforeAll(async () => {
  local = await localServer(() => fake);
  agentOnly = await runFolder(['zod', '@aws-sdk/client-bedrock-agent']);
  both = await runFolder(['zod', '@aws-sdk/client-bedrock-agent', '@aws-sdk/client-bedrock-agentcore-control']);
});
afterAll(async () => {
  await local.close();
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
});
beforeEach(() => {
  fake = fakeAws();
});

const DIST_CLI = join(ROOT, 'dist/cli/main.js');

/**
 * Runs the CLI (the folder's bundle from source, or `cli` given) with only the environment given (plus
 * PATH), never the developer's AWS configuration.
 */
function run(dir: string, args: string[], env: Record<string, string>, cli = join(dir, 'cli.mjs')): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const isolated = { PATH: process.env.PATH ?? '', HOME: dir, AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'deploy', ...args], { cwd: dir, env: { ...isolated, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const aws = (endpoints: Record<string, string>) => ({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', ...endpoints });
const actions = () => fake.received.map((r) => r.action);

describe('deploy in its own process', () => {
  test('AWS_ENDPOINT_URL_BEDROCK_AGENT points the agent deploy at a local endpoint; exit 0; no AgentCore SDK needed', async () => {
    const result = await run(agentOnly, ['app.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN, '--prepare'], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url }));
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'CreateAgentActionGroup', 'CreateAgentActionGroup', 'PrepareAgent', 'GetAgent']);
    expect(result.stdout).toBe(
      `Billing: created action group NEWGROUP01 on agent ${AGENT_ID} (version DRAFT) in us-east-1\n` +
        `Tickets: created action group NEWGROUP02 on agent ${AGENT_ID} (version DRAFT) in us-east-1\n` +
        `Agent ${AGENT_ID} is PREPARED.\n`,
    );
  });

  test('AWS_ENDPOINT_URL, the one for every service, is honoured too', async () => {
    fake.actionGroups = [{ id: 'BILLING001', name: 'Billing' }];
    const result = await run(agentOnly, ['app.mjs', '--agent-id', AGENT_ID, '--return-control'], aws({ AWS_ENDPOINT_URL: local.url }));
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'UpdateAgentActionGroup', 'CreateAgentActionGroup']);
  });

  test('exit 1 when the agent fails to prepare', async () => {
    fake.statuses = ['FAILED'];
    fake.failureReasons = ['Unable to assume the agent resource role'];
    const result = await run(agentOnly, ['app.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN, '--prepare'], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('its status is FAILED.\nFailure reasons:\n  - Unable to assume the agent resource role\n');
  });

  test('exit 1 on lint errors, nothing sent', async () => {
    const result = await run(agentOnly, ['bad.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Nothing was sent');
    expect(fake.received).toEqual([]);
  });

  test('exit 1 on access denied, the IAM action named, no stack trace', async () => {
    fake.denied.add('ListAgentActionGroups');
    const result = await run(agentOnly, ['app.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url }));
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/\nAccess denied: ListAgentActionGroups needs the IAM permission bedrock:ListAgentActionGroups on agent AGENT12345 \(version DRAFT\) in us-east-1\. AWS said: .+\n$/);
  });

  test('exit 1 naming AWS_REGION when no region is configured', async () => {
    const result = await run(agentOnly, ['app.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], { AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No AWS region for ListAgentActionGroups: set AWS_REGION');
    expect(fake.received).toEqual([]);
  });

  test('exit 2 on bad usage, naming the missing option', async () => {
    const result = await run(agentOnly, ['app.mjs', '--gateway-id', GATEWAY_ID], aws({}));
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('Missing --lambda-arn <arn>: --gateway-id needs the Lambda function the targets call.');
  });

  test('--gateway-id without the AgentCore SDK installed says what to install (exit 1)', async () => {
    const result = await run(agentOnly, ['app.mjs', '--gateway-id', GATEWAY_ID, '--lambda-arn', LAMBDA_ARN], aws({ AWS_ENDPOINT_URL: local.url }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deploy --gateway-id needs @aws-sdk/client-bedrock-agentcore-control: install it with "npm install --save-dev @aws-sdk/client-bedrock-agentcore-control".\n');
    expect(fake.received).toEqual([]);
  });

  test('AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL points the gateway deploy at a local endpoint', async () => {
    fake.targets = [{ id: 'TARGET0003', name: 'Tickets' }];
    const result = await run(both, ['app.mjs', '--gateway-id', GATEWAY_ID, '--lambda-arn', LAMBDA_ARN], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL: local.url }));
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListGatewayTargets', 'CreateGatewayTarget', 'UpdateGatewayTarget']);
    expect(result.stdout).toContain(`Tickets: updated target Tickets (TARGET0003, UPDATING) on gateway ${GATEWAY_ID} in us-east-1\n`);
  });

  test.skipIf(!existsSync(DIST_CLI))('the built bin dist/cli/main.js deploys too (skipped when `npm run build` has not run)', async () => {
    const result = await run(both, ['app.mjs', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], aws({ AWS_ENDPOINT_URL_BEDROCK_AGENT: local.url }), DIST_CLI);
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'CreateAgentActionGroup', 'CreateAgentActionGroup']);
    const usage = await run(both, ['app.mjs', '--agent-id', AGENT_ID], aws({}), DIST_CLI);
    expect(usage.code).toBe(2);
  });
});
