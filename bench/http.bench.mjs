// Issue 3 figures: requests/s over loopback for the node adapter, the Express adapter and a bare
// http.createServer returning the same JSON (the ceiling). Each server runs in its own child process;
// one load generator (autocannon, in this process) drives them one after the other in short interleaved
// rounds. On a shared machine the load drifts, so each adapter's ratio is taken against the bare run of
// the same round, and the medians over the rounds are reported.
import { createServer as createBareServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { orderReply as reply, ordersRouter } from './groups.mjs';
import { measure, startServer } from './load.mjs';
import { median } from './median.mjs';

const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 2);
const CONNECTIONS = 100;
const KINDS = ['bare', 'node adapter', 'express adapter'];

async function serve(kind) {
  let server;
  if (kind === 'bare') {
    server = createBareServer((req, res) => {
      const body = JSON.stringify(reply(req.url.slice('/orders/'.length)));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  } else {
    const router = await ordersRouter();
    if (kind === 'node adapter') {
      const { createServer } = await import('../dist/node.js');
      server = createServer(router);
    } else {
      const { default: express } = await import('express');
      const { toExpress } = await import('../dist/express.js');
      const app = express();
      app.disable('x-powered-by');
      app.use(toExpress(router));
      server = createBareServer(app);
    }
  }
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

async function check(kind, url) {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200 || text !== JSON.stringify(reply('A-1001'))) throw new Error(`${kind} answered ${res.status} ${text}`);
}

async function main() {
  const servers = [];
  try {
    for (const kind of KINDS) servers.push({ kind, ...(await startServer(fileURLToPath(import.meta.url), `${kind} server`, kind)) });
    const urls = Object.fromEntries(servers.map((s) => [s.kind, `http://127.0.0.1:${s.port}/orders/A-1001`]));
    for (const kind of KINDS) {
      await check(kind, urls[kind]);
      await measure(kind, { url: urls[kind] }, CONNECTIONS, 1); // warm-up
    }
    const rps = Object.fromEntries(KINDS.map((k) => [k, []]));
    const ratios = Object.fromEntries(KINDS.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of KINDS) rps[kind].push(await measure(kind, { url: urls[kind] }, CONNECTIONS, SECONDS));
      for (const kind of KINDS) ratios[kind].push(rps[kind][round] / rps.bare[round]);
    }
    console.log(`GET /orders/{orderId} over loopback, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s (medians)`);
    console.log(`${'server'.padEnd(18)}${'req/s'.padStart(10)}${'vs bare'.padStart(10)}   req/s per round`);
    for (const kind of KINDS) {
      const rounds = rps[kind].map((x) => Math.round(x)).join(' / ');
      console.log(`${kind.padEnd(18)}${String(Math.round(median(rps[kind]))).padStart(10)}${`${(median(ratios[kind]) * 100).toFixed(0)} %`.padStart(10)}   ${rounds}`);
    }
  } finally {
    for (const s of servers) {
      s.child.removeAllListeners('exit');
      s.child.kill();
    }
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) await serve(process.argv[serveAt + 1]);
else await main();
