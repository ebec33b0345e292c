// Every core subject in one process: `node core-together.mjs '<json rows>'`, the rows as core.bench.mjs
// lists them ([row, our subject, the peer's subject, the peer's row]). With its rows, our code serves seven
// routers and three event shapes at once, Powertools' four resolvers and routers and two shapes. Prints
// `{ ours: {row: ops/s}, peers: {peer row: ops/s}, ratios: {row: ratio} }` — medians over the rounds.
//
// Interleaved short rounds: a shared machine drifts, and drift between two long sequential runs would
// show up as a difference between the libraries. Each row is compared with the Powertools row of the same
// handler style, round by round.
import { Bench } from 'tinybench';
import { ready } from './core-fixtures.mjs';
import { median } from './median.mjs';

const rows = JSON.parse(process.argv[2]);
const tasks = [];
for (const [row, ours, , peerRow] of rows) tasks.push([row, await ready(ours), peerRow]);
// Each peer once, in the order the rows first name it.
for (const [peerRow, peer] of new Map(rows.map(([, , peer, peerRow]) => [peerRow, peer]))) tasks.push([peerRow, await ready(peer), peerRow]);

const ROUNDS = Number(process.env.CORE_BENCH_ROUNDS ?? 7);
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const bench = new Bench({ time: 300, warmupTime: r === 0 ? 500 : 100 });
  for (const [name, call] of tasks) bench.add(name, call);
  await bench.run();
  rounds.push(new Map(bench.tasks.map((t) => [t.name, t.result.throughput?.mean ?? t.result.hz])));
}
const ops = (name) => median(rounds.map((r) => r.get(name)));
console.log(
  JSON.stringify({
    ours: Object.fromEntries(rows.map(([row]) => [row, ops(row)])),
    peers: Object.fromEntries(rows.map(([, , , peerRow]) => [peerRow, ops(peerRow)])),
    ratios: Object.fromEntries(rows.map(([row, , , peerRow]) => [row, median(rounds.map((r) => r.get(row) / r.get(peerRow)))])),
  }),
);
