// `deploy --gateway-id` in-process: the real @aws-sdk/client-bedrock-agentcore-control, intercepted by
// msw at the SDK's default endpoint, against a fake that follows the AgentCore control API reference.
import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { targetName } from '../../../src/cli/deploy/gateway.js';
import { actionGroup } from '../../../src/index.js';
import { toAgentCoreTools } from '../../../src/schema/index.js';
import { billing, tickets } from '../fixtures/app.js';
import { cli, fixture, ROOT } from '../support.js';
import { GATEWAY_ID, interceptAws, LAMBDA_ARN } from './fake-aws.js';

const APP = fixture('app.ts');
const aws = interceptAws();

const deploy = (...args: string[]) => cli(['deploy', APP, '--gateway-id', GATEWAY_ID, '--lambda-arn', LAMBDA_ARN, ...args], ROOT);
const actions = () => aws.fake.received.map((r) => r.action);

/** The wire body of Create/UpdateGatewayTarget for a group (the gateway id travels in the path). */
const targetBody = (group: typeof tickets) => ({
  name: group.name,
  description: group.description,
  targetConfiguration: { mcp: { lambda: { lambdaArn: LAMBDA_ARN, toolSchema: { inlinePayload: toAgentCoreTools(group) } } } },
  credentialProviderConfigurations: [{ credentialProviderType: 'GATEWAY_IAM_ROLE' }],
});

describe('deploy --gateway-id', () => {
  test('creates a Lambda target per group with the tool schema inline, called with the gateway IAM role', async () => {
    const result = await deploy();
    expect(result.stderr).not.toContain('refused');
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListGatewayTargets', 'CreateGatewayTarget', 'CreateGatewayTarget']);
    expect(aws.fake.received[0]).toMatchObject({ method: 'GET', path: `/gateways/${GATEWAY_ID}/targets/`, query: {} });
    expect(aws.fake.received[1]).toMatchObject({ method: 'POST', path: `/gateways/${GATEWAY_ID}/targets/` });
    expect(aws.fake.received[1]?.body).toEqual({ ...targetBody(billing), clientToken: expect.any(String) });
    expect(aws.fake.received[2]?.body).toEqual({ ...targetBody(tickets), clientToken: expect.any(String) });
    expect(result.stdout).toBe(
      `Billing: created target Billing (NEWTARGET1, CREATING) on gateway ${GATEWAY_ID} in us-east-1\n` +
        `Tickets: created target Tickets (NEWTARGET2, CREATING) on gateway ${GATEWAY_ID} in us-east-1\n`,
    );
  });

  test('updates the target found by name on the second page of ListGatewayTargets', async () => {
    aws.fake.targets = [
      { id: 'TARGET0001', name: 'Search' },
      { id: 'TARGET0002', name: 'Weather' },
      { id: 'TARGET0003', name: 'Tickets' },
    ];
    const result = await deploy();
    expect(result.code).toBe(0);
    expect(actions()).toEqual(['ListGatewayTargets', 'ListGatewayTargets', 'CreateGatewayTarget', 'UpdateGatewayTarget']);
    expect(aws.fake.received[1]?.query).toEqual({ nextToken: 'page-1' });
    expect(aws.fake.received[3]).toMatchObject({ method: 'PUT', path: `/gateways/${GATEWAY_ID}/targets/TARGET0003/` });
    expect(aws.fake.received[3]?.body).toEqual(targetBody(tickets));
    expect(result.stdout).toContain(`Tickets: updated target Tickets (TARGET0003, UPDATING) on gateway ${GATEWAY_ID} in us-east-1\n`);
  });

  test('a target name writes the group name with hyphens, the only separator a target name allows', () => {
    const group = actionGroup({ name: 'HubSpot_Ops', description: 'Tickets.' }).operation({
      name: 'ping', method: 'GET', path: '/ping', description: 'Check the service answers.', input: z.object({}), handler: () => ({}),
    });
    expect(targetName(group)).toBe('HubSpot-Ops');
    expect(targetName(tickets)).toBe('Tickets');
  });

  test('access denied names the bedrock-agentcore IAM action', async () => {
    aws.fake.denied.add('ListGatewayTargets');
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Access denied: ListGatewayTargets needs the IAM permission bedrock-agentcore:ListGatewayTargets on gateway ${GATEWAY_ID} in us-east-1. AWS said: `);
    expect(actions()).toEqual(['ListGatewayTargets']);
  });

  test('an unknown gateway is named', async () => {
    const result = await cli(['deploy', APP, '--gateway-id', 'other-gw-0000000000', '--lambda-arn', LAMBDA_ARN], ROOT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown gateway other-gw-0000000000 in us-east-1: ListGatewayTargets found no such resource');
  });

  test("a tool schema the gateway refuses is reported with the gateway's message verbatim", async () => {
    const message = 'Tool name getTicket is duplicated in target Tickets';
    aws.fake.invalid.set('CreateGatewayTarget', message);
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`AgentCore refused CreateGatewayTarget for action group "Billing": ${message}\n`);
  });

  test('--dry-run prints the exact requests and sends nothing', async () => {
    const result = await deploy('--dry-run');
    expect(result.code).toBe(0);
    expect(aws.fake.received).toEqual([]);
    const expected = [billing, tickets].map((group) => ({
      command: 'CreateGatewayTarget',
      input: { gatewayIdentifier: GATEWAY_ID, ...targetBody(group) },
      note: `Sent as UpdateGatewayTarget with the same input and the targetId of the gateway's target named "${group.name}" when ListGatewayTargets finds one.`,
    }));
    expect(result.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});
