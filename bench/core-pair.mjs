// One comparison in a process of its own, as a Lambda runs one handler: `node core-pair.mjs <ours> <peer>`
// (names from core-fixtures.mjs) times both sides in alternating rounds, each awaited call after call the
// way a caller does, and prints `{ ours, peer, ratio }` — medians over the rounds, in calls per second.
import { ready } from './core-fixtures.mjs';
import { median } from './median.mjs';

const [oursName, peerName] = process.argv.slice(2);
const ours = await ready(oursName);
const peer = await ready(peerName);
const ROUND_MS = Number(process.env.CORE_PAIR_ROUND_MS ?? 100);
const ROUNDS = Number(process.env.CORE_PAIR_ROUNDS ?? 21);

/** Calls per second of `call` over at least `ms` milliseconds, in batches of 500. */
async function rate(call, ms) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 500; i++) await call();
    n += 500;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

for (let i = 0; i < 5; i++) {
  await rate(ours, ROUND_MS);
  await rate(peer, ROUND_MS);
}
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which side goes first, so neither always runs on a warmer or a more tired machine.
  let mine;
  let theirs;
  if (r % 2) {
    mine = await rate(ours, ROUND_MS);
    theirs = await rate(peer, ROUND_MS);
  } else {
    theirs = await rate(peer, ROUND_MS);
    mine = await rate(ours, ROUND_MS);
  }
  rounds.push({ ours: mine, peer: theirs, ratio: mine / theirs });
}
console.log(JSON.stringify({ ours: median(rounds.map((r) => r.ours)), peer: median(rounds.map((r) => r.peer)), ratio: median(rounds.map((r) => r.ratio)) }));
