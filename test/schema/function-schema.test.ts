import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { actionGroup } from '../../src/index.js';
import { toFunctionSchema } from '../../src/schema/index.js';
import { pathsOfKey, ticketsGroup, valuesOfKey } from './groups.js';

describe('toFunctionSchema', () => {
  const schema = toFunctionSchema(ticketsGroup());

  test('one function per operation, in order, named and described like the operation', () => {
    expect(schema.functions.map((f) => [f.name, f.description])).toEqual([
      ['getTicket', 'Get one ticket by its id. Use when the customer names a ticket number.'],
      ['listTickets', 'List the tickets of a customer, newest first. Use to find a ticket when the customer gives no number.'],
      ['addNote', 'Add a note to a ticket. Use after talking to the customer.'],
      ['closeTicket', 'Close a ticket for good. Use only when the customer confirms the problem is solved.'],
      ['setPriority', 'Change the priority of a ticket.'],
    ]);
  });

  test('scalar parameters carry their type, requiredness and constraints in words', () => {
    expect(schema.functions[0]).toEqual({
      name: 'getTicket',
      description: 'Get one ticket by its id. Use when the customer names a ticket number.',
      parameters: {
        ticketId: { type: 'string', description: 'HubSpot ticket id', required: true },
        includeNotes: { type: 'boolean', description: 'Include the notes. Default: false.', required: false },
        noteLimit: { type: 'integer', description: 'Most notes to include. Between 1 and 50.', required: false },
      },
    });
    expect(schema.functions[1]!.parameters).toEqual({
      email: { type: 'string', description: 'Customer email. Format: email.', required: true },
      status: { type: 'string', description: 'Only tickets in this stage. Allowed values: "open", "waiting", "closed".', required: false },
      stages: { type: 'array', description: 'Only tickets in these stages. Each item: allowed values: "open", "waiting", "closed".', required: false },
      limit: { type: 'integer', description: 'Page size. Default: 20. Between 1 and 100.', required: false },
    });
  });

  test('arrays of objects are arrays whose description lists the item fields', () => {
    expect(schema.functions[2]!.parameters).toEqual({
      ticketId: { type: 'string', description: 'HubSpot ticket id', required: true },
      text: { type: 'string', description: 'Note text. At least 1 character. At most 2000 characters.', required: true },
      visibility: { type: 'string', description: 'Who can read the note. Allowed values: "internal", "public". Default: "internal".', required: false },
      attachments: {
        type: 'array',
        description: 'Files to attach. Each item is an object with the fields name (string, required): File name; url (string, required): Where the file is. Format: uri; kind (string, required): File type. Allowed values: "image", "pdf".',
        required: false,
      },
      tags: { type: 'array', description: 'Free tags. Default: [].', required: false },
    });
  });

  test('requireConfirmation is ENABLED exactly where asked, absent elsewhere', () => {
    expect(schema.functions.map((f) => f.requireConfirmation)).toEqual([undefined, undefined, undefined, 'ENABLED', 'ENABLED']);
    expect(Object.keys(schema.functions[0]!)).toEqual(['name', 'description', 'parameters']);
  });

  test('only the five Bedrock parameter types, no enum, no nested schema', () => {
    const types = schema.functions.flatMap((f) => Object.values(f.parameters).map((p) => p.type));
    expect(new Set(types)).toEqual(new Set(['string', 'integer', 'boolean', 'array']));
    expect(pathsOfKey(schema, 'enum')).toEqual([]);
    expect(pathsOfKey(schema, 'items')).toEqual([]);
    expect(pathsOfKey(schema, 'properties')).toEqual([]);
    expect(valuesOfKey(schema, 'required').every((r) => typeof r === 'boolean')).toBe(true);
  });

  test('number literals stay integers, exclusive bounds are said, an undescribed field has no description', () => {
    const group = actionGroup({ name: 'Rates', description: 'Rates' }).operation({
      name: 'rate', method: 'GET', path: '/rate', description: 'Rate an answer.',
      input: z.object({
        stars: z.literal([1, 2, 3]).optional().describe('Stars'),
        mode: z.literal('strict').describe('Mode'),
        factor: z.number().gt(0).lt(1).describe('Weight'),
        note: z.string().regex(/^[A-Z]/),
      }),
      handler: () => ({}),
    });
    expect(toFunctionSchema(group).functions[0]!.parameters).toEqual({
      stars: { type: 'integer', description: 'Stars. Allowed values: 1, 2, 3.', required: false },
      mode: { type: 'string', description: 'Mode. Allowed values: "strict".', required: true },
      factor: { type: 'number', description: 'Weight. Greater than 0. Less than 1.', required: true },
      note: { type: 'string', description: 'Must match the regular expression ^[A-Z]', required: true },
    });
  });
});
