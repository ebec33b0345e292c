// DNS-rebinding guard of a server bound to loopback: a web page on evil.example whose name is made to
// resolve to 127.0.0.1 reaches the local server as same-origin, but its requests carry `Host: evil.example`.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clip } from '../core/errors.js';

/** The names a loopback-bound server always answers. */
const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** True for an address of the loopback interface: 127.0.0.0/8 and ::1, IPv4-mapped included. */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The name and port of a `Host` header, lower case (`[::1]` keeps its brackets); port `undefined` when absent. */
function splitHost(host: string): { name: string; port: string | undefined } {
  const h = host.trim().toLowerCase();
  const close = h.startsWith('[') ? h.indexOf(']') : -1;
  const colon = h.indexOf(':', close + 1);
  return colon === -1 ? { name: h, port: undefined } : { name: h.slice(0, colon), port: h.slice(colon + 1) };
}

/**
 * A check of the `Host` header for a server: `undefined` when the request may be served, else the reason
 * for a 421. Only servers bound to a loopback address are checked; they answer `localhost`, `127.0.0.1`,
 * `[::1]` and the `extra` names, each with the port the server listens on (no port only on port 80).
 */
export function hostCheck(address: () => AddressInfo | undefined, extra: readonly string[]): (req: IncomingMessage) => string | undefined {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((n) => n.toLowerCase())]);
  return (req) => {
    const bound = address();
    if (bound === undefined || !isLoopbackAddress(bound.address)) return undefined;
    const host = req.headers.host;
    if (host !== undefined) {
      const { name, port } = splitHost(host);
      if (names.has(name) && (port === String(bound.port) || (port === undefined && bound.port === 80))) return undefined;
    }
    const got = host === undefined ? 'no Host header' : `Host ${JSON.stringify(clip(host))}`;
    return (
      `This server listens on a loopback address and answers only Host ${[...names].join(', ')} with port ${bound.port}, not ${got}: ` +
      `a guard against DNS rebinding (a web page on another name reaching the local server). Use http://localhost:${bound.port}, ` +
      `or list the name in createServer's "allowedHosts" option.`
    );
  };
}
