// The groups the local server serves: every built-in pack that answers over HTTP, configured from the
// environment, plus the OrderStatus example. A pack whose credentials are missing is still served; its
// operations answer 503 naming the missing variable.
import type { ActionGroup } from 'bedrock-action-groups';
import { hubspotOps } from 'bedrock-action-groups/hubspot';
import { interactionOps } from 'bedrock-action-groups/interactions';
import { metricsOps } from 'bedrock-action-groups/metrics';
import { orderStatusGroup } from '../order-status.ts';

/** The served groups, configured from `env` (HUBSPOT_TOKEN, FAST_API_BASE_URL, …). */
export function groupsFromEnv(env: Record<string, string | undefined> = process.env): ActionGroup[] {
  return [orderStatusGroup(), hubspotOps.fromEnv(env), interactionOps.fromEnv(env), metricsOps.fromEnv(env)];
}
