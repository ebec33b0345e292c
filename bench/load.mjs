// What the HTTP load benches share: a server in a child process and one autocannon run, checked.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

/**
 * Runs `script --serve ...args` in a child process (the server under load apart from the load generator)
 * and resolves with it and the port it prints once listening; rejects if it exits first, naming `what`.
 */
export function startServer(script, what, ...args) {
  const child = spawn(process.execPath, [script, '--serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
    child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) }));
  });
}

/** Requests/s of one autocannon run; throws when any request failed, so a figure is never of errors. */
export async function measure(name, options, connections, seconds) {
  const r = await autocannon({ ...options, connections, duration: seconds });
  if (r.errors || r.non2xx || r.timeouts) throw new Error(`${name}: ${r.errors} errors, ${r.non2xx} non-2xx, ${r.timeouts} timeouts`);
  return r.requests.average;
}

