// `deploy --agent-id` in-process: the real @aws-sdk/client-bedrock-agent, intercepted by msw at the
// SDK's default endpoint, against a fake that follows the Bedrock Agents API reference.
import { describe, expect, test, vi } from 'vitest';
import { deployArgs, type DeployValues, UsageProblem } from '../../../src/cli/deploy/args.js';
import { deployCommand } from '../../../src/cli/deploy/command.js';
import { toFunctionSchema, toOpenApi } from '../../../src/schema/index.js';
import { billing, tickets } from '../fixtures/app.js';
import { cli, fixture, ROOT } from '../support.js';
import { AGENT_ID, interceptAws, LAMBDA_ARN } from './fake-aws.js';

const APP = fixture('app.ts');
const aws = interceptAws();

const deploy = (...args: string[]) => cli(['deploy', APP, ...args], ROOT);
const actions = () => aws.fake.received.map((r) => r.action);

/** The wire body of Create/UpdateAgentActionGroup for a group (agentId and version travel in the path). */
const openApiBody = (group: typeof tickets) => ({
  actionGroupName: group.name,
  description: group.description,
  actionGroupExecutor: { lambda: LAMBDA_ARN },
  actionGroupState: 'ENABLED',
  apiSchema: { payload: JSON.stringify(toOpenApi(group), null, 2) },
});

/** Runs deploy in-process with a short GetAgent interval, as runCli would with these options. */
async function deployPreparing(values: DeployValues) {
  const args = deployArgs(APP, undefined, { 'agent-id': AGENT_ID, 'lambda-arn': LAMBDA_ARN, prepare: true, ...values });
  if (args instanceof UsageProblem) throw new Error(args.message);
  let stdout = '';
  let stderr = '';
  const code = await deployCommand(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd: ROOT }, { pollMs: 5 }).catch((error: Error) => {
    stderr += `${error.message}\n`;
    return 1;
  });
  return { code, stdout, stderr };
}

describe('deploy --agent-id', () => {
  test('creates an action group per group with the OpenAPI schema inline and the Lambda as executor', async () => {
    const result = await deploy('--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN);
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'CreateAgentActionGroup', 'CreateAgentActionGroup']);
    const [list, first, second] = aws.fake.received;
    expect(list).toMatchObject({ method: 'POST', path: `/agents/${AGENT_ID}/agentversions/DRAFT/actiongroups/` });
    expect(first).toMatchObject({ method: 'PUT', path: `/agents/${AGENT_ID}/agentversions/DRAFT/actiongroups/` });
    // The SDK adds an idempotency token of its own to each create.
    expect(first?.body).toEqual({ ...openApiBody(billing), clientToken: expect.any(String) });
    expect(second?.body).toEqual({ ...openApiBody(tickets), clientToken: expect.any(String) });
    const payload = JSON.parse((second?.body as { apiSchema: { payload: string } }).apiSchema.payload) as { openapi: string; paths: Record<string, unknown> };
    expect(payload.openapi).toBe('3.0.0');
    expect(Object.keys(payload.paths)).toContain('/tickets/{ticketId}');
    expect(result.stdout).toBe(
      `Billing: created action group NEWGROUP01 on agent ${AGENT_ID} (version DRAFT) in us-east-1\n` +
        `Tickets: created action group NEWGROUP02 on agent ${AGENT_ID} (version DRAFT) in us-east-1\n`,
    );
    // No PrepareAgent unless asked; the lint report and the reminder go to stderr.
    expect(result.stderr).toContain('Tickets: 5 operations, no problems');
    expect(result.stderr).toContain('run again with --prepare');
  });

  test('updates the action group found by name on the second page of ListAgentActionGroups, with function details and return of control', async () => {
    aws.fake.actionGroups = [
      { id: 'OTHER00001', name: 'Search' },
      { id: 'OTHER00002', name: 'UserInputAction' },
      { id: 'TICKETS001', name: 'Tickets' },
    ];
    const result = await deploy('--agent-id', AGENT_ID, '--return-control', '--schema', 'functions');
    expect(result.stderr).not.toContain('Access denied');
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'ListAgentActionGroups', 'CreateAgentActionGroup', 'UpdateAgentActionGroup']);
    expect(aws.fake.received[0]?.body).toEqual({});
    expect(aws.fake.received[1]?.body).toEqual({ nextToken: 'page-1' });
    const update = aws.fake.received[3];
    expect(update).toMatchObject({ method: 'PUT', path: `/agents/${AGENT_ID}/agentversions/DRAFT/actiongroups/TICKETS001/` });
    expect(update?.body).toEqual({
      actionGroupName: 'Tickets',
      description: tickets.description,
      actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
      actionGroupState: 'ENABLED',
      functionSchema: toFunctionSchema(tickets),
    });
    expect(result.stdout).toContain(`Tickets: updated action group TICKETS001 on agent ${AGENT_ID} (version DRAFT) in us-east-1\n`);
  });

  test('--prepare prepares the agent after the writes and waits through NOT_PREPARED and PREPARING until PREPARED', async () => {
    aws.fake.statuses = ['NOT_PREPARED', 'PREPARING', 'PREPARED'];
    const result = await deployPreparing({});
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListAgentActionGroups', 'CreateAgentActionGroup', 'CreateAgentActionGroup', 'PrepareAgent', 'GetAgent', 'GetAgent', 'GetAgent']);
    expect(aws.fake.received[3]).toMatchObject({ method: 'POST', path: `/agents/${AGENT_ID}/` });
    expect(result.stderr).toMatch(new RegExp(`Preparing agent ${AGENT_ID}\\.\\.\\.\\n  NOT_PREPARED \\(\\d+s\\)\\n  PREPARING \\(\\d+s\\)\\n  PREPARED \\(\\d+s\\)\\n$`));
    expect(result.stdout.endsWith(`Agent ${AGENT_ID} is PREPARED.\n`)).toBe(true);
  });

  test('an agent that fails to prepare exits 1 with its failure reasons and recommended actions', async () => {
    aws.fake.statuses = ['PREPARING', 'FAILED'];
    aws.fake.failureReasons = ['Action group Tickets: Lambda function arn:aws:lambda:us-east-1:123456789012:function:support-tools does not exist'];
    aws.fake.recommendedActions = ['Check the Lambda ARN and its resource-based policy'];
    const result = await deployPreparing({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Agent ${AGENT_ID} did not prepare: its status is FAILED.\nFailure reasons:\n  - ${aws.fake.failureReasons[0]}\n\nRecommended actions:\n  - Check the Lambda ARN and its resource-based policy\n`,
    );
    expect(result.stdout).not.toContain('PREPARED');
  });

  test('the wait is bounded by --prepare-timeout', async () => {
    aws.fake.statuses = ['PREPARING'];
    const started = Date.now();
    const result = await deployPreparing({ 'prepare-timeout': '1' });
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.stderr).toContain(`Agent ${AGENT_ID} is still PREPARING after 1s (--prepare-timeout)`);
  });

  test('refuses a module with lint errors: exit 1, the problems printed, nothing sent', async () => {
    const result = await cli(['deploy', fixture('bad.ts'), '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Broken__Ops: ');
    expect(result.stderr).toContain('Nothing was sent: fix the errors above and run again.\n');
    expect(result.stdout).toBe('');
    expect(aws.fake.received).toEqual([]);
  });

  test('access denied names the IAM action to grant', async () => {
    aws.fake.denied.add('CreateAgentActionGroup');
    const result = await deploy('--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Access denied: CreateAgentActionGroup for action group "Billing" needs the IAM permission bedrock:CreateAgentActionGroup on agent ${AGENT_ID} (version DRAFT) in us-east-1. AWS said: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:CreateAgentActionGroup`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // It stopped at the first refusal.
    expect(actions()).toEqual(['ListAgentActionGroups', 'CreateAgentActionGroup']);
  });

  test('access denied on PrepareAgent names bedrock:PrepareAgent', async () => {
    aws.fake.denied.add('PrepareAgent');
    const result = await deployPreparing({});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('needs the IAM permission bedrock:PrepareAgent on agent');
  });

  test('an unknown agent is named', async () => {
    const result = await deploy('--agent-id', 'NOSUCHAGNT', '--lambda-arn', LAMBDA_ARN);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown agent NOSUCHAGNT (version DRAFT) in us-east-1: ListAgentActionGroups found no such resource; check the id and the region. AWS said: Could not find agent with id NOSUCHAGNT\n');
  });

  test("a schema Bedrock refuses is reported with Bedrock's message verbatim", async () => {
    const message = 'Failed to create OpenAPI 3 model from the JSON/YAML object that you provided for action group Tickets. [paths./tickets.get.parameters[0].schema: must not have enum]';
    aws.fake.invalid.set('CreateAgentActionGroup', message);
    const result = await deploy('--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Bedrock refused CreateAgentActionGroup for action group "Billing": ${message}\n`);
  });

  test('--dry-run prints the exact requests and sends nothing, without credentials or region', async () => {
    vi.unstubAllEnvs();
    const result = await deploy('--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN, '--prepare', '--dry-run');
    expect(result.code).toBe(0);
    expect(aws.fake.received).toEqual([]);
    const create = (group: typeof tickets) => ({
      command: 'CreateAgentActionGroup',
      input: { agentId: AGENT_ID, agentVersion: 'DRAFT', ...openApiBody(group) },
      note: `Sent as UpdateAgentActionGroup with the same input and the actionGroupId of the agent's action group named "${group.name}" when ListAgentActionGroups finds one.`,
    });
    const expected = [
      create(billing),
      create(tickets),
      { command: 'PrepareAgent', input: { agentId: AGENT_ID }, note: 'Then GetAgent every 2s until the agent is PREPARED (at most 300s).' },
    ];
    expect(result.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(result.stderr.endsWith('Dry run: nothing was sent.\n')).toBe(true);
  });
});

describe('deploy: bad usage exits 2 naming the option', () => {
  test.each([
    [[], 'Missing --agent-id <id> (a Bedrock agent) or --gateway-id <id> (an AgentCore gateway).'],
    [['--agent-id', AGENT_ID], 'Missing --lambda-arn <arn> or --return-control: say what runs the action groups.'],
    [['--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN, '--return-control'], '--lambda-arn and --return-control exclude each other: give one.'],
    [['--agent-id', 'short', '--return-control'], '--agent-id must be an agent id of 10 letters and digits, got "short".'],
    [['--agent-id', AGENT_ID, '--lambda-arn', 'my-function'], '--lambda-arn must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>), got "my-function".'],
    [['--agent-id', AGENT_ID, '--return-control', '--schema', 'yaml'], '--schema must be openapi or functions, got "yaml".'],
    [['--agent-id', AGENT_ID, '--return-control', '--prepare-timeout', '10'], '--prepare-timeout applies to --prepare only.'],
    [['--agent-id', AGENT_ID, '--return-control', '--prepare', '--prepare-timeout', '0'], '--prepare-timeout must be a whole number of seconds from 1 to 3600, got "0".'],
    [['--gateway-id', 'support-gw-a1b2c3d4e5'], 'Missing --lambda-arn <arn>: --gateway-id needs the Lambda function the targets call.'],
    [['--gateway-id', 'support-gw-a1b2c3d4e5', '--lambda-arn', LAMBDA_ARN, '--prepare'], '--prepare applies to --agent-id only, not to --gateway-id.'],
    [['--gateway-id', 'support-gw-a1b2c3d4e5', '--agent-id', AGENT_ID, '--lambda-arn', LAMBDA_ARN], '--agent-id and --gateway-id exclude each other: deploy to one at a time.'],
    [['--agent-id'], "Option '--agent-id <value>' argument missing"],
  ])('%j', async (args, message) => {
    const result = await deploy(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr).toContain('Usage: bedrock-action-groups deploy <module>');
    expect(aws.fake.received).toEqual([]);
  });

  test('a missing module is bad usage too', async () => {
    const result = await cli(['deploy', '--agent-id', AGENT_ID, '--return-control'], ROOT);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Missing <module>\./) });
  });
});
