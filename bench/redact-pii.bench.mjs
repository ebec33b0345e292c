// Issue 4 figure: redactPii throughput on a 1 MB Spanish call transcript with a few cards and DNIs in it
// (target ≥ 50 MB/s), beside the ceiling of the bare candidate scan (the same regex, no judging) and a
// pathological megabyte of 1-digit groups, and 400 KB of cards in one run of 4-digit groups (issue 9: was
// quadratic, 0.9 s). `PII_MODULE=<path>` measures another build of the module; `PII_BASELINE=<path>` adds
// a second build's rows to the same run, so a before/after comparison shares the machine's load.
import { Bench } from 'tinybench';

const { redactPii } = await import(process.env.PII_MODULE ?? '../dist/text.js');
const baseline = process.env.PII_BASELINE ? (await import(process.env.PII_BASELINE)).redactPii : undefined;

const TARGET_MB_S = 50;

/** Deterministic pseudo-random numbers, so every run measures the same text. */
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(rnd() * list.length)];
const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');

const agent = [
  'Buenos días, le habla {name} del centro de soporte, ¿en qué le puedo ayudar?',
  'Con gusto, ¿me confirma el número de ticket, por favor?',
  'Veo el caso #{ticket} abierto desde el {date}, déjeme revisarlo.',
  'Le voy a transferir con el área de facturación, no cuelgue.',
  'El cargo de ₡{amount} corresponde a la mensualidad de junio.',
  'Perfecto, ya quedó registrada la solicitud; le llegará un correo de confirmación.',
  '¿Hay algo más en lo que le pueda ayudar el día de hoy?',
];
const customer = [
  'Sí, hola, mire, es que me cobraron dos veces el servicio este mes.',
  'El ticket es el {ticket}, lo abrí la semana pasada.',
  'Pueden llamarme al +506 {phone} o al {phone2}, en horario de oficina.',
  'La transferencia salió de la cuenta ES91 2100 0418 4502 0005 1332.',
  'No, eso sería todo, muchas gracias por la ayuda.',
  'Es que ya llamé tres veces y nadie me resuelve, la verdad estoy molesto.',
];
const withPii = [
  'Pagué con la tarjeta 4111 1111 1111 1111, vence en el 27.',
  'Es la 5555-5555-5555-4444, a nombre de mi esposa.',
  'El número es 378282246310005 y el código 1234.',
  'Mi DNI es 12345678Z, por si lo necesita.',
  'Claro, documento 87654321, está a mi nombre.',
];

function line(template) {
  return template
    .replace('{name}', pick(['Ana', 'Luis', 'María', 'José']))
    .replace('{ticket}', digits(10))
    .replace('{date}', `${1 + Math.floor(rnd() * 28)}/0${1 + Math.floor(rnd() * 9)}/2025`)
    .replace('{amount}', `${digits(2)}.${digits(3)}`)
    .replace('{phone}', `${8 + Math.floor(rnd() * 2)}${digits(3)} ${digits(4)}`)
    .replace('{phone2}', `${digits(4)}-${digits(4)}`);
}

/** ~1 MB of timestamped turns (epoch-free, with ticket ids, phones, amounts and dates); every 1 000th customer turn carries a card or a DNI. */
function transcript(bytes) {
  const turns = [];
  let size = 0;
  for (let t = 0; size < bytes; t++) {
    const who = t % 2 === 0 ? 'Agente' : 'Cliente';
    const text = t % 2000 === 1 ? withPii[Math.floor(t / 2000) % withPii.length] : line(pick(who === 'Agente' ? agent : customer));
    const turn = `[${String(Math.floor(t / 30)).padStart(2, '0')}:${String((t * 2) % 60).padStart(2, '0')}] ${who}: ${text}\n`;
    turns.push(turn);
    size += Buffer.byteLength(turn);
  }
  return turns.join('');
}

const text = transcript(1_000_000);
const mb = Buffer.byteLength(text) / 1e6;
const redacted = redactPii(text);
const changed = text.split('\n').filter((l, i) => l !== redacted.split('\n')[i]);
if (changed.length !== text.split('\n').filter((l) => withPii.some((p) => l.endsWith(p))).length) throw new Error('a card or DNI survived, or something else was masked');
if (!redacted.includes('ES91 2100 0418 4502 0005 1332')) throw new Error('the IBAN was changed');
const pathological = '4 '.repeat(500_000);
const cardRun = `${'4111 1111 1111 1111 '.repeat(20_000)}12`;

const RUN = /\d(?:[ -]?\d)*/g;
const scanOnly = (s) => {
  let n = 0;
  RUN.lastIndex = 0;
  while (RUN.exec(s) !== null) n++;
  return n;
};

const bench = new Bench({ time: 2000, warmupTime: 500 });
bench
  .add('redactPii, 1 MB transcript', () => redactPii(text))
  .add('ceiling: candidate regex scan only', () => scanOnly(text))
  .add('redactPii, 1 MB of "4 4 4 …" (pathological)', () => redactPii(pathological))
  .add('redactPii, 400 KB of cards in one run (pathological)', () => redactPii(cardRun));
if (baseline) {
  bench
    .add('baseline: 1 MB transcript', () => baseline(text))
    .add('baseline: 1 MB of "4 4 4 …" (pathological)', () => baseline(pathological))
    .add('baseline: 400 KB of cards in one run (pathological)', () => baseline(cardRun));
}
await bench.run();

const rows = bench.tasks.map((task) => {
  const size = task.name.includes('"4 4 4') ? pathological.length / 1e6 : task.name.includes('cards in one run') ? cardRun.length / 1e6 : mb;
  const mbs = (task.result.throughput?.mean ?? 1000 / task.result.latency.mean) * size;
  return { name: task.name, mbs };
});
const ceiling = rows[1].mbs;
console.log(`transcript: ${mb.toFixed(2)} MB, ${text.split('\n').length - 1} turns, ${changed.length} turns redacted`);
console.table(
  rows.map((r) => ({
    task: r.name,
    'MB/s': r.mbs.toFixed(1),
    'vs target 50 MB/s': `${(r.mbs / TARGET_MB_S).toFixed(2)}×`,
    'vs scan ceiling': `${(r.mbs / ceiling).toFixed(2)}×`,
  })),
);
const ok = rows[0].mbs >= TARGET_MB_S;
console.log(`redactPii on the transcript: ${rows[0].mbs.toFixed(1)} MB/s — target ≥ ${TARGET_MB_S} MB/s ${ok ? 'met' : 'NOT met'}`);
if (!ok) process.exitCode = 1;
