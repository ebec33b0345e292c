import type { Caller } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { toPlaygroundCatalog } from '../../schema/playground-catalog.js';
import { namedTools } from '../../schema/tool-names.js';
import { isRecord } from '../../util/is-record.js';
import { runtimeImport } from '../../util/runtime-import.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonObject } from './body.js';
import { cachedDocument, GET, NO_STORE, POST, type Builtin } from './builtin.js';
import { jsonReply, type HttpReply } from './exchange.js';
import type { HttpHost } from './host.js';
import { mcpPathOf } from './options.js';

// The pages load everything from this server (no CDN: the machine may be offline) and run no inline
// script, so the policy allows only same-origin scripts, styles, fetches and data: images.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  ...NO_STORE,
} as const;

// Relative URLs, so the pages also work under a stage or proxy prefix (`/prod/playground`).
function page(title: string, name: 'playground' | 'docs', body: string): HttpReply {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="playground/assets/${name}.css">
</head>
<body>
${body}
<script src="playground/assets/${name}.js"></script>
</body>
</html>
`;
  return { status: 200, headers: { ...PAGE_HEADERS }, body: html };
}

/** `GET /playground`: the page; its script draws everything from `GET /playground/operations.json`. */
const playgroundPage: Builtin = {
  allow: GET,
  run: () => page('Playground · bedrock-action-groups', 'playground', '<div id="app"><noscript>The playground needs JavaScript.</noscript></div>'),
};

/** `GET /docs`: Swagger UI over `GET /openapi.json`. */
const docsPage: Builtin = {
  allow: GET,
  run: () => page('HTTP API reference', 'docs', '<div id="docs"><noscript>The API reference needs JavaScript; the document itself is at /openapi.json.</noscript></div>'),
};

/** What the page needs to know about the router besides its operations. */
function settingsOf(http: HttpHost) {
  const mcpPath = mcpPathOf(http.options);
  // Each agent-callable operation's MCP tool name (`Group_operation` where names clash), keyed `Group.operation`.
  const mcpTools = mcpPath ? Object.fromEntries(namedTools(http.registry.groups).map((t) => [`${t.op.group.name}.${t.op.name}`, t.name])) : {};
  return {
    authenticate: http.options.authenticate !== undefined,
    bedrockEndpoint: http.options.bedrockEndpoint === true,
    roleAttribute: http.roleAttribute,
    mcpPath: mcpPath ?? null,
    mcpTools,
  };
}

/** `GET /playground/operations.json`: every group and operation with its fields' JSON Schemas, and the router's settings. */
const operations: Builtin = {
  allow: GET,
  run: (_ex, http) => {
    const catalog = cachedDocument(http, 'playground/operations', 'The playground catalog', () => ({ ...settingsOf(http), ...toPlaygroundCatalog(http.registry.mounted) }));
    return jsonReply(200, catalog, NO_STORE);
  },
};

const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
type AssetsModule = typeof import('../../playground/assets.generated.js');
type AssetName = keyof AssetsModule['assets'];

declare const __PLAYGROUND_ASSETS__: string | undefined;
// The generated module as runtimeImport (which resolves from its own file) reaches it: from source,
// src/util/ → src/playground/; built, the chunk holding it sits beside dist/playground-assets.mjs (tsup.config.ts).
const ASSETS_MODULE = typeof __PLAYGROUND_ASSETS__ === 'string' ? __PLAYGROUND_ASSETS__ : '../playground/assets.generated.js';

/** `GET /playground/assets/<file>`: the pages' scripts and styles, loaded (a few MB) only when first asked for. */
function asset(name: AssetName): Builtin {
  return {
    allow: GET,
    run: async () => {
      const { assets } = await runtimeImport<AssetsModule>(ASSETS_MODULE);
      const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] as string;
      return { status: 200, headers: { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' }, body: assets[name] };
    },
  };
}

const ASSETS: ReadonlyMap<string, Builtin> = new Map((['playground.js', 'playground.css', 'docs.js', 'docs.css'] as const).map((name) => [`/playground/assets/${name}`, asset(name)]));

/**
 * `POST /agentcore`: `{ event, clientContext: { custom } }` — an AgentCore Gateway Lambda-target call as the
 * Lambda receives it (`custom.bedrockAgentCoreToolName` names the tool) — in, the tool's reply out. Like
 * `POST /bedrock`: the caller comes from `agentCoreCaller` (which reads `custom`), except that when
 * `authenticate` is set the request must be identified and that identity is the caller.
 */
const agentCore: Builtin = {
  allow: POST,
  run: async (ex, http, identify) => {
    const caller: Caller | undefined = http.options.authenticate ? await identify() : undefined;
    const request = await readJsonObject(ex, http.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'POST /agentcore');
    const custom = isRecord(request.clientContext) ? request.clientContext.custom : undefined;
    if (!isRecord(custom) || typeof custom.bedrockAgentCoreToolName !== 'string' || !('event' in request)) {
      throw new ActionError(400, 'POST /agentcore takes { "event": <the tool arguments>, "clientContext": { "custom": { "bedrockAgentCoreToolName": "<target>___<tool>" } } }.', {
        code: 'BAD_REQUEST',
      });
    }
    const reply = await http.agentCore(request.event, custom, caller);
    return jsonReply(200, JSON.stringify(reply));
  },
};

/** The playground's routes (served only with `playground: true`). */
export function playgroundBuiltinAt(path: string): Builtin | undefined {
  if (path === '/playground') return playgroundPage;
  if (path === '/docs') return docsPage;
  if (path === '/playground/operations.json') return operations;
  if (path === '/agentcore') return agentCore;
  return ASSETS.get(path);
}
