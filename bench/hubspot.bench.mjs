// HubSpotOps hot paths without the network: detectRequestedLimit on agent utterances, cursor
// encode + decode, and a whole searchTickets call through router.invoke against an in-memory client
// (filters parsed, labels resolved, tickets formatted in the local zone, cursors signed). There is no
// peer doing the same job, so the call is set against the ceiling that matters: one HubSpot search
// round trip, taken as 150 ms (an assumption for illustration, not measured here).
// `HUBSPOT_BENCH_DIST=<dir>` measures another build.
import { Bench } from 'tinybench';

const dist = process.env.HUBSPOT_BENCH_DIST ?? '../dist';
const { createRouter, createCursorCodec, cursorScope } = await import(`${dist}/index.js`);
const { hubspotOps } = await import(`${dist}/hubspot.js`);
const { detectRequestedLimit } = await import(`${dist}/text.js`);

const UTTERANCES = [
  'dame los últimos 3 tickets del cliente Ana Mora',
  'muéstrame diez casos abiertos de soporte, por favor',
  'show me the 2 most recent tickets about the router',
  'tickets del 3 de marzo de 2025 a las 10:30, ticket #4521',
  '¿qué pasó con el caso 12345 que abrió ayer?',
];

const tickets = Array.from({ length: 200 }, (_, i) => ({
  id: String(5000 + i),
  properties: {
    hs_object_id: String(5000 + i), subject: `Factura duplicada ${i}`, content: 'x', createdate: '2025-03-01T15:30:00.000Z',
    hs_lastmodifieddate: '2025-03-02T15:30:00.000Z', closed_date: null, source_type: 'EMAIL', hs_ticket_priority: 'HIGH',
    hs_pipeline: '0', hs_pipeline_stage: '1', hubspot_owner_id: '9001',
  },
}));
const client = {
  crm: {
    tickets: { searchApi: { doSearch: async (req) => ({ total: tickets.length, results: tickets.slice(Number(req.after ?? 0), Number(req.after ?? 0) + req.limit) }) } },
    pipelines: { pipelinesApi: { getAll: async () => ({ results: [{ id: '0', label: 'Soporte', stages: [{ id: '1', label: 'Nuevo' }, { id: '4', label: 'Cerrado' }] }] }) } },
    owners: { ownersApi: { getById: async () => ({ id: '9001', firstName: 'María', lastName: 'Castro', email: 'maria@example.com', userId: 1 }) } },
  },
};
const router = createRouter({ logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } } }).add(hubspotOps({ client, enforceAllowedRoles: false }));
const input = { page_size: '5', filters: '{"pipeline":"Soporte","stage":"Nuevo","priority":"alta"}', sort: 'createdate:DESC' };
const first = await router.invoke('HubSpotOps', 'searchTickets', { ...input });

const codec = createCursorCodec({ secret: 'bench-secret-0123456789' });
const scope = cursorScope('HubSpotOps.searchTickets', { q: 'router', sort: 'createdate:DESC' });

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('detectRequestedLimit (5 utterances)', () => { for (const t of UTTERANCES) detectRequestedLimit(t); })
  .add('cursor encode + decode', () => codec.decode(codec.encode({ o: 10, t: 25 }, scope), scope))
  .add('searchTickets via router.invoke (page 2, filters)', () => router.invoke('HubSpotOps', 'searchTickets', { ...input, cursor: first.cursor_next }));
await bench.run();

const hz = (t) => t.result.throughput?.mean ?? t.result.hz;
const ROUND_TRIP_MS = 150;
const [limits, cursors, op] = bench.tasks;
const row = (name, rate, unit, note = '') => ({ name, 'ops/s': Math.round(rate).toLocaleString('en'), 'µs/op': (1e6 / rate).toFixed(1), unit, 'vs HubSpot round trip': note });
console.table([
  row('detectRequestedLimit', hz(limits) * UTTERANCES.length, 'utterance'),
  row(cursors.name, hz(cursors), 'round trip'),
  row(op.name, hz(op), 'call', `${((1e3 / hz(op) / ROUND_TRIP_MS) * 100).toFixed(2)}% of ${ROUND_TRIP_MS} ms`),
]);
