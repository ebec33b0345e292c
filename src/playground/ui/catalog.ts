// The shapes the page reads from GET /playground/operations.json (see src/schema/playground-catalog.ts).
import type { PlaygroundCatalog, PlaygroundField, PlaygroundOperation } from '../../schema/playground-catalog.js';

export type { PlaygroundField as Field, PlaygroundOperation as Operation };

/** The catalog with the router's settings the page needs. */
export interface Catalog extends PlaygroundCatalog {
  /** The router has `authenticate`: the page asks for a token and sends it as `Authorization: Bearer`. */
  authenticate: boolean;
  /** `POST /bedrock` is served, so the Bedrock doors can be tried. */
  bedrockEndpoint: boolean;
  /** The session attribute holding the caller's role on Bedrock doors. */
  roleAttribute: string;
  /** Where the MCP endpoint is served (`createRouter({ mcp })`), or null when it is off. */
  mcpPath: string | null;
  /** The MCP tool name of each agent-callable operation, keyed `Group.operation`. */
  mcpTools: Record<string, string>;
}

/** Fetches the catalog; throws with the server's message when it cannot. */
export async function loadCatalog(): Promise<Catalog> {
  const response = await fetch('playground/operations.json', { headers: { accept: 'application/json' } });
  const body = (await response.json()) as Catalog & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `GET /playground/operations.json answered ${response.status}`);
  return body;
}
