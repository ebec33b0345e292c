// `deploy --gateway-id`: one AgentCore Gateway Lambda target per group, created or updated in place.
// The AgentCore control client is imported only here, and only when this target is deployed.
import type { CreateGatewayTargetCommandInput, ToolDefinition } from '@aws-sdk/client-bedrock-agentcore-control';
import type { ActionGroup } from '../../core/operation.js';
import { toAgentCoreTools } from '../../schema/agentcore-tools.js';
import type { CliIo } from '../commands.js';
import type { GatewayTarget } from './args.js';
import { beforeSending, importPeer, send } from './errors.js';
import { allPages } from './pages.js';
import type { PlannedRequest } from './plan.js';

/**
 * The target's name for a group: the group name with `_` written as `-`, since a target name allows
 * letters, digits and single hyphens only. The tools keep their own names (`<target>___<tool>`).
 */
export function targetName(group: ActionGroup): string {
  return group.name.replaceAll('_', '-');
}

/** The body of CreateGatewayTarget for a group; UpdateGatewayTarget sends the same plus the target id. */
export function gatewayTargetInput(group: ActionGroup, target: GatewayTarget): CreateGatewayTargetCommandInput {
  return {
    gatewayIdentifier: target.gatewayId,
    name: targetName(group),
    description: group.description,
    targetConfiguration: {
      // toAgentCoreTools writes only the keywords a gateway tool schema allows, every schema with a
      // `type`; its JsonSchema type is looser than the SDK's SchemaDefinition, hence the cast.
      mcp: { lambda: { lambdaArn: target.lambdaArn, toolSchema: { inlinePayload: toAgentCoreTools(group) as unknown as ToolDefinition[] } } },
    },
    credentialProviderConfigurations: [{ credentialProviderType: 'GATEWAY_IAM_ROLE' }],
  };
}

/** The requests `deploy --gateway-id` sends, as `--dry-run` prints them (the lookups left out). */
export function planGateway(groups: readonly ActionGroup[], target: GatewayTarget): PlannedRequest[] {
  return groups.map((group) => ({
    command: 'CreateGatewayTarget',
    input: gatewayTargetInput(group, target),
    note: `Sent as UpdateGatewayTarget with the same input and the targetId of the gateway's target named "${targetName(group)}" when ListGatewayTargets finds one.`,
  }));
}

/**
 * Creates or updates one Lambda target per group on the gateway, each found by name across every page
 * of ListGatewayTargets, calling `lambdaArn` with the gateway's IAM role. Throws a CliError naming what
 * AWS refused. Region, credentials and endpoint come from the SDK's standard configuration.
 */
export async function deployToGateway(groups: readonly ActionGroup[], target: GatewayTarget, io: CliIo): Promise<void> {
  const inputs = beforeSending(() => groups.map((group) => ({ group, input: gatewayTargetInput(group, target) })));
  const sdk = await importPeer(() => import('@aws-sdk/client-bedrock-agentcore-control'), '@aws-sdk/client-bedrock-agentcore-control', '--gateway-id');
  const client = new sdk.BedrockAgentCoreControlClient({});
  const region = await send({ service: 'bedrock-agentcore', action: 'ListGatewayTargets', resource: `gateway ${target.gatewayId}` }, () => client.config.region());
  const resource = `gateway ${target.gatewayId} in ${region}`;
  const existing = await allPages('ListGatewayTargets', (nextToken) =>
    send({ service: 'bedrock-agentcore', action: 'ListGatewayTargets', resource }, () =>
      client.send(new sdk.ListGatewayTargetsCommand({ gatewayIdentifier: target.gatewayId, ...(nextToken ? { nextToken } : {}) })),
    ),
  );
  const idByName = new Map(existing.map((summary) => [summary.name, summary.targetId]));
  for (const { group, input } of inputs) {
    const name = input.name as string;
    const targetId = idByName.get(name);
    if (targetId === undefined) {
      const reply = await send({ service: 'bedrock-agentcore', action: 'CreateGatewayTarget', resource, group: group.name }, () => client.send(new sdk.CreateGatewayTargetCommand(input)));
      io.stdout.write(`${group.name}: created target ${name} (${reply.targetId ?? 'no id returned'}, ${reply.status ?? 'status unknown'}) on ${resource}\n`);
    } else {
      const reply = await send({ service: 'bedrock-agentcore', action: 'UpdateGatewayTarget', resource, group: group.name }, () => client.send(new sdk.UpdateGatewayTargetCommand({ ...input, targetId })));
      io.stdout.write(`${group.name}: updated target ${name} (${targetId}, ${reply.status ?? 'status unknown'}) on ${resource}\n`);
    }
  }
}
