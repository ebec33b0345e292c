// What the core benches run: the Bedrock Agents events and the API Gateway v2 event, and each side of
// each comparison — ours through `toLambda` with default router options, Powertools with the same
// handler — made on demand, so a process measuring one pair has only that pair's code warmed up.
import { z } from 'zod';
import { BedrockAgentFunctionResolver } from '@aws-lambda-powertools/event-handler/bedrock-agent';
import { Router as PowertoolsHttpRouter } from '@aws-lambda-powertools/event-handler/http';
import { actionGroup } from '../dist/index.js';
import { toLambda } from '../dist/lambda.js';

export const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30_000 };
export const common = {
  messageVersion: '1.0',
  agent: { name: 'a', id: 'A', alias: 'TSTALIASID', version: 'DRAFT' },
  inputText: 'look up ticket 42',
  sessionId: 's-1',
  actionGroup: 'Tickets',
  sessionAttributes: { role: 'Agent' },
  promptSessionAttributes: {},
};
const params = [
  { name: 'ticketId', type: 'string', value: 'T-42' },
  { name: 'limit', type: 'integer', value: '5' },
  { name: 'includeClosed', type: 'boolean', value: 'true' },
];
export const functionEvent = { ...common, function: 'getTicket', parameters: params };
export const openApiEvent = { ...common, apiPath: '/tickets/{ticketId}', httpMethod: 'GET', parameters: params };

const reply = (ticketId, limit, includeClosed) => ({ ticketId, limit, includeClosed, status: 'open' });
const syncHandler = ({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed);
const asyncHandler = async ({ ticketId, limit, includeClosed }) => reply(ticketId, limit, includeClosed);

const tickets = (handler, options = {}) =>
  actionGroup({ name: 'Tickets', description: 'Tickets' }).operation({
    name: 'getTicket',
    method: 'GET',
    path: '/tickets/{ticketId}',
    description: 'Get a ticket',
    ...options,
    input: z.object({
      ticketId: z.string().describe('Ticket id'),
      limit: z.number().int().min(1).max(50).describe('Most items'),
      includeClosed: z.boolean().describe('Include closed ones'),
    }),
    handler,
  });

const quietPowertools = { debug() {}, warn() {}, error() {} };
// Powertools has no timeout option: a user who wants one (the same job as our `timeoutMs`) races the
// handler against a timer of its own on every call, and Powertools answers the rejection as an error.
const withTimeout = (handler, ms) => async (params, options) => {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`getTicket did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([handler(params, options), expired]);
  } finally {
    clearTimeout(timer);
  }
};

const powertools = (handler) => {
  const app = new BedrockAgentFunctionResolver({ logger: quietPowertools });
  app.tool(handler, { name: 'getTicket', description: 'Get a ticket' });
  return (event, ctx) => app.resolve(event, ctx);
};

// HTTP: POST /orders/{orderId}/items with a JSON body, API Gateway HTTP API (v2) payload.
const Item = z.object({ sku: z.string().min(1).describe('Product code'), qty: z.number().int().min(1).describe('How many') });
const added = (orderId, sku, qty) => ({ orderId, sku, qty, status: 'added' });
const oursHttp = () =>
  toLambda(
    actionGroup({ name: 'Orders', description: 'Orders' }).operation({
      name: 'addItem',
      method: 'POST',
      path: '/orders/{orderId}/items',
      description: 'Add an item to an order',
      input: z.object({ orderId: z.string().describe('Order id'), ...Item.shape }),
      handler: async ({ orderId, sku, qty }) => added(orderId, sku, qty),
    }),
  );
const powertoolsHttp = () => {
  const app = new PowertoolsHttpRouter({ logger: quietPowertools });
  app.post('/orders/:orderId/items', async (reqCtx) => added(reqCtx.params.orderId, reqCtx.valid.req.body.sku, reqCtx.valid.req.body.qty), {
    validation: { req: { body: Item } },
  });
  return (event, ctx) => app.resolve(event, ctx);
};
export const httpEvent = {
  version: '2.0',
  routeKey: 'POST /orders/{orderId}/items',
  rawPath: '/orders/A-1001/items',
  rawQueryString: '',
  headers: { 'content-type': 'application/json', 'content-length': '27', host: 'api.example.com', 'user-agent': 'bench' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    domainName: 'api.example.com',
    domainPrefix: 'api',
    http: { method: 'POST', path: '/orders/A-1001/items', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'bench' },
    requestId: 'id',
    routeKey: 'POST /orders/{orderId}/items',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  pathParameters: { orderId: 'A-1001' },
  body: JSON.stringify({ sku: 'SKU-1', qty: 2 }),
  isBase64Encoded: false,
};

// A Lambda serving six operations, each with its own fields, called in turn: the shared code sees six
// operations (six coercers, validators and handlers) as a real multi-operation Lambda does.
const SIX = [0, 1, 2, 3, 4, 5];
const sixHandler = (key) => async (input) => reply(input[key], input.limit, input.includeClosed);
const sixGroup = () =>
  SIX.reduce(
    (group, i) =>
      group.operation({
        name: `getTicket${i}`,
        method: 'GET',
        path: `/tickets${i}/{ticket${i}}`,
        description: `Get a ticket, variant ${i}`,
        input: z.object({
          [`ticket${i}`]: z.string().describe('Ticket id'),
          limit: z.number().int().min(1).max(50).describe('Most items'),
          includeClosed: z.boolean().describe('Include closed ones'),
        }),
        handler: sixHandler(`ticket${i}`),
      }),
    actionGroup({ name: 'Tickets', description: 'Tickets' }),
  );
const sixEvents = SIX.map((i) => ({ ...common, function: `getTicket${i}`, parameters: [{ ...params[0], name: `ticket${i}` }, params[1], params[2]] }));
const powertoolsSix = () => {
  const app = new BedrockAgentFunctionResolver({ logger: quietPowertools });
  for (const i of SIX) app.tool(sixHandler(`ticket${i}`), { name: `getTicket${i}`, description: `Get a ticket, variant ${i}` });
  return (event, ctx) => app.resolve(event, ctx);
};

const ticketText = JSON.stringify(reply('T-42', 5, true));
const functionText = (r) => r.response.functionResponse.responseBody.TEXT.body;
const openApiText = (r) => (r.response.httpStatusCode === 200 ? r.response.responseBody['application/json'].body : `status ${r.response.httpStatusCode}`);
const httpText = (r) => (r.statusCode === 200 ? JSON.stringify(JSON.parse(r.body)) : `status ${r.statusCode}`);
const addedText = JSON.stringify(added('A-1001', 'SKU-1', 2));

/**
 * The subjects, by name: `make()` builds the Lambda handler, `event` is what it is called with, and
 * `text(reply)` must equal `expected` (both sides answer the same before anything is timed).
 */
export const subjects = {
  'ours sync': { make: () => toLambda(tickets(syncHandler)), event: functionEvent, text: functionText, expected: ticketText },
  'ours async': { make: () => toLambda(tickets(asyncHandler)), event: functionEvent, text: functionText, expected: ticketText },
  'ours sync, OpenAPI': { make: () => toLambda(tickets(syncHandler)), event: openApiEvent, text: openApiText, expected: ticketText },
  'ours async, OpenAPI': { make: () => toLambda(tickets(asyncHandler)), event: openApiEvent, text: openApiText, expected: ticketText },
  // Not a default: an operation with a timeout, beside Powertools with the timeout a user writes for it.
  'ours async, timeoutMs': { make: () => toLambda(tickets(asyncHandler, { timeoutMs: 10_000 })), event: functionEvent, text: functionText, expected: ticketText },
  'ours HTTP': { make: oursHttp, event: httpEvent, text: httpText, expected: addedText },
  'Powertools sync': { make: () => powertools(syncHandler), event: functionEvent, text: functionText, expected: ticketText },
  'Powertools async': { make: () => powertools(asyncHandler), event: functionEvent, text: functionText, expected: ticketText },
  'Powertools async, timeout': { make: () => powertools(withTimeout(asyncHandler, 10_000)), event: functionEvent, text: functionText, expected: ticketText },
  'Powertools HTTP': { make: powertoolsHttp, event: httpEvent, text: httpText, expected: addedText },
  'ours async, six operations': { make: () => toLambda(sixGroup()), events: sixEvents, text: functionText, expected: ticketText },
  'Powertools async, six tools': { make: powertoolsSix, events: sixEvents, text: functionText, expected: ticketText },
};

/**
 * Builds a subject and checks its answers; resolves with a function making one call. A subject has one
 * `event`, or `events` called in turn.
 */
export async function ready(name) {
  const subject = subjects[name];
  const handler = subject.make();
  // The compiled zod validators are installed in the background (see core/compile-schema.ts), as they
  // are long before a Lambda's first event: let that happen before anything is measured.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const events = subject.events ?? [subject.event];
  for (const event of events) {
    const got = subject.text(await handler(event, context));
    if (got !== subject.expected) throw new Error(`${name} answered ${got}`);
  }
  if (events.length === 1) return () => handler(events[0], context);
  let next = 0;
  return () => handler(events[next++ % events.length], context);
}
