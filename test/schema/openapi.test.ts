import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { actionGroup } from '../../src/index.js';
import { toOpenApi } from '../../src/schema/index.js';
import { ordersGroup } from '../support/orders.js';
import { pathsOfKey, ticketsGroup, valuesOfKey } from './groups.js';

type Json = Record<string, any>;

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

async function validated(doc: unknown): Promise<Json> {
  // swagger-parser dereferences in place, so it gets a copy.
  await SwaggerParser.validate(structuredClone(doc) as never);
  return doc as Json;
}

describe('toOpenApi', () => {
  const doc = toOpenApi(ticketsGroup()) as Json;

  test('is a valid OpenAPI 3.0.0 document with the group as info', async () => {
    await validated(doc);
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info).toEqual({ title: 'Tickets', version: '1.0.0', description: 'Read and update support tickets in HubSpot.' });
    expect(Object.keys(doc.paths)).toEqual(['/tickets/{ticketId}', '/tickets', '/tickets/{ticketId}/notes']);
    expect(Object.keys(doc.paths['/tickets/{ticketId}'])).toEqual(['get', 'delete', 'patch']);
    expect(toOpenApi(ticketsGroup(), { title: 'Support tickets', version: '2.3.0' }).info).toEqual({ title: 'Support tickets', version: '2.3.0', description: 'Read and update support tickets in HubSpot.' });
  });

  test('GET: path and query parameters, each typed and described, no request body', () => {
    const get = doc.paths['/tickets/{ticketId}'].get;
    expect(get.operationId).toBe('getTicket');
    expect(get.summary).toBe('Get one ticket by its id');
    expect(get.description).toBe('Get one ticket by its id. Use when the customer names a ticket number.');
    expect(get.parameters).toEqual([
      { name: 'ticketId', in: 'path', description: 'HubSpot ticket id', required: true, schema: { type: 'string' } },
      { name: 'includeNotes', in: 'query', description: 'Include the notes', required: false, schema: { type: 'boolean', default: false } },
      { name: 'noteLimit', in: 'query', description: 'Most notes to include', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 } },
    ]);
    expect(get).not.toHaveProperty('requestBody');
    expect(get).not.toHaveProperty('x-requireConfirmation');
  });

  test('query enums become the scalar type with the allowed values in the description; given summaries are kept', () => {
    const list = doc.paths['/tickets'].get;
    expect(list.summary).toBe('List tickets');
    expect(list.parameters).toEqual([
      { name: 'email', in: 'query', description: 'Customer email', required: true, schema: { type: 'string', format: 'email' } },
      { name: 'status', in: 'query', description: 'Only tickets in this stage. Allowed values: "open", "waiting", "closed".', required: false, schema: { type: 'string' } },
      {
        name: 'stages',
        in: 'query',
        description: 'Only tickets in these stages',
        required: false,
        schema: { type: 'array', items: { type: 'string', description: 'Allowed values: "open", "waiting", "closed".' } },
      },
      { name: 'limit', in: 'query', description: 'Page size', required: false, schema: { type: 'integer', default: 20, minimum: 1, maximum: 100 } },
    ]);
  });

  test('POST: non-path fields form a JSON request body with a required list, arrays of objects included', () => {
    const post = doc.paths['/tickets/{ticketId}/notes'].post;
    expect(post.parameters).toEqual([{ name: 'ticketId', in: 'path', description: 'HubSpot ticket id', required: true, schema: { type: 'string' } }]);
    expect(post.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              text: { type: 'string', description: 'Note text', minLength: 1, maxLength: 2000 },
              visibility: { type: 'string', description: 'Who can read the note. Allowed values: "internal", "public".', default: 'internal' },
              attachments: {
                type: 'array',
                description: 'Files to attach',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string', description: 'File name' },
                    url: { type: 'string', format: 'uri', description: 'Where the file is' },
                    kind: { type: 'string', description: 'File type. Allowed values: "image", "pdf".' },
                  },
                  required: ['name', 'url', 'kind'],
                },
              },
              tags: { type: 'array', description: 'Free tags', default: [], items: { type: 'string' } },
            },
            required: ['text'],
          },
        },
      },
    });
  });

  test('DELETE keeps its fields as query parameters; PATCH sends a body; both ask for confirmation', () => {
    const del = doc.paths['/tickets/{ticketId}'].delete;
    expect(del).not.toHaveProperty('requestBody');
    expect(del.parameters[1]).toEqual({ name: 'reason', in: 'query', description: 'Why the ticket is closed. Allowed values: "solved", "duplicate", "spam".', required: true, schema: { type: 'string' } });
    expect(del['x-requireConfirmation']).toBe('ENABLED');
    const patch = doc.paths['/tickets/{ticketId}'].patch;
    expect(patch.requestBody.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { priority: { type: 'string', description: 'New priority. Allowed values: "LOW", "MEDIUM", "HIGH".' } },
      required: ['priority'],
    });
    expect(patch['x-requireConfirmation']).toBe('ENABLED');
  });

  test('a body of optional fields only is not required', () => {
    const group = actionGroup({ name: 'Prefs', description: 'Preferences' }).operation({
      name: 'setPrefs', method: 'PUT', path: '/prefs', description: 'Set preferences.',
      input: z.object({ theme: z.string().optional().describe('Theme name') }),
      handler: () => ({}),
    });
    expect((toOpenApi(group) as Json).paths['/prefs'].put.requestBody).toEqual({
      required: false,
      content: { 'application/json': { schema: { type: 'object', properties: { theme: { type: 'string', description: 'Theme name' } } } } },
    });
  });

  test('200 documents the output (enums described, nullable, dates as date-time); without output a generic object', () => {
    const ok = doc.paths['/tickets/{ticketId}'].get.responses['200'];
    expect(ok.description).toBe('getTicket succeeded.');
    expect(ok.content['application/json'].schema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', description: 'HubSpot ticket id' },
        subject: { type: 'string', description: 'Ticket subject' },
        status: { type: 'string', description: 'Pipeline stage. Allowed values: "open", "waiting", "closed".' },
        priority: { type: 'string', nullable: true, description: 'Priority, null when unset. Allowed values: "LOW", "MEDIUM", "HIGH".' },
        createdAt: { type: 'string', format: 'date-time', description: 'When the ticket was opened' },
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
    expect(doc.paths['/tickets'].get.responses['200'].content['application/json'].schema.type).toBe('array');
    expect(doc.paths['/tickets/{ticketId}'].delete.responses['200']).toEqual({
      description: 'closeTicket succeeded.',
      content: { 'application/json': { schema: { type: 'object', description: 'The result of closeTicket.' } } },
    });
  });

  test('every operation documents 400, 403, 404 and 500 with the error body the router sends', () => {
    for (const item of Object.values(doc.paths) as Json[]) {
      for (const op of Object.values(item) as Json[]) {
        expect(Object.keys(op.responses)).toEqual(['200', '400', '403', '404', '500']);
        for (const status of ['400', '403', '404', '500']) {
          expect(op.responses[status].content['application/json'].schema).toEqual(ERROR_SCHEMA);
          expect(op.responses[status].description).toMatch(/\w/);
        }
      }
    }
  });

  test('Bedrock subset: no enum, const, $schema, type arrays, additionalProperties: false or ±2^53 bounds anywhere', () => {
    for (const key of ['enum', 'const', '$schema', '$ref', '$defs', 'definitions']) expect(pathsOfKey(doc, key)).toEqual([]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('9007199254740991');
    expect(text).not.toContain('"additionalProperties":false');
    const types = valuesOfKey(doc, 'type');
    expect(types.length).toBeGreaterThan(50);
    expect(types.filter((t) => typeof t !== 'string')).toEqual([]);
  });

  test('integer bounds from .int() are dropped; real bounds stay; strict objects and shared (id) schemas are inlined', async () => {
    const Money = z.object({ amount: z.number().int().describe('Cents'), currency: z.enum(['EUR', 'USD']).describe('Currency') }).meta({ id: 'Money' });
    const group = actionGroup({ name: 'Billing', description: 'Invoices' }).operation({
      name: 'getInvoice', method: 'GET', path: '/invoices/{invoiceId}', description: 'Get an invoice.',
      input: z.object({ invoiceId: z.number().int().describe('Invoice number'), page: z.number().int().nonnegative().default(0).describe('Page') }),
      output: z.strictObject({ total: Money, tax: Money, lines: z.array(z.strictObject({ label: z.string().describe('Line'), price: Money })).describe('Lines') }),
      handler: () => ({ total: { amount: 1, currency: 'EUR' as const }, tax: { amount: 0, currency: 'EUR' as const }, lines: [] }),
    });
    const billing = await validated(toOpenApi(group));
    const get = billing.paths['/invoices/{invoiceId}'].get;
    expect(get.parameters.map((p: Json) => p.schema)).toEqual([{ type: 'integer' }, { type: 'integer', default: 0, minimum: 0 }]);
    const money = { type: 'object', properties: { amount: { type: 'integer', description: 'Cents' }, currency: { type: 'string', description: 'Currency. Allowed values: "EUR", "USD".' } }, required: ['amount', 'currency'] };
    const schema = get.responses['200'].content['application/json'].schema;
    expect(schema.properties.total).toEqual(money);
    expect(schema.properties.tax).toEqual(money);
    expect(schema.properties.lines.items.properties.price).toEqual(money);
    expect(pathsOfKey(billing, 'additionalProperties')).toEqual([]);
    expect(pathsOfKey(billing, 'enum')).toEqual([]);
  });

  test('summaries are the first sentence, cut at a word when long', () => {
    const long = `${'Looks up every shipment of the customer across all carriers and warehouses '.repeat(3).trim()}. Then more.`;
    const group = actionGroup({ name: 'Ship', description: 'Shipping' }).operation({
      name: 'track', method: 'GET', path: '/track', description: long, input: z.object({}), handler: () => ({}),
    });
    const summary = (toOpenApi(group) as Json).paths['/track'].get.summary as string;
    expect(summary.length).toBeLessThanOrEqual(120);
    expect(summary.endsWith('…')).toBe(true);
    expect(long.startsWith(summary.slice(0, -1))).toBe(true);
    expect(summary.slice(0, -1)).not.toMatch(/\s$/);
  });

  test('an operation without parameters has no parameters key', async () => {
    const group = actionGroup({ name: 'Clock', description: 'Time' }).operation({
      name: 'now', method: 'GET', path: '/now', description: 'The current time.', input: z.object({}), handler: () => ({}),
    });
    const now = (await validated(toOpenApi(group))).paths['/now'].get;
    expect(now).not.toHaveProperty('parameters');
    expect(now).not.toHaveProperty('requestBody');
  });

  test('the orders fixture shared with the door tests is valid too', async () => {
    const orders = await validated(toOpenApi(ordersGroup()));
    expect(pathsOfKey(orders, 'enum')).toEqual([]);
    expect(orders.paths['/orders/{orderId}/items'].post.requestBody.content['application/json'].schema.properties.items.items).toEqual({
      type: 'object',
      properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 0, exclusiveMinimum: true } },
      required: ['sku', 'qty'],
    });
  });

  test('two operations on one method and path cannot share a document', () => {
    const twin = { operations: [...ticketsGroup().operations, { ...ticketsGroup().get('getTicket')!, name: 'getTicketAgain' }], name: 'Tickets', description: 'x' };
    expect(() => toOpenApi(twin as never)).toThrow('Operation "getTicketAgain" in group "Tickets": GET /tickets/{ticketId} is already used by operation "getTicket"; give each operation its own method and path.');
  });

  test('a recursive output is refused with the operation named', () => {
    const Node: z.ZodType<{ name: string; children: unknown[] }> = z.object({ name: z.string(), get children() { return z.array(Node); } });
    const group = actionGroup({ name: 'Tree', description: 'Trees' }).operation({
      name: 'getTree', method: 'GET', path: '/tree', description: 'Get the tree.', input: z.object({}), output: Node, handler: () => ({ name: 'root', children: [] }),
    });
    expect(() => toOpenApi(group)).toThrow(/^Operation "getTree" in group "Tree", output: the schema cannot be written as OpenAPI 3.0 \(Cycle detected/);
  });
});
