// resolveDateRange throughput on a mix of Spanish phrases (short range phrases and whole agent
// utterances), beside chrono-node's Spanish parser on the same texts (the peer: it parses less — no
// relative ranges, no zones — so it is a reference, not a target). `DATES_MODULE=<path>` measures
// another build of the module.
import { Bench } from 'tinybench';
import * as chrono from 'chrono-node';

const { resolveDateRange } = await import(process.env.DATES_MODULE ?? '../dist/text.js');

const PHRASES = [
  'hoy', 'ayer', 'la semana pasada', 'este mes', 'el mes pasado', 'últimos 7 días', 'ultimos treinta dias',
  'marzo de 2025', 'del 1 al 15 de marzo', 'entre el 28 de diciembre y el 3 de enero', 'primer trimestre de 2024',
  '15/03/2025', '2025-03-01', 'hace 3 días', 'desde el 1 de mayo hasta hoy',
];
const UTTERANCES = [
  '¿Cuáles fueron las categorías con más tickets la semana pasada? Dame el top 5 por favor',
  'Necesito el tiempo promedio de resolución por agente entre el 1 y el 15 de marzo para la reunión',
  'muéstrame cuántos tickets se cerraron, sin fecha en particular, lo que tengas',
];
const now = new Date('2025-06-18T15:00:00Z');
const opts = { now, timezone: 'America/Costa_Rica' };
const reference = new Date(2025, 5, 18, 12);

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('resolveDateRange: range phrases', () => { for (const t of PHRASES) resolveDateRange(t, opts); })
  .add('chrono.es.parse: range phrases', () => { for (const t of PHRASES) chrono.es.parse(t, reference); })
  .add('resolveDateRange: agent utterances', () => { for (const t of UTTERANCES) resolveDateRange(t, opts); })
  .add('chrono.es.parse: agent utterances', () => { for (const t of UTTERANCES) chrono.es.parse(t, reference); });
await bench.run();

const perText = (task, n) => (task.result.throughput?.mean ?? task.result.hz) * n;
const rows = bench.tasks.map((t) => ({ name: t.name, texts: t.name.includes('phrases') ? PHRASES.length : UTTERANCES.length, task: t }));
const table = rows.map((r, i) => {
  const rate = perText(r.task, r.texts);
  const peer = i % 2 === 0 ? perText(rows[i + 1].task, rows[i + 1].texts) : undefined;
  return { name: r.name, 'texts/s': Math.round(rate).toLocaleString('en'), 'µs/text': (1e6 / rate).toFixed(1), 'vs chrono': peer ? `${(rate / peer).toFixed(2)}×` : '' };
});
console.table(table);
