import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { actionGroup, type ActionGroup, type Operation } from '../../src/index.js';
import { lintBedrock, type LintProblem } from '../../src/schema/index.js';
import { ticketsGroup } from './groups.js';

const described = (name: string) => z.string().describe(name);

/** A group with `count` well-formed GET operations named op1…opN. */
function groupOf(name: string, count: number, opName = (i: number) => `op${i}`): ActionGroup {
  let group = actionGroup({ name, description: 'Test group' });
  for (let i = 1; i <= count; i += 1) {
    group = group.operation({ name: opName(i), method: 'GET', path: `/op/${i}`, description: 'Does one thing.', input: z.object({ id: described('Item id') }), handler: () => ({}) });
  }
  return group;
}

/** A group object as another copy of the library (or hand-written code) may build it, bypassing definition-time checks. */
function duckGroup(name: string, operations: Operation[]): ActionGroup {
  return { name, description: 'Duck-typed', operations, get: (n: string) => operations.find((o) => o.name === n) } as unknown as ActionGroup;
}

const rules = (problems: LintProblem[]) => problems.map((p) => p.rule);

describe('lintBedrock', () => {
  test('a well-formed group has no problems', () => {
    expect(lintBedrock(ticketsGroup())).toEqual([]);
  });

  test('max-operations: 11 is fine, 12 is not', () => {
    expect(lintBedrock(groupOf('Eleven', 11))).toEqual([]);
    expect(lintBedrock(groupOf('Twelve', 12))).toEqual([
      { rule: 'max-operations', message: 'Group "Twelve" has 12 operations; Bedrock allows 11 APIs per agent by default. Split it into smaller groups (on separate agents) or remove 1.' },
    ]);
  });

  test('group-description-length: an action group description holds at most 200 characters', () => {
    expect(lintBedrock(actionGroup({ name: 'Tickets', description: 'd'.repeat(200) }))).toEqual([]);
    expect(lintBedrock(actionGroup({ name: 'Tickets', description: 'd'.repeat(230) }))).toEqual([
      { rule: 'group-description-length', message: 'Group "Tickets": the description is 230 characters; Bedrock allows 200 for an action group. Shorten it by 30 and move detail into the operation descriptions.' },
    ]);
  });

  test('name-pattern: group, operation and parameter names follow ([0-9a-zA-Z][_-]?){1,100}', () => {
    expect(lintBedrock(groupOf('Ticket-Ops_2', 1, () => 'get-ticket_v2'))).toEqual([]);
    expect(lintBedrock(groupOf('Ticket Ops', 1))).toEqual([
      { rule: 'name-pattern', message: 'Group name "Ticket Ops" does not match ([0-9a-zA-Z][_-]?){1,100}; use letters and digits, optionally separated by single "_" or "-", at most 100 groups.' },
    ]);
    expect(lintBedrock(groupOf('Tickets', 1, () => 'get.ticket'))).toEqual([
      { operation: 'get.ticket', rule: 'name-pattern', message: 'Operation name "get.ticket" does not match ([0-9a-zA-Z][_-]?){1,100}; use letters and digits, optionally separated by single "_" or "-", at most 100 groups.' },
    ]);
    expect(rules(lintBedrock(groupOf('Tickets', 1, () => '-lead')))).toEqual(['name-pattern']);
    expect(rules(lintBedrock(groupOf('x'.repeat(101), 0)))).toEqual(['name-pattern']);
    const param = actionGroup({ name: 'Tickets', description: 'd' }).operation({
      name: 'get', method: 'GET', path: '/t', description: 'Get.', input: z.object({ 'ticket.id': described('Ticket id') }), handler: () => ({}),
    });
    expect(lintBedrock(param)).toEqual([
      { operation: 'get', rule: 'name-pattern', message: 'Operation "get" in group "Tickets": parameter name "ticket.id" does not match ([0-9a-zA-Z][_-]?){1,100}; use letters and digits, optionally separated by single "_" or "-", at most 100 groups.' },
    ]);
  });

  test('double-underscore: "__" is refused in any name, with its own message', () => {
    expect(lintBedrock(groupOf('Ticket__Ops', 1, () => 'get__ticket'))).toEqual([
      { rule: 'double-underscore', message: 'Group name "Ticket__Ops" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".' },
      { operation: 'get__ticket', rule: 'double-underscore', message: 'Operation name "get__ticket" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".' },
    ]);
  });

  test('tool-name-length: <method>__<group>__<operation> fits in 64 characters', () => {
    // "GET__" + 30 + "__" + 27 = 64
    expect(lintBedrock(groupOf('G'.repeat(30), 1, () => 'o'.repeat(27)))).toEqual([]);
    const long = groupOf('G'.repeat(30), 1, () => 'o'.repeat(28));
    expect(lintBedrock(long)).toEqual([
      { operation: 'o'.repeat(28), rule: 'tool-name-length', message: `Operation "${'o'.repeat(28)}" in group "${'G'.repeat(30)}": Bedrock names the tool "GET__${'G'.repeat(30)}__${'o'.repeat(28)}" (65 characters, at most 64); shorten the group or operation name by 1.` },
    ]);
  });

  test('operation-description: an operation must say what it does', () => {
    const op = { ...ticketsGroup().get('closeTicket')!, description: '  ' };
    expect(lintBedrock(duckGroup('Tickets', [op]))).toEqual([
      { operation: 'closeTicket', rule: 'operation-description', message: 'Operation "closeTicket" in group "Tickets" has no description; say what it does and when the model should use it.' },
    ]);
  });

  test('function-description-length: at most 1200 characters', () => {
    const base = ticketsGroup().get('closeTicket')!;
    expect(lintBedrock(duckGroup('Tickets', [{ ...base, description: 'a'.repeat(1200) }]))).toEqual([]);
    expect(lintBedrock(duckGroup('Tickets', [{ ...base, description: 'a'.repeat(1250) }]))).toEqual([
      { operation: 'closeTicket', rule: 'function-description-length', message: 'Operation "closeTicket" in group "Tickets": the description is 1250 characters; Bedrock allows 1200 for a function. Shorten it by 50.' },
    ]);
  });

  test('parameter-description: every parameter, and every field of array items, is described', () => {
    const group = actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'addItems', method: 'POST', path: '/orders/{orderId}/items', description: 'Add lines.',
      input: z.object({
        orderId: z.string(),
        items: z.array(z.object({ sku: described('Product code'), qty: z.number().int() })).describe('Lines'),
      }),
      handler: () => ({}),
    });
    expect(lintBedrock(group)).toEqual([
      { operation: 'addItems', rule: 'parameter-description', message: 'Operation "addItems" in group "Orders": parameter "orderId" has no description; add .describe(\'…\') saying what the value is and its format.' },
      { operation: 'addItems', rule: 'parameter-description', message: 'Operation "addItems" in group "Orders": field "qty" of the items of "items" has no description; add .describe(\'…\') to it.' },
    ]);
  });

  test('parameter-description-length: counted with the constraints written into it, at most 500', () => {
    const make = (text: string) => actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'find', method: 'GET', path: '/orders', description: 'Find orders.',
      input: z.object({ state: z.enum(['open', 'closed']).describe(text) }),
      handler: () => ({}),
    });
    const suffix = '. Allowed values: "open", "closed".'.length;
    expect(lintBedrock(make('a'.repeat(500 - suffix)))).toEqual([]);
    expect(lintBedrock(make('a'.repeat(500 - suffix + 3)))).toEqual([
      { operation: 'find', rule: 'parameter-description-length', message: 'Operation "find" in group "Orders": the description of parameter "state" is 503 characters with its constraints; Bedrock allows 500. Shorten it by 3.' },
    ]);
  });

  test('function-object-parameter: a bare object cannot be a function parameter', () => {
    const base = ticketsGroup().get('addNote')!;
    const address = { name: 'address', location: 'body', kind: 'object', required: true, description: 'Postal address', schema: z.object({ city: described('City') }) };
    const op = { ...base, fields: [...base.fields, address] } as unknown as Operation;
    expect(lintBedrock(duckGroup('Tickets', [op]))).toEqual([
      { operation: 'addNote', rule: 'function-object-parameter', message: 'Operation "addNote" in group "Tickets": parameter "address" is an object, which function details cannot carry; flatten it into separate scalar fields.' },
    ]);
  });

  test('unique-operation-id: two operations cannot share a name', () => {
    const op = ticketsGroup().get('getTicket')!;
    expect(lintBedrock(duckGroup('Tickets', [op, { ...op, path: '/other/{ticketId}' }]))).toEqual([
      { operation: 'getTicket', rule: 'unique-operation-id', message: 'Group "Tickets" has more than one operation named "getTicket"; operationIds must be unique, so rename one.' },
    ]);
  });

  test('unique-route: two operations cannot share a method and path', () => {
    const op = ticketsGroup().get('getTicket')!;
    expect(lintBedrock(duckGroup('Tickets', [op, { ...op, name: 'getTicketV2' }]))).toEqual([
      { operation: 'getTicketV2', rule: 'unique-route', message: 'Operation "getTicketV2" in group "Tickets" uses GET /tickets/{ticketId}, already used by "getTicket"; give it its own path or method.' },
    ]);
  });

  test('schema-unrepresentable: a recursive output is reported instead of thrown', () => {
    const Node: z.ZodType<{ name: string; children: unknown[] }> = z.object({ name: z.string(), get children() { return z.array(Node); } });
    const group = actionGroup({ name: 'Tree', description: 'Trees' }).operation({
      name: 'getTree', method: 'GET', path: '/tree', description: 'Get the tree.', input: z.object({}), output: Node, handler: () => ({ name: 'r', children: [] }),
    });
    const problems = lintBedrock(group);
    expect(rules(problems)).toEqual(['schema-unrepresentable']);
    expect(problems[0]!.message).toMatch(/^Operation "getTree" in group "Tree", output: the schema cannot be written as OpenAPI 3.0 \(Cycle detected.*\)\. Use a non-recursive, JSON-representable zod schema\.$/);
  });

  test('every problem of every operation is listed, group problems first', () => {
    const group = actionGroup({ name: 'Bad__Group', description: 'd' })
      .operation({ name: 'a__b', method: 'GET', path: '/a', description: 'A.', input: z.object({ x: z.string() }), handler: () => ({}) })
      .operation({ name: 'c', method: 'GET', path: '/c', description: 'C.', input: z.object({ 'y z': described('Y') }), handler: () => ({}) });
    expect(lintBedrock(group).map((p) => [p.operation, p.rule])).toEqual([
      [undefined, 'double-underscore'],
      ['a__b', 'double-underscore'],
      ['a__b', 'parameter-description'],
      ['c', 'name-pattern'],
    ]);
  });
});
