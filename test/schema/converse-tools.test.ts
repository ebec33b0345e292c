import { describe, expect, it } from 'vitest';
import { toConverseTools } from '../../src/agents/mcp.js';
import { toAgentCoreTools } from '../../src/schema/index.js';
import { createRouter } from '../../src/index.js';
import { mcpGroups } from '../support/mcp-groups.js';
import { ticketsGroup } from './groups.js';

describe('toConverseTools', () => {
  it('lists a router\'s agent-callable operations as toolSpecs, clashing names prefixed by their group', () => {
    const router = createRouter();
    for (const group of mcpGroups()) router.add(group);
    const tools = toConverseTools(router);
    expect(tools.map((t) => t.toolSpec.name)).toEqual(['getOrder', 'cancelOrder', 'Orders_status', 'addCredit', 'setLimit', 'Billing_status']);
    expect(tools[3]).toEqual({
      toolSpec: {
        name: 'addCredit',
        description: 'Give a customer credit. Use after a failed delivery.',
        inputSchema: {
          json: {
            type: 'object',
            properties: {
              customerId: { type: 'string', description: 'Customer id' },
              amount: { type: 'number', description: 'Euros', exclusiveMinimum: 0 },
              reason: { type: 'string', description: 'Why', enum: ['late', 'damaged'] },
            },
            required: ['customerId', 'amount', 'reason'],
          },
        },
      },
    });
    expect(tools[2]!.toolSpec.inputSchema.json).toEqual({ type: 'object', properties: {} });
  });

  it('takes one group too: the same names and fields as its AgentCore tools, in standard JSON Schema', () => {
    const group = ticketsGroup();
    const tools = toConverseTools(group);
    const agentCore = toAgentCoreTools(group);
    expect(tools.map((t) => t.toolSpec.name)).toEqual(agentCore.map((t) => t.name));
    for (const [i, tool] of tools.entries()) {
      expect(Object.keys(tool.toolSpec.inputSchema.json.properties as object)).toEqual(Object.keys(agentCore[i]!.inputSchema.properties as object));
      expect(JSON.stringify(tool)).not.toMatch(/"nullable"|"exclusiveMinimum":true|9007199254740991/);
    }
  });
});
