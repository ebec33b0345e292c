// The local server: every built-in group on http://127.0.0.1:3000 (PORT to change), with the schemas,
// the Bedrock test endpoint (POST /bedrock takes a raw Bedrock Agents event, as the agent sends it),
// the playground (GET /playground to try every operation in the browser, GET /docs for the HTTP API) and
// the MCP endpoint (/mcp, Streamable HTTP).
import { pathToFileURL } from 'node:url';
import { createRouter } from 'bedrock-action-groups';
import { documentsApi } from 'bedrock-action-groups/documents';
import { createServer, type ActionServer } from 'bedrock-action-groups/node';
import { openaiOps } from 'bedrock-action-groups/openai';
import { groupsFromEnv } from './groups.ts';
import { backendsFromEnv, type Backends } from './backends.ts';
import { localRoleAuthenticate, requireLocalRole } from './local-role.ts';
import { chatPage } from '../chat/serve.ts';

/** Where the documents API is mounted, as the web app calls it. */
export const DOCUMENTS_PREFIX = '/bocppocia-bedrock';

/** Options of {@link startServer}; everything defaults to the environment. */
export interface StartOptions {
  port?: number;
  host?: string;
  env?: Record<string, string | undefined>;
  /** Where the start-up lines go (default: stdout). */
  print?: (line: string) => void;
  /** Store and blob store to use (default: from the environment, see backends.ts). */
  backends?: Backends;
}

/**
 * Starts the server and prints its URLs and the caller role in use. `LOCAL_ROLE` (local development only,
 * loopback hosts only) makes every HTTP caller that role, so role-restricted operations can be tried with
 * curl; without it they answer 503 naming LOCAL_ROLE. Without LOCAL_ROLE the Bedrock test endpoint takes
 * the role from the event's session attributes, as Bedrock does; with it, LOCAL_ROLE wins.
 */
export async function startServer(options: StartOptions = {}): Promise<{ server: ActionServer; url: string; backends: Backends }> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => console.log(line));
  const host = options.host ?? '127.0.0.1';
  const localRole = env.LOCAL_ROLE?.trim();
  // Identity: LOCAL_ROLE on this machine, else Cognito tokens when COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID are set.
  const authenticate = localRole ? localRoleAuthenticate(localRole, host) : documentsApi.authenticateFromEnv(env);
  const router = createRouter({ bedrockEndpoint: true, mcp: true, playground: true, ...(authenticate ? { authenticate } : {}) });
  for (const group of groupsFromEnv(env)) router.add(group);
  // Storage: embedded unless DATABASE_URL / S3_BUCKET; both reported by GET /health.
  const backends = options.backends ?? (await backendsFromEnv(env));
  router.probe('database', backends.store.probe).probe('files', backends.blobs.probe);
  // The web app's document chat, on the same store and files (prompts need BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID).
  router.add(documentsApi.fromEnv(env, { store: backends.store, blobs: backends.blobs }), { prefix: DOCUMENTS_PREFIX });
  // The disk store's links (its url()s) are signed paths this server answers; S3 links go to S3. Their
  // presigned uploads are as large as the documents API allows (MAX_FILE_BYTES, else its 10 MiB).
  if (backends.links) router.mount('/blobs/', backends.links, { maxBodyBytes: Number(env.MAX_FILE_BYTES?.trim() || 10 * 1024 * 1024) });
  router.mount('/chat', chatPage());
  // OpenAI work (OPENAI_API_KEY), also reachable as signed envelopes on POST /lambda when ENVELOPE_SECRET is set.
  const openai = openaiOps.fromEnv(env, { store: backends.store, blobs: backends.blobs, router });
  router.add(openai);
  const envelope = openaiOps.envelopeFromEnv(openai, env);
  if (envelope) router.envelope(envelope);
  const server = createServer(router);
  if (!localRole) requireLocalRole(server, router);
  const port = options.port ?? Number(env.PORT ?? 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  print(`bedrock-action-groups listening on ${url}`);
  print(
    localRole
      ? `  caller role     "${localRole}" for every HTTP caller (LOCAL_ROLE)`
      : '  caller role     none: role-restricted operations answer 503 until LOCAL_ROLE is set (e.g. LOCAL_ROLE=Agent npm start)',
  );
  for (const line of backends.description) print(`  storage         ${line}`);
  print(`  health          GET  ${url}/health`);
  print(`  chat page       GET  ${url}/chat`);
  for (const group of router.groups) {
    print(`  ${group.name.padEnd(15)} GET  ${url}/openapi/${group.name}.json  |  ${url}/functions/${group.name}.json`);
  }
  print(`  Documents       ${url}${DOCUMENTS_PREFIX}  (POST /upload, POST /prompt, GET /files, GET /history)`);
  print(`  Bedrock test    POST ${url}/bedrock  (a Bedrock Agents event as JSON)`);
  print(
    envelope
      ? `  Envelope        POST ${url}/lambda  (signed { payload, body: { event_name } } for OpenAIOps)`
      : '  Envelope        off: set ENVELOPE_SECRET to take signed events for OpenAIOps on POST /lambda',
  );
  print(`  MCP             ${url}/mcp  (Streamable HTTP: npx @modelcontextprotocol/inspector)`);
  print(`  playground      ${url}/playground  |  API reference ${url}/docs`);
  print(`  try: curl ${url}/orders/A-1001`);
  return { server, url, backends };
}

// Run directly: start, and shut down gracefully on Ctrl-C or SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { server, backends } = await startServer();
  const stop = () => void server.shutdown(5_000).then(() => backends.close()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
