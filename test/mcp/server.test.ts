import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { toMcpServer } from '../../src/agents/mcp.js';
import { actionGroup, createRouter } from '../../src/index.js';
import { memoryLogger } from '../support/logger.js';
import { mcpGroups } from '../support/mcp-groups.js';

// toMcpServer on the SDK's in-memory transport pair: the options, and the tool names it refuses to make.
async function connected(router: ReturnType<typeof createRouter>, options?: Parameters<typeof toMcpServer>[1]) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await toMcpServer(router, options).connect(serverSide);
  const client = new Client({ name: 'in-memory', version: '1' });
  await client.connect(clientSide);
  return client;
}

function router(options: Parameters<typeof createRouter>[0] = {}) {
  const r = createRouter({ logger: memoryLogger().logger, ...options });
  for (const group of mcpGroups()) r.add(group);
  return r;
}

describe('toMcpServer', () => {
  it('runs every call as the given caller, and names itself as told', async () => {
    const client = await connected(router(), { caller: { role: 'Supervisor', userId: 'local-admin' }, name: 'orders', version: '9.9.9' });
    expect(client.getServerVersion()).toMatchObject({ name: 'orders', version: '9.9.9' });
    expect((await client.callTool({ name: 'cancelOrder', arguments: { orderId: 'A-1' } })).structuredContent).toEqual({ orderId: 'A-1', cancelled: true });
    expect((await client.callTool({ name: 'getOrder', arguments: { orderId: 'A-1' } })).structuredContent).toMatchObject({ caller: 'local-admin' });
    await client.close();
  });

  it('defaults to the router version and sizes replies as the agent doors do (maxResponseBytes)', async () => {
    const big = actionGroup({ name: 'Big', description: 'Large replies' }).operation({
      name: 'dump',
      method: 'GET',
      path: '/dump',
      description: 'Everything at once.',
      input: z.object({}),
      handler: () => ({ rows: Array.from({ length: 500 }, (_, i) => `row ${i}`) }),
    });
    const client = await connected(createRouter({ version: '2.0.0-test', maxResponseBytes: 1000, logger: memoryLogger().logger }).add(big));
    expect(client.getServerVersion()?.version).toBe('2.0.0-test');
    const result = await client.callTool({ name: 'dump', arguments: {} });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/^The reply of dump is \d+ bytes, over the 1000-byte limit an agent accepts\. Narrow the request/) }] });
    await client.close();
  });

  it('refuses a caller that is not { role?, userId?, email? } of strings', () => {
    expect(() => toMcpServer(router(), { caller: { role: 7 } as never })).toThrow('toMcpServer: "caller.role" must be a string, got number');
    expect(() => toMcpServer(router(), { caller: { admin: 'yes' } as never })).toThrow('toMcpServer: "caller" has an unknown key "admin"; use role, userId, email');
  });

  it('throws naming the operation when a tool name would be over 64 characters or taken twice', () => {
    const longName = 'x'.repeat(40);
    const a = actionGroup({ name: `Group${longName}`, description: 'A' }).operation({ name: `op${longName}`, method: 'GET', path: '/a', description: 'A.', input: z.object({}), handler: () => 1 });
    const b = actionGroup({ name: 'Other', description: 'B' }).operation({ name: `op${longName}`, method: 'GET', path: '/b', description: 'B.', input: z.object({}), handler: () => 1 });
    expect(() => toMcpServer(createRouter().add(a).add(b))).toThrow(`Operation "op${longName}" in group "Group${longName}": its tool name "Group${longName}_op${longName}" must be 1 to 64 letters, digits, "_" or "-"`);
    const c = actionGroup({ name: 'A', description: 'A' }).operation({ name: 'B_run', method: 'GET', path: '/c', description: 'C.', input: z.object({}), handler: () => 1 }).operation({ name: 'run', method: 'GET', path: '/d', description: 'D.', input: z.object({}), handler: () => 1 });
    const d = actionGroup({ name: 'B', description: 'B' }).operation({ name: 'run', method: 'GET', path: '/e', description: 'E.', input: z.object({}), handler: () => 1 });
    const e = actionGroup({ name: 'E', description: 'E' }).operation({ name: 'B_run', method: 'GET', path: '/f', description: 'F.', input: z.object({}), handler: () => 1 });
    expect(() => toMcpServer(createRouter().add(c).add(d))).toThrow('Operation "run" in group "B": its tool name "B_run" is also the tool name of Operation "B_run" in group "A"; rename one.');
    expect(() => toMcpServer(createRouter().add(c).add(e))).not.toThrow();
  });
});
