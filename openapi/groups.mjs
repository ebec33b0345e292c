// The built-in packs' action groups, created with default options, for the schema files beside this
// module: `npm run schemas` writes them, and `npm test` fails when they are stale.
import { hubspotOps } from '../dist/hubspot.js';
import { interactionOps } from '../dist/interactions.js';
import { metricsOps } from '../dist/metrics.js';
import { openaiOps } from '../dist/openai.js';
import { memoryStore } from '../dist/stores.js';

export const hubspot = hubspotOps();
export const interactions = interactionOps();
export const metrics = metricsOps();
// Only check_train is agent-callable; the other OpenAIOps operations are HTTP and envelope events.
export const openai = openaiOps({ store: memoryStore() });
