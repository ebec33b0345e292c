// `deploy --agent-id`: one Bedrock Agents action group per group, created or updated in place, then
// (with --prepare) PrepareAgent and a bounded wait for PREPARED.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BedrockAgentClient, CreateAgentActionGroupCommandInput } from '@aws-sdk/client-bedrock-agent';
import type { ActionGroup } from '../../core/operation.js';
import { toFunctionSchema } from '../../schema/function-schema.js';
import { toOpenApi } from '../../schema/openapi.js';
import type { CliIo } from '../commands.js';
import { CliError } from '../load-groups.js';
import type { AgentTarget } from './args.js';
import { beforeSending, importPeer, send, type Call } from './errors.js';
import { allPages } from './pages.js';
import type { PlannedRequest } from './plan.js';

/** How often `--prepare` asks GetAgent, in milliseconds. */
export const PREPARE_POLL_MS = 2000;

/** The body of CreateAgentActionGroup for a group; UpdateAgentActionGroup sends the same plus the id. */
export function actionGroupInput(group: ActionGroup, target: AgentTarget): CreateAgentActionGroupCommandInput {
  return {
    agentId: target.agentId,
    agentVersion: target.agentVersion,
    actionGroupName: group.name,
    description: group.description,
    actionGroupExecutor: target.executor,
    actionGroupState: 'ENABLED',
    ...(target.schema === 'openapi' ? { apiSchema: { payload: JSON.stringify(toOpenApi(group), null, 2) } } : { functionSchema: toFunctionSchema(group) }),
  };
}

/** The requests `deploy --agent-id` sends, as `--dry-run` prints them (the lookups left out). */
export function planAgent(groups: readonly ActionGroup[], target: AgentTarget): PlannedRequest[] {
  const planned: PlannedRequest[] = groups.map((group) => ({
    command: 'CreateAgentActionGroup',
    input: actionGroupInput(group, target),
    note: `Sent as UpdateAgentActionGroup with the same input and the actionGroupId of the agent's action group named "${group.name}" when ListAgentActionGroups finds one.`,
  }));
  if (target.prepare) {
    planned.push({
      command: 'PrepareAgent',
      input: { agentId: target.agentId },
      note: `Then GetAgent every ${PREPARE_POLL_MS / 1000}s until the agent is PREPARED (at most ${target.prepareTimeoutSeconds}s).`,
    });
  }
  return planned;
}

/** Timing of the wait for PREPARED; tests shorten it. */
export interface PrepareTiming {
  pollMs: number;
}

const describeAgent = (target: AgentTarget, region: string) => `agent ${target.agentId} (version ${target.agentVersion}) in ${region}`;

async function waitPrepared(client: BedrockAgentClient, sdk: typeof import('@aws-sdk/client-bedrock-agent'), target: AgentTarget, resource: string, io: CliIo, timing: PrepareTiming): Promise<void> {
  const call = (action: string): Call => ({ service: 'bedrock', action, resource });
  await send(call('PrepareAgent'), () => client.send(new sdk.PrepareAgentCommand({ agentId: target.agentId })));
  io.stderr.write(`Preparing agent ${target.agentId}...\n`);
  const started = Date.now();
  const deadline = started + target.prepareTimeoutSeconds * 1000;
  for (;;) {
    const { agent } = await send(call('GetAgent'), () => client.send(new sdk.GetAgentCommand({ agentId: target.agentId })));
    const status = agent?.agentStatus ?? 'UNKNOWN';
    io.stderr.write(`  ${status} (${Math.round((Date.now() - started) / 1000)}s)\n`);
    if (status === 'PREPARED') {
      io.stdout.write(`Agent ${target.agentId} is PREPARED.\n`);
      return;
    }
    if (status === 'FAILED' || status === 'DELETING') {
      const list = (title: string, items: string[] | undefined) => (items?.length ? `\n${title}:\n${items.map((i) => `  - ${i}\n`).join('')}` : '\n');
      throw new CliError(`Agent ${target.agentId} did not prepare: its status is ${status}.${list('Failure reasons', agent?.failureReasons)}${list('Recommended actions', agent?.recommendedActions)}`.trimEnd());
    }
    if (Date.now() + timing.pollMs > deadline) {
      throw new CliError(`Agent ${target.agentId} is still ${status} after ${target.prepareTimeoutSeconds}s (--prepare-timeout); it may yet finish: see its status in the Bedrock console or with "aws bedrock-agent get-agent --agent-id ${target.agentId}".`);
    }
    await sleep(timing.pollMs);
  }
}

/**
 * Creates or updates one action group per group on the agent, each found by name across every page of
 * ListAgentActionGroups; with `prepare`, then prepares the agent and waits until it is PREPARED.
 * Throws a {@link CliError} naming what AWS refused. Region, credentials and endpoint come from the SDK's
 * standard configuration.
 */
export async function deployToAgent(groups: readonly ActionGroup[], target: AgentTarget, io: CliIo, timing: PrepareTiming = { pollMs: PREPARE_POLL_MS }): Promise<void> {
  const inputs = beforeSending(() => groups.map((group) => ({ group, input: actionGroupInput(group, target) })));
  const sdk = await importPeer(() => import('@aws-sdk/client-bedrock-agent'), '@aws-sdk/client-bedrock-agent', '--agent-id');
  const client = new sdk.BedrockAgentClient({});
  const region = await send({ service: 'bedrock', action: 'ListAgentActionGroups', resource: `agent ${target.agentId}` }, () => client.config.region());
  const resource = describeAgent(target, region);
  const existing = await allPages('ListAgentActionGroups', (nextToken) =>
    send({ service: 'bedrock', action: 'ListAgentActionGroups', resource }, async () => {
      const page = await client.send(new sdk.ListAgentActionGroupsCommand({ agentId: target.agentId, agentVersion: target.agentVersion, ...(nextToken ? { nextToken } : {}) }));
      return { items: page.actionGroupSummaries, nextToken: page.nextToken };
    }),
  );
  const idByName = new Map(existing.map((summary) => [summary.actionGroupName, summary.actionGroupId]));
  for (const { group, input } of inputs) {
    const actionGroupId = idByName.get(group.name);
    if (actionGroupId === undefined) {
      const reply = await send({ service: 'bedrock', action: 'CreateAgentActionGroup', resource, group: group.name }, () => client.send(new sdk.CreateAgentActionGroupCommand(input)));
      io.stdout.write(`${group.name}: created action group ${reply.agentActionGroup?.actionGroupId ?? '(no id returned)'} on ${resource}\n`);
    } else {
      await send({ service: 'bedrock', action: 'UpdateAgentActionGroup', resource, group: group.name }, () => client.send(new sdk.UpdateAgentActionGroupCommand({ ...input, actionGroupId })));
      io.stdout.write(`${group.name}: updated action group ${actionGroupId} on ${resource}\n`);
    }
  }
  if (target.prepare) await waitPrepared(client, sdk, target, resource, io, timing);
  else io.stderr.write(`The agent is not prepared yet: run again with --prepare, or prepare it in the console, before testing the changes.\n`);
}
