// Documents: BENCH_DOCS_UPLOADS (default 200) uploads of 1 MB (base64 in JSON, as the web app sends them)
// and BENCH_DOCS_PROMPTS (default 200) prompts, each with the session's file, through the node adapter on
// loopback with RS256 Cognito tokens, PGlite (in memory) and s3rver. InvokeAgent is the local HTTP/2
// stand-in of the tests, answering three event-stream chunks. s3rver and the stand-in run in a child
// process, so this process's peak RSS is the service's (router, PGlite, SDK clients) plus the load
// generator's. BENCH_DOCS_CONCURRENCY (default 4) requests in flight. Beside the uploads, their ceiling:
// the same bytes sent straight to s3rver with PutObject by the same client.
//   node bench/run.mjs documents        BENCH_DOCS_UPLOADS=50 node bench/documents.bench.mjs
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUCKET = 'bench-docs';
const UPLOADS = Number(process.env.BENCH_DOCS_UPLOADS ?? 200);
const PROMPTS = Number(process.env.BENCH_DOCS_PROMPTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_DOCS_CONCURRENCY ?? 4);
const POOL = 'eu-west-1_BenchPool1';
const CLIENT = 'bench-client';

// ---------------------------------------------------------------------------------------------------
// Child: s3rver and the InvokeAgent stand-in.
if (process.argv[2] === '--servers') {
  const S3rver = createRequire(import.meta.url)('s3rver');
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.argv[3], configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3rver.run();
  const { startInvokeAgentServer } = await import('../test/support/invoke-agent-server.ts');
  const agent = await startInvokeAgentServer((request) => {
    const files = request.body.sessionState?.files?.length ?? 0;
    return [{ type: 'chunk', text: 'Según el documento, ' }, { type: 'chunk', text: `(${files} archivo) ` }, { type: 'chunk', text: 'el total es 120 USD.' }];
  });
  process.send({ s3: `http://127.0.0.1:${port}`, agent: agent.endpoint });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `count` calls with `CONCURRENCY` in flight; resolves the sorted latencies (ms). */
async function load(count, call) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await call(i);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const directory = mkdtempSync(join(tmpdir(), 'bench-docs-'));
  const child = fork(fileURLToPath(import.meta.url), ['--servers', directory], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const endpoints = await new Promise((resolve) => child.once('message', resolve));
  try {
    const [{ PGlite }, { S3Client }, { BedrockAgentRuntimeClient }, jose, { createRouter, createLogger }, { cognitoJwt }, { bedrockAgent, documentsApi }, { createServer }, { postgresStore, s3Blobs }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-bedrock-agent-runtime'),
      import('jose'),
      import('../dist/index.js'),
      import('../dist/auth.js'),
      import('../dist/documents.js'),
      import('../dist/node.js'),
      import('../dist/stores.js'),
    ]);
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
    const token = `Bearer ${await new jose.SignJWT({ sub: 'bench-user', token_use: 'id', 'cognito:groups': ['Agent'] }).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer(`https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`).setAudience(CLIENT).setIssuedAt().setExpirationTime('1h').sign(privateKey)}`;

    const db = new PGlite();
    const store = postgresStore({ client: db });
    await store.migrate();
    const s3 = new S3Client({ endpoint: endpoints.s3, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const runtime = new BedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: endpoints.agent, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    const router = createRouter({ logger: createLogger({ level: 'error' }), authenticate: cognitoJwt({ userPoolId: POOL, clientId: CLIENT, jwks: { keys: [jwk] } }) });
    router.add(documentsApi({ store, blobs: s3Blobs({ bucket: BUCKET, client: s3 }), agent: bedrockAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', client: runtime, router }) }), { prefix: '/bocppocia-bedrock' });
    const server = createServer(router);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${server.address().port}/bocppocia-bedrock`;
    const post = async (path, body) => {
      const reply = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body });
      const text = await reply.text();
      if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    };

    // 1 MB of text (a CSV-like export): its base64 is the body of each upload.
    const line = 'fecha,cliente,concepto,monto\n2026-03-01,ACME,servicio mensual,120.00\n';
    const megabyte = Buffer.from(line.repeat(Math.ceil(1_000_000 / line.length))).subarray(0, 1_000_000);
    const encoded = megabyte.toString('base64');
    const uploadBody = (i) => JSON.stringify({ fileBase64: encoded, fileName: `export-${i}.csv`, fileType: 'text/csv', sessionId: `bench-${i % 20}` });
    globalThis.gc?.();
    const idleRss = process.memoryUsage().rss;
    const uploads = await load(UPLOADS, (i) => post('/upload', uploadBody(i)));
    // Each prompt gets its session's files, at most recentFiles (5) of them.
    const perSession = Math.min(5, Math.ceil(UPLOADS / 20));
    const prompts = await load(PROMPTS, (i) => post('/prompt', JSON.stringify({ prompt: '¿Cuál es el total?', sessionId: `bench-${i % 20}` })).then((r) => {
      if (r.records.files.length !== perSession || !r.records.response.includes(`(${perSession} archivo)`)) throw new Error(`unexpected answer ${JSON.stringify(r.records)}`);
    }));
    // The ceiling of the upload: the same bytes put straight into s3rver by the same client, nothing else.
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const direct = await load(UPLOADS, (i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `direct/${i}.csv`, Body: megabyte, ContentType: 'text/csv' })));
    const stored = await store.listFiles({ ownerId: 'bench-user', limit: 1 });
    const history = await store.listConversations({ ownerId: 'bench-user', limit: 1 });
    if (stored.total !== UPLOADS || history.total !== PROMPTS) throw new Error(`stored ${stored.total} files and ${history.total} conversations`);

    const row = (name, { latencies, seconds }) =>
      `${name.padEnd(26)} ${String(latencies.length).padStart(5)} ${(latencies.length / seconds).toFixed(1).padStart(8)} ${percentile(latencies, 50).toFixed(1).padStart(9)} ${percentile(latencies, 99).toFixed(1).padStart(9)}`;
    console.log(`documents API through the node adapter (${CONCURRENCY} in flight; PGlite, s3rver, InvokeAgent stand-in over HTTP/2)`);
    console.log(`${'request'.padEnd(26)} ${'count'.padStart(5)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
    console.log(row('POST /upload (1 MB)', uploads));
    console.log(row('  ceiling: PutObject 1 MB', direct));
    console.log(row(`POST /prompt (${perSession} files)`, prompts));
    console.log(`RSS of this process: ${(idleRss / 1048576).toFixed(0)} MB before the load (PGlite in memory, SDKs loaded), ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB at its peak`);
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections?.();
    runtime.destroy();
    s3.destroy();
    await db.close();
  } finally {
    child.disconnect();
    rmSync(directory, { recursive: true, force: true });
  }
}
