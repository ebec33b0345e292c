// The groups the local server serves: every built-in pack that answers over HTTP, configured from the
// environment, plus the OrderStatus example. A pack whose credentials are missing is still served; its
// operations answer 503 naming the missing variable.
// (Imports from the package source for now; a published app imports 'bedrock-action-groups/<pack>'.)
import type { ActionGroup } from '../../src/index.js';
import { hubspotOps } from '../../src/packs/hubspot/index.js';
import { interactionOps } from '../../src/packs/interactions/index.js';
import { metricsOps } from '../../src/packs/metrics/index.js';
import { orderStatusGroup } from '../order-status.js';

/** The served groups, configured from `env` (HUBSPOT_TOKEN, FAST_API_BASE_URL, …). */
export function groupsFromEnv(env: Record<string, string | undefined> = process.env): ActionGroup[] {
  return [orderStatusGroup(), hubspotOps.fromEnv(env), interactionOps.fromEnv(env), metricsOps.fromEnv(env)];
}
