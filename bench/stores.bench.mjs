// Stores: 10 000 conversation inserts (100 sessions of 100 turns) and 1 000 paged history reads
// (20 turns of one session at a random offset, with the total), on PGlite (real Postgres, in-process)
// beside the memory store. Inserts run one at a time, as a service writes them, so this is latency-bound.
//   node bench/run.mjs stores        BENCH_STORES_INSERTS=2000 node bench/stores.bench.mjs
import { PGlite } from '@electric-sql/pglite';
import { memoryStore, postgresStore } from '../dist/stores.js';

const INSERTS = Number(process.env.BENCH_STORES_INSERTS ?? 10_000);
const READS = Number(process.env.BENCH_STORES_READS ?? 1_000);
const SESSIONS = 100;
const PER_SESSION = Math.ceil(INSERTS / SESSIONS);
const prompt = '¿Cuál es el estado de mi pedido A-1001 y cuándo llega?';
const response = 'Tu pedido A-1001 fue enviado con DHL y llega el 14 de marzo. '.repeat(4);

// A fixed-seed generator, so every run reads the same pages.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

async function run(name, store) {
  await store.migrate();
  let started = performance.now();
  for (let i = 0; i < INSERTS; i++) {
    await store.addConversation({ ownerId: `user-${i % 10}`, sessionId: `session-${i % SESSIONS}`, prompt, response, fileIds: i % 5 ? [] : ['f-1'] });
  }
  const insertMs = performance.now() - started;
  seed = 42;
  started = performance.now();
  let rows = 0;
  for (let i = 0; i < READS; i++) {
    const page = await store.listConversations({ sessionId: `session-${Math.floor(random() * SESSIONS)}`, limit: 20, offset: Math.floor(random() * (PER_SESSION - 20)) });
    if (page.total !== PER_SESSION) throw new Error(`expected ${PER_SESSION} turns, got ${page.total}`);
    rows += page.records.length;
  }
  const readMs = performance.now() - started;
  return { name, insertMs, readMs, rows };
}

const results = [await run('memoryStore', memoryStore())];
const db = new PGlite();
await db.waitReady;
results.push(await run('postgresStore (PGlite, in memory)', postgresStore({ client: db })));
await db.close();

const fmt = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`${INSERTS} conversation inserts, ${READS} paged history reads (20 per page)`);
console.log(`${'store'.padEnd(36)} ${'inserts/s'.padStart(12)} ${'reads/s'.padStart(12)}  (ms per insert / read)`);
for (const r of results) {
  console.log(`${r.name.padEnd(36)} ${fmt((INSERTS / r.insertMs) * 1000).padStart(12)} ${fmt((READS / r.readMs) * 1000).padStart(12)}  (${(r.insertMs / INSERTS).toFixed(3)} / ${(r.readMs / READS).toFixed(3)})`);
}
