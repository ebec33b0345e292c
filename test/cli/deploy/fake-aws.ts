// A fake of the Bedrock Agents and AgentCore control planes at the HTTP wire (REST-JSON, the shapes of
// the AWS API reference), served to the real SDK clients two ways: as msw handlers (in-process runs)
// and as a node http server on 127.0.0.1 (a spawned CLI, reached through AWS_ENDPOINT_URL_*).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const AGENT_ID = 'AGENT12345';
export const GATEWAY_ID = 'support-gw-a1b2c3d4e5';
export const LAMBDA_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:support-tools`;
/** The SDK's default endpoints for the region; msw intercepts them. */
export const AGENT_ORIGIN = `https://bedrock-agent.${REGION}.amazonaws.com`;
export const AGENTCORE_ORIGIN = `https://bedrock-agentcore-control.${REGION}.amazonaws.com`;

/** One request the fake received, named by the API action it is. */
export interface Received {
  action: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

interface Reply {
  status: number;
  body: unknown;
  errorType?: string;
}

interface Listed {
  id: string;
  name: string;
}

const NOW = '2026-12-01T10:00:00Z';

/** Actions by method and path; the first group of each pattern is the agent or gateway id. */
const ROUTES: { method: string; pattern: RegExp; action: string }[] = [
  { method: 'POST', pattern: /^\/agents\/([^/]+)\/agentversions\/([^/]+)\/actiongroups\/$/, action: 'ListAgentActionGroups' },
  { method: 'PUT', pattern: /^\/agents\/([^/]+)\/agentversions\/([^/]+)\/actiongroups\/$/, action: 'CreateAgentActionGroup' },
  { method: 'PUT', pattern: /^\/agents\/([^/]+)\/agentversions\/([^/]+)\/actiongroups\/([^/]+)\/$/, action: 'UpdateAgentActionGroup' },
  { method: 'POST', pattern: /^\/agents\/([^/]+)\/$/, action: 'PrepareAgent' },
  { method: 'GET', pattern: /^\/agents\/([^/]+)\/$/, action: 'GetAgent' },
  { method: 'GET', pattern: /^\/gateways\/([^/]+)\/targets\/$/, action: 'ListGatewayTargets' },
  { method: 'POST', pattern: /^\/gateways\/([^/]+)\/targets\/$/, action: 'CreateGatewayTarget' },
  { method: 'PUT', pattern: /^\/gateways\/([^/]+)\/targets\/([^/]+)\/$/, action: 'UpdateGatewayTarget' },
];

/** What the fake holds and how it misbehaves; every field may be set by a test. */
export interface FakeAws {
  /** Existing action groups of {@link AGENT_ID} (version DRAFT), in list order. */
  actionGroups: Listed[];
  /** Existing targets of {@link GATEWAY_ID}, in list order. */
  targets: Listed[];
  /** Items per list page. */
  pageSize: number;
  /** What GetAgent answers after PrepareAgent, one status per call; the last one repeats. */
  statuses: string[];
  failureReasons: string[];
  recommendedActions: string[];
  /** Actions answered 403 AccessDeniedException. */
  denied: Set<string>;
  /** Actions answered 400 ValidationException with this message. */
  invalid: Map<string, string>;
  /** Every request, in order. */
  received: Received[];
  handle(method: string, path: string, query: Record<string, string>, body: unknown): Reply;
}

function page(items: Listed[], size: number, token: string | undefined) {
  const start = token === undefined ? 0 : Number(token.replace('page-', '')) * size;
  const next = start + size < items.length ? `page-${start / size + 1}` : undefined;
  return { slice: items.slice(start, start + size), ...(next ? { nextToken: next } : {}) };
}

/** A fresh fake with agent {@link AGENT_ID} and gateway {@link GATEWAY_ID}, both empty. */
export function fakeAws(): FakeAws {
  let polls = 0;
  let created = 0;
  const fake: FakeAws = {
    actionGroups: [],
    targets: [],
    pageSize: 2,
    statuses: ['PREPARED'],
    failureReasons: [],
    recommendedActions: [],
    denied: new Set(),
    invalid: new Map(),
    received: [],
    handle(method, path, query, body) {
      const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
      if (!route) return { status: 404, body: { message: `No route ${method} ${path}` }, errorType: 'UnknownOperationException' };
      const [, owner, second, third] = route.pattern.exec(path) as RegExpExecArray;
      const { action } = route;
      fake.received.push({ action, method, path, query, body });
      const input = (body ?? {}) as Record<string, unknown>;
      const onGateway = path.startsWith('/gateways/');
      if (fake.denied.has(action)) {
        const service = onGateway ? 'bedrock-agentcore' : 'bedrock';
        const arn = onGateway ? `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:gateway/${owner}` : `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/${owner}`;
        return { status: 403, errorType: 'AccessDeniedException', body: { message: `User: arn:aws:iam::${ACCOUNT}:user/dev is not authorized to perform: ${service}:${action} on resource: ${arn} because no identity-based policy allows the ${service}:${action} action` } };
      }
      const invalid = fake.invalid.get(action);
      if (invalid !== undefined) return { status: 400, errorType: 'ValidationException', body: { message: invalid } };
      if (owner !== (onGateway ? GATEWAY_ID : AGENT_ID)) {
        return { status: 404, errorType: 'ResourceNotFoundException', body: { message: onGateway ? `Gateway not found: ${owner}` : `Could not find agent with id ${owner}` } };
      }
      switch (action) {
        case 'ListAgentActionGroups': {
          const { slice, nextToken } = page(fake.actionGroups, fake.pageSize, input.nextToken as string | undefined);
          return { status: 200, body: { actionGroupSummaries: slice.map((g) => ({ actionGroupId: g.id, actionGroupName: g.name, actionGroupState: 'ENABLED', updatedAt: NOW })), ...(nextToken ? { nextToken } : {}) } };
        }
        case 'CreateAgentActionGroup':
        case 'UpdateAgentActionGroup': {
          const actionGroupId = third ?? `NEWGROUP${String(++created).padStart(2, '0')}`;
          return { status: 200, body: { agentActionGroup: { ...input, agentId: owner, agentVersion: second, actionGroupId, createdAt: NOW, updatedAt: NOW } } };
        }
        case 'PrepareAgent':
          polls = 0;
          return { status: 202, body: { agentId: owner, agentStatus: 'PREPARING', agentVersion: 'DRAFT', preparedAt: NOW } };
        case 'GetAgent': {
          const agentStatus = fake.statuses[Math.min(polls++, fake.statuses.length - 1)];
          return {
            status: 200,
            body: {
              agent: {
                agentId: owner, agentName: 'support', agentArn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/${owner}`, agentVersion: 'DRAFT', agentStatus,
                idleSessionTTLInSeconds: 600, agentResourceRoleArn: `arn:aws:iam::${ACCOUNT}:role/AmazonBedrockExecutionRoleForAgents_support`, createdAt: NOW, updatedAt: NOW,
                ...(agentStatus === 'FAILED' ? { failureReasons: fake.failureReasons, recommendedActions: fake.recommendedActions } : {}),
              },
            },
          };
        }
        case 'ListGatewayTargets': {
          const { slice, nextToken } = page(fake.targets, fake.pageSize, query.nextToken);
          return { status: 200, body: { items: slice.map((t) => ({ targetId: t.id, name: t.name, status: 'READY', createdAt: NOW, updatedAt: NOW })), ...(nextToken ? { nextToken } : {}) } };
        }
        default: {
          const targetId = second ?? `NEWTARGET${++created}`;
          return { status: 202, body: { gatewayArn: `arn:aws:bedrock-agentcore:${REGION}:${ACCOUNT}:gateway/${owner}`, targetId, createdAt: NOW, updatedAt: NOW, status: action === 'CreateGatewayTarget' ? 'CREATING' : 'UPDATING', name: input.name, targetConfiguration: input.targetConfiguration, credentialProviderConfigurations: input.credentialProviderConfigurations } };
        }
      }
    },
  };
  return fake;
}

function headersOf(reply: Reply): Record<string, string> {
  return { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}) };
}

/** msw handlers serving the fake at the SDK's default endpoints of {@link REGION}. */
export function mswHandlers(fake: FakeAws) {
  return [AGENT_ORIGIN, AGENTCORE_ORIGIN].map((origin) =>
    http.all(`${origin}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      const reply = fake.handle(request.method, url.pathname, Object.fromEntries(url.searchParams), text ? JSON.parse(text) : undefined);
      return new HttpResponse(JSON.stringify(reply.body), { status: reply.status, headers: headersOf(reply) });
    }),
  );
}

/** The fake `current()` returns (read at each request) on a node http server on 127.0.0.1. */
export async function localServer(current: () => FakeAws): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const reply = current().handle(req.method ?? 'GET', url.pathname, Object.fromEntries(url.searchParams), text ? JSON.parse(text) : undefined);
      res.writeHead(reply.status, headersOf(reply)).end(JSON.stringify(reply.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * For an in-process suite: msw serving a fresh fake before each test (read it as `aws.fake`), and the
 * SDK's region and static credentials in the environment, as a user's shell would have them.
 */
export function interceptAws(): { readonly fake: FakeAws } {
  const server = setupServer();
  const state = { fake: fakeAws() };
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    state.fake = fakeAws();
    server.use(...mswHandlers(state.fake));
    vi.stubEnv('AWS_REGION', REGION);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  });
  afterEach(() => {
    server.resetHandlers();
    vi.unstubAllEnvs();
  });
  return state;
}
