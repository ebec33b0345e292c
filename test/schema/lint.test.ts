import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { actionGroup, type ActionGroup, type Operation } from '../../src/index.js';
import { lintBedrock, type LintProblem } from '../../src/schema/index.js';
import { ticketsGroup } from './groups.js';

const described = (name: string) => z.string().describe(name);
/** `n` characters of several words (a one-word text would also draw a short-description warning). */
const words = (n: number) => `${'word '.repeat(n).slice(0, n - 1)}x`;

/** A group with `count` well-formed GET operations named op1…opN. */
function groupOf(name: string, count: number, opName = (i: number) => `op${i}`): ActionGroup {
  let group = actionGroup({ name, description: 'Test group' });
  for (let i = 1; i <= count; i += 1) {
    group = group.operation({ name: opName(i), method: 'GET', path: `/op/${i}`, description: `Does thing number ${i} for the tests.`, input: z.object({ id: described('Item id') }), handler: () => ({}) });
  }
  return group;
}

/** A group object as another copy of the library (or hand-written code) may build it, bypassing definition-time checks. */
function duckGroup(name: string, operations: Operation[]): ActionGroup {
  return { name, description: 'Duck-typed', operations, get: (n: string) => operations.find((o) => o.name === n) } as unknown as ActionGroup;
}

const rules = (problems: LintProblem[]) => problems.map((p) => p.rule);

/** An error rule: the same problems at both severities, with `severity: 'error'` when warnings are asked for. */
function expectErrors(group: ActionGroup, problems: LintProblem[]): void {
  expect(lintBedrock(group)).toEqual(problems);
  expect(lintBedrock(group, { warnings: false })).toEqual(problems);
  expect(lintBedrock(group, { warnings: true })).toEqual(problems.map((p) => ({ ...p, severity: 'error' })));
}

/** A warning rule: nothing by default, the advice with `severity: 'warning'` when asked for. */
function expectWarnings(group: ActionGroup, problems: LintProblem[]): void {
  expect(lintBedrock(group)).toEqual([]);
  expect(lintBedrock(group, { warnings: false })).toEqual([]);
  expect(lintBedrock(group, { warnings: true })).toEqual(problems.map((p) => ({ ...p, severity: 'warning' })));
}

/** Clean at both severities. */
function expectClean(group: ActionGroup): void {
  expect(lintBedrock(group)).toEqual([]);
  expect(lintBedrock(group, { warnings: true })).toEqual([]);
}

const NAME_ADVICE = 'use letters and digits, optionally separated by single "_" or "-", with at most 100 letters and digits.';

describe('lintBedrock: errors (what Bedrock rejects)', () => {
  test('a well-formed group has no problems at either severity', () => {
    expectClean(ticketsGroup());
  });

  test('the issue\'s POST body with undescribed fields of array items has no errors (only advice)', () => {
    const group = actionGroup({ name: 'Cart', description: 'Shopping cart of a customer.' }).operation({
      name: 'addItems', method: 'POST', path: '/carts/{cartId}/items', description: 'Add items to the cart of the customer.',
      input: z.object({ cartId: z.string().describe('Cart id'), items: z.array(z.object({ sku: z.string(), qty: z.number() })).describe('Items to add') }),
      handler: () => ({}),
    });
    expect(lintBedrock(group)).toEqual([]);
    expect(rules(lintBedrock(group, { warnings: true }))).toEqual(['nested-field-description', 'nested-field-description']);
  });

  test('max-operations: 11 is fine, 12 is not', () => {
    expectClean(groupOf('Eleven', 11));
    expectErrors(groupOf('Twelve', 12), [
      { rule: 'max-operations', message: 'Group "Twelve" has 12 operations; Bedrock allows 11 APIs per agent by default. Split it into smaller groups (on separate agents) or remove 1.' },
    ]);
  });

  test('group-description-length: an action group description holds at most 200 characters', () => {
    expectClean(actionGroup({ name: 'Tickets', description: 'd'.repeat(200) }));
    expectErrors(actionGroup({ name: 'Tickets', description: 'd'.repeat(201) }), [
      { rule: 'group-description-length', message: 'Group "Tickets": the description is 201 characters; Bedrock allows 200 for an action group. Shorten it by 1 and move detail into the operation descriptions.' },
    ]);
  });

  test('name-pattern: group, operation and parameter names follow ([0-9a-zA-Z][_-]?){1,100}', () => {
    expectClean(groupOf('Ticket-Ops_2', 1, () => 'get-ticket_v2'));
    expectErrors(groupOf('Ticket Ops', 1), [
      { rule: 'name-pattern', message: `Group name "Ticket Ops" does not match ([0-9a-zA-Z][_-]?){1,100}; ${NAME_ADVICE}` },
    ]);
    expectErrors(groupOf('Tickets', 1, () => 'get.ticket'), [
      { operation: 'get.ticket', rule: 'name-pattern', message: `Operation name "get.ticket" does not match ([0-9a-zA-Z][_-]?){1,100}; ${NAME_ADVICE}` },
    ]);
    expect(rules(lintBedrock(groupOf('Tickets', 1, () => '-lead')))).toEqual(['name-pattern']);
    expectClean(groupOf('x'.repeat(100), 0));
    expect(rules(lintBedrock(groupOf('x'.repeat(101), 0)))).toEqual(['name-pattern']);
    const param = actionGroup({ name: 'Tickets', description: 'd' }).operation({
      name: 'get', method: 'GET', path: '/t', description: 'Get one ticket by id.', input: z.object({ 'ticket.id': described('Ticket id') }), handler: () => ({}),
    });
    expectErrors(param, [
      { operation: 'get', rule: 'name-pattern', message: `Operation "get" in group "Tickets": parameter name "ticket.id" does not match ([0-9a-zA-Z][_-]?){1,100}; ${NAME_ADVICE}` },
    ]);
  });

  test('double-underscore: "__" is refused in any name, with its own message', () => {
    expectErrors(groupOf('Ticket__Ops', 1, () => 'get__ticket'), [
      { rule: 'double-underscore', message: 'Group name "Ticket__Ops" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".' },
      { operation: 'get__ticket', rule: 'double-underscore', message: 'Operation name "get__ticket" contains "__", which Bedrock and AgentCore use to join tool names; use a single "_" or "-".' },
    ]);
  });

  test('tool-name-length: <method>__<group>__<operation> fits in 64 characters', () => {
    // "GET__" + 30 + "__" + 27 = 64
    expectClean(groupOf('G'.repeat(30), 1, () => 'o'.repeat(27)));
    expectErrors(groupOf('G'.repeat(30), 1, () => 'o'.repeat(28)), [
      { operation: 'o'.repeat(28), rule: 'tool-name-length', message: `Operation "${'o'.repeat(28)}" in group "${'G'.repeat(30)}": Bedrock names the tool "GET__${'G'.repeat(30)}__${'o'.repeat(28)}" (65 characters, at most 64); shorten the group or operation name by 1.` },
    ]);
  });

  test('operation-description: an operation must say what it does', () => {
    const op = { ...ticketsGroup().get('closeTicket')!, description: '  ' };
    expectErrors(duckGroup('Tickets', [op]), [
      { operation: 'closeTicket', rule: 'operation-description', message: 'Operation "closeTicket" in group "Tickets" has no description; say what it does and when the model should use it.' },
    ]);
  });

  test('function-description-length: at most 1200 characters', () => {
    const base = ticketsGroup().get('closeTicket')!;
    expectClean(duckGroup('Tickets', [{ ...base, description: words(1200) }]));
    expectErrors(duckGroup('Tickets', [{ ...base, description: words(1201) }]), [
      { operation: 'closeTicket', rule: 'function-description-length', message: 'Operation "closeTicket" in group "Tickets": the description is 1201 characters; Bedrock allows 1200 for a function. Shorten it by 1.' },
    ]);
  });

  test('parameter-description: every top-level parameter and body field is described', () => {
    const group = actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'addItems', method: 'POST', path: '/orders/{orderId}/items', description: 'Add lines to an order.',
      input: z.object({
        orderId: z.string(),
        note: z.string().optional(),
        items: z.array(z.object({ sku: described('Product code'), qty: z.number().int().describe('How many units') })).describe('Order lines'),
      }),
      handler: () => ({}),
    });
    expectErrors(group, [
      { operation: 'addItems', rule: 'parameter-description', message: 'Operation "addItems" in group "Orders": parameter "orderId" has no description; add .describe(\'…\') saying what the value is and its format.' },
      { operation: 'addItems', rule: 'parameter-description', message: 'Operation "addItems" in group "Orders": parameter "note" has no description; add .describe(\'…\') saying what the value is and its format.' },
    ]);
  });

  test('parameter-description-length: counted with the constraints written into it, at most 500', () => {
    const make = (text: string) => actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'find', method: 'GET', path: '/orders', description: 'Find the orders of a customer.',
      input: z.object({ state: z.enum(['open', 'closed']).describe(text) }),
      handler: () => ({}),
    });
    const suffix = '. Allowed values: "open", "closed".'.length;
    expectClean(make(words(500 - suffix)));
    expectErrors(make(words(500 - suffix + 1)), [
      { operation: 'find', rule: 'parameter-description-length', message: 'Operation "find" in group "Orders": the description of parameter "state" is 501 characters with its constraints; Bedrock allows 500. Shorten it by 1.' },
    ]);
  });

  test('function-object-parameter: a bare object cannot be a function parameter', () => {
    const base = ticketsGroup().get('addNote')!;
    const address = { name: 'address', location: 'body', kind: 'object', required: true, description: 'Postal address', schema: z.object({ city: described('City name') }) };
    const op = { ...base, fields: [...base.fields, address] } as unknown as Operation;
    expectErrors(duckGroup('Tickets', [op]), [
      { operation: 'addNote', rule: 'function-object-parameter', message: 'Operation "addNote" in group "Tickets": parameter "address" is an object, which function details cannot carry; flatten it into separate scalar fields.' },
    ]);
  });

  test('unique-operation-id: two operations cannot share a name', () => {
    const op = ticketsGroup().get('getTicket')!;
    expectErrors(duckGroup('Tickets', [op, { ...op, path: '/other/{ticketId}' }]), [
      { operation: 'getTicket', rule: 'unique-operation-id', message: 'Group "Tickets" has more than one operation named "getTicket"; operationIds must be unique, so rename one.' },
    ]);
  });

  test('unique-route: two operations cannot share a method and path', () => {
    const op = ticketsGroup().get('getTicket')!;
    expectErrors(duckGroup('Tickets', [op, { ...op, name: 'getTicketV2', description: `${op.description} Version two.` }]), [
      { operation: 'getTicketV2', rule: 'unique-route', message: 'Operation "getTicketV2" in group "Tickets" uses GET /tickets/{ticketId}, already used by "getTicket"; give it its own path or method.' },
    ]);
  });

  test('schema-unrepresentable: a recursive output is reported instead of thrown', () => {
    const Node: z.ZodType<{ name: string; children: unknown[] }> = z.object({ name: z.string(), get children() { return z.array(Node); } });
    const group = actionGroup({ name: 'Tree', description: 'Trees' }).operation({
      name: 'getTree', method: 'GET', path: '/tree', description: 'Get the whole category tree.', input: z.object({}), output: Node, handler: () => ({ name: 'r', children: [] }),
    });
    const problems = lintBedrock(group);
    expect(rules(problems)).toEqual(['schema-unrepresentable']);
    expect(problems[0]!.message).toMatch(/^Operation "getTree" in group "Tree", output: the schema cannot be written as OpenAPI 3.0 \(Cycle detected.*\)\. Use a non-recursive, JSON-representable zod schema\.$/);
    expect(lintBedrock(group, { warnings: true })).toEqual([{ ...problems[0], severity: 'error' }]);
  });

  test('every problem of every operation is listed, group problems first; warnings interleave where they arise', () => {
    const group = actionGroup({ name: 'Bad__Group', description: 'd' })
      .operation({ name: 'a__b', method: 'GET', path: '/a', description: 'A.', input: z.object({ x: z.string() }), handler: () => ({}) })
      .operation({ name: 'c', method: 'GET', path: '/c', description: 'C.', input: z.object({ 'y z': described('Y') }), handler: () => ({}) });
    expect(lintBedrock(group).map((p) => [p.operation, p.rule])).toEqual([
      [undefined, 'double-underscore'],
      ['a__b', 'double-underscore'],
      ['a__b', 'parameter-description'],
      ['c', 'name-pattern'],
    ]);
    expect(lintBedrock(group, { warnings: true }).map((p) => [p.operation, p.rule, p.severity])).toEqual([
      [undefined, 'double-underscore', 'error'],
      ['a__b', 'double-underscore', 'error'],
      ['a__b', 'short-description', 'warning'],
      ['a__b', 'parameter-description', 'error'],
      ['c', 'short-description', 'warning'],
      ['c', 'name-pattern', 'error'],
      ['c', 'short-description', 'warning'],
    ]);
  });
});

describe('lintBedrock: warnings (advice, only with { warnings: true })', () => {
  test('nested-field-description: a field of array items without a description', () => {
    const group = actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'addItems', method: 'POST', path: '/orders/{orderId}/items', description: 'Add lines to an order.',
      input: z.object({
        orderId: described('Order number'),
        items: z.array(z.object({ sku: described('Product code'), qty: z.number().int() })).describe('Order lines'),
      }),
      handler: () => ({}),
    });
    expectWarnings(group, [
      { operation: 'addItems', rule: 'nested-field-description', message: 'Operation "addItems" in group "Orders": field "qty" of the items of "items" has no description; add .describe(\'…\') to it so the model knows what to put there.' },
    ]);
  });

  test('short-description: an operation described in under 4 words, a parameter in under 2', () => {
    const make = (description: string, field: string) => actionGroup({ name: 'Orders', description: 'd' }).operation({
      name: 'find', method: 'GET', path: '/orders', description, input: z.object({ state: described(field) }), handler: () => ({}),
    });
    expectClean(make('Find orders by state.', 'Order state'));
    expectWarnings(make('Find orders.', 'State'), [
      { operation: 'find', rule: 'short-description', message: 'Operation "find" in group "Orders": the description ("Find orders.") is under 4 words; say what it does and when the model should use it.' },
      { operation: 'find', rule: 'short-description', message: 'Operation "find" in group "Orders": the description of parameter "state" ("State") is under 2 words; say what the value is and its format.' },
    ]);
    // Punctuation is not a word.
    expect(rules(lintBedrock(make('Find the orders —', 'Order - state'), { warnings: true }))).toEqual(['short-description']);
  });

  test('get-many-parameters: a GET with more than 8 parameters', () => {
    const make = (count: number, method: 'GET' | 'POST' = 'GET') => actionGroup({ name: 'Search', description: 'd' }).operation({
      name: 'search', method, path: '/search', description: 'Search the orders by many filters.',
      input: z.object(Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}`, described(`Filter number ${i}`)]))),
      handler: () => ({}),
    });
    expectClean(make(8));
    expectClean(make(9, 'POST'));
    expectWarnings(make(9), [
      { operation: 'search', rule: 'get-many-parameters', message: 'Operation "search" in group "Search" is a GET with 9 parameters (advice: at most 8); models fill long parameter lists poorly, so split it or move rarely used filters into a second operation.' },
    ]);
  });

  test('duplicate-description: two operations a model cannot tell apart', () => {
    const make = (second: string) => actionGroup({ name: 'Orders', description: 'd' })
      .operation({ name: 'find', method: 'GET', path: '/orders', description: 'Find the orders of a customer.', input: z.object({}), handler: () => ({}) })
      .operation({ name: 'search', method: 'GET', path: '/search', description: second, input: z.object({}), handler: () => ({}) });
    expectClean(make('Search every order by text.'));
    expectWarnings(make('  find the ORDERS of a customer. '), [
      { operation: 'search', rule: 'duplicate-description', message: 'Operation "search" in group "Orders" has the same description as "find"; the model cannot tell them apart, so say how each differs.' },
    ]);
  });
});
