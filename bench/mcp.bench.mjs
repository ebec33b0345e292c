// Issue 14 figures: round trips/s of one operation called as an MCP tool over Streamable HTTP (stateless:
// one POST per tools/call, in both protocol eras) beside the same operation over the plain HTTP door,
// against one node-adapter server in a child process. The requests are the ones the SDK's own client
// sends (recorded once), replayed by autocannon in short interleaved rounds; medians are reported.
import { fileURLToPath } from 'node:url';
import { ordersRouter } from './groups.mjs';
import { measure, startServer } from './load.mjs';
import { median } from './median.mjs';

const ROUNDS = Number(process.env.MCP_BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.MCP_BENCH_SECONDS ?? 2);
const CONNECTIONS = 10;

async function serve() {
  const { createServer } = await import('../dist/node.js');
  const server = createServer(await ordersRouter({ mcp: true }));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

/** The tools/call request the SDK client sends in an era, recorded from a real call (which is checked). */
async function recordedCall(base, era) {
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
  let recorded;
  const fetchAndRecord = async (url, init) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (body?.includes('"tools/call"')) recorded = { method: 'POST', headers: Object.fromEntries(new Headers(init.headers)), body };
    return fetch(url, init);
  };
  const client = new Client({ name: 'bench', version: '1' }, era);
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { fetch: fetchAndRecord }));
  const result = await client.callTool({ name: 'getOrder', arguments: { orderId: 'A-1001' } });
  if (result.structuredContent?.status !== 'shipped') throw new Error(`tools/call answered ${JSON.stringify(result)}`);
  await client.close();
  return recorded;
}

async function main() {
  const { child, port } = await startServer(fileURLToPath(import.meta.url), 'server');
  try {
    const base = `http://127.0.0.1:${port}`;
    const plain = await fetch(`${base}/orders/A-1001`);
    if (plain.status !== 200) throw new Error(`GET answered ${plain.status}`);
    const kinds = {
      'HTTP door GET': { url: `${base}/orders/A-1001` },
      'MCP tools/call, 2025': { url: `${base}/mcp`, ...(await recordedCall(base, {})) },
      'MCP tools/call, 2026-07-28': { url: `${base}/mcp`, ...(await recordedCall(base, { versionNegotiation: { mode: { pin: '2026-07-28' } } })) },
    };
    const names = Object.keys(kinds);
    for (const name of names) await measure(name, kinds[name], CONNECTIONS, 1); // warm-up
    const rps = Object.fromEntries(names.map((n) => [n, []]));
    const ratios = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) rps[name].push(await measure(name, kinds[name], CONNECTIONS, SECONDS));
      for (const name of names) ratios[name].push(rps[name][round] / rps[names[0]][round]);
    }
    console.log(`getOrder over loopback (node adapter), ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s (medians)`);
    console.log(`${'call'.padEnd(28)}${'req/s'.padStart(10)}${'vs HTTP'.padStart(10)}   req/s per round`);
    for (const name of names) {
      const rounds = rps[name].map((x) => Math.round(x)).join(' / ');
      console.log(`${name.padEnd(28)}${String(Math.round(median(rps[name]))).padStart(10)}${`${(median(ratios[name]) * 100).toFixed(0)} %`.padStart(10)}   ${rounds}`);
    }
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
