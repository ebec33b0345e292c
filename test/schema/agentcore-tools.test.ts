import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { actionGroup } from '../../src/index.js';
import { toAgentCoreTools } from '../../src/schema/index.js';
import { ticketsGroup } from './groups.js';

// The keywords of an AgentCore Gateway `SchemaDefinition`.
const ALLOWED = new Set(['type', 'description', 'properties', 'required', 'items']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

/** Every keyword outside the gateway's schema subset, with where it sits. */
function foreignKeywords(schema: Record<string, any>, at = '$'): string[] {
  const own = Object.keys(schema).filter((k) => !ALLOWED.has(k)).map((k) => `${at}.${k}`);
  if (!TYPES.has(schema.type)) own.push(`${at}.type=${String(schema.type)}`);
  const props = Object.entries(schema.properties ?? {}).flatMap(([k, v]) => foreignKeywords(v as Record<string, any>, `${at}.properties.${k}`));
  const items = schema.items ? foreignKeywords(schema.items, `${at}.items`) : [];
  return [...own, ...props, ...items];
}

describe('toAgentCoreTools', () => {
  const tools = toAgentCoreTools(ticketsGroup());

  test('one tool per operation with the operation name and description', () => {
    expect(tools.map((t) => t.name)).toEqual(['getTicket', 'listTickets', 'addNote', 'closeTicket', 'setPriority']);
    expect(tools[3]!.description).toBe('Close a ticket for good. Use only when the customer confirms the problem is solved.');
  });

  test('inputs are native JSON types with constraints in words; arrays of objects keep their item schema', () => {
    expect(tools[2]!.inputSchema).toEqual({
      type: 'object',
      properties: {
        ticketId: { type: 'string', description: 'HubSpot ticket id' },
        text: { type: 'string', description: 'Note text. At least 1 character. At most 2000 characters.' },
        visibility: { type: 'string', description: 'Who can read the note. Allowed values: "internal", "public". Default: "internal".' },
        attachments: {
          type: 'array',
          description: 'Files to attach',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string', description: 'File name' },
              url: { type: 'string', description: 'Where the file is. Format: uri.' },
              kind: { type: 'string', description: 'File type. Allowed values: "image", "pdf".' },
            },
            required: ['name', 'url', 'kind'],
          },
        },
        tags: { type: 'array', description: 'Free tags. Default: [].', items: { type: 'string' } },
      },
      required: ['ticketId', 'text'],
    });
  });

  test('object outputs become outputSchema (nullable and dates in words); array and undeclared outputs have none', () => {
    expect(tools[0]!.outputSchema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', description: 'HubSpot ticket id' },
        subject: { type: 'string', description: 'Ticket subject' },
        status: { type: 'string', description: 'Pipeline stage. Allowed values: "open", "waiting", "closed".' },
        priority: { type: 'string', description: 'Priority, null when unset. Allowed values: "LOW", "MEDIUM", "HIGH". May be null.' },
        createdAt: { type: 'string', description: 'When the ticket was opened. Format: date-time.' },
        notes: {
          type: 'array',
          description: 'Notes, newest first',
          items: {
            type: 'object',
            properties: {
              author: { type: 'string', description: 'Who wrote the note' },
              visibility: { type: 'string', description: 'Notes are always internal. Allowed values: "internal".' },
            },
            required: ['author', 'visibility'],
          },
        },
      },
      required: ['id', 'subject', 'status', 'priority', 'createdAt', 'notes'],
    });
    expect(tools[1]).not.toHaveProperty('outputSchema');
    expect(tools[3]).not.toHaveProperty('outputSchema');
  });

  test('every schema uses only type, description, properties, required and items', () => {
    for (const tool of tools) {
      expect(Object.keys(tool).filter((k) => !['name', 'description', 'inputSchema', 'outputSchema'].includes(k))).toEqual([]);
      expect(foreignKeywords(tool.inputSchema)).toEqual([]);
      if (tool.outputSchema) expect(foreignKeywords(tool.outputSchema)).toEqual([]);
    }
  });

  test('unions in outputs collapse: objects merge (required only when every branch requires), mixed scalars name the types', () => {
    const group = actionGroup({ name: 'Search', description: 'Search' }).operation({
      name: 'find', method: 'GET', path: '/find', description: 'Find a customer or a company.',
      input: z.object({ q: z.string().describe('Query') }),
      output: z.object({
        hit: z.union([
          z.object({ kind: z.literal('person'), email: z.string() }),
          z.object({ kind: z.literal('company'), domain: z.string() }),
        ]).describe('The best hit'),
        score: z.union([z.number(), z.string()]).describe('Score'),
        extra: z.any().describe('Anything else'),
        both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number().optional() })).describe('Both parts'),
      }),
      handler: () => ({ hit: { kind: 'person' as const, email: 'a@b.c' }, score: 1, extra: null, both: { a: 'x' } }),
    });
    const [tool] = toAgentCoreTools(group);
    expect(tool!.outputSchema!.properties).toEqual({
      hit: {
        type: 'object',
        description: 'The best hit',
        properties: {
          kind: { type: 'string', description: 'Allowed values: "person", "company".' },
          email: { type: 'string' },
          domain: { type: 'string' },
        },
        required: ['kind'],
      },
      score: { type: 'number', description: 'Score. One of: number, string.' },
      extra: { type: 'string', description: 'Anything else. Any JSON value.' },
      both: { type: 'object', description: 'Both parts', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] },
    });
    expect(foreignKeywords(tool!.outputSchema!)).toEqual([]);
  });
});
