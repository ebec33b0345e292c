// DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 reaches a loopback server as
// same-origin, but its requests say `Host: evil.example:port`. createServer answers those with a 421.
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionGroup, createRouter } from '../../src/index.js';
import { createServer, type ActionServer, type NodeServerOptions } from '../../src/adapters/node.js';
import { memoryLogger } from '../support/logger.js';
import { rawRequest } from './sockets.js';

const group = actionGroup({ name: 'Local', description: 'Local' }).operation({ name: 'ping', method: 'GET', path: '/ping', description: 'Pong.', input: z.object({}), handler: () => ({ pong: true }) });

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));

let server: ActionServer | undefined;
afterEach(async () => {
  await server?.shutdown(100);
  server = undefined;
});

async function start(host: string, options: NodeServerOptions = {}): Promise<{ base: string; port: number }> {
  server = createServer(createRouter({ logger: memoryLogger().logger }).add(group), options);
  await new Promise<void>((resolve) => server!.listen(0, host, () => resolve()));
  const port = (server.address() as { port: number }).port;
  return { base: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port };
}

const hostOf = (base: string, host: string) => rawRequest(base.replace('[::1]', '127.0.0.1'), { path: '/ping', headers: { host } });

describe('createServer: Host check on loopback (DNS rebinding)', () => {
  it('answers localhost, 127.0.0.1 and [::1] with the right port, in any case', async () => {
    const { base, port } = await start('127.0.0.1');
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
      const reply = await hostOf(base, host);
      expect(reply.status, host).toBe(200);
      expect(JSON.parse(reply.text)).toEqual({ pong: true });
    }
    expect((await fetch(`${base}/ping`)).status).toBe(200);
  });

  it('answers 421 for another name, the wrong port, or no port, with a message saying why', async () => {
    const { base, port } = await start('127.0.0.1');
    for (const host of [`evil.example:${port}`, `localhost:${port + 1}`, 'localhost', `localhost.:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const reply = await hostOf(base, host);
      expect(reply.status, host).toBe(421);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(JSON.parse(reply.text).error).toEqual({
        code: 'MISDIRECTED_REQUEST',
        message:
          `This server listens on a loopback address and answers only Host localhost, 127.0.0.1, [::1] with port ${port}, not Host ${JSON.stringify(host)}: ` +
          `a guard against DNS rebinding (a web page on another name reaching the local server). Use http://localhost:${port}, or list the name in createServer's "allowedHosts" option.`,
      });
    }
  });

  it.skipIf(!hasIpv6Loopback)('checks an IPv6 loopback bind too', async () => {
    const { port } = await start('::1');
    const ask = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '::1', port, path: '/ping', headers: { host }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end();
      });
    expect(await ask(`[::1]:${port}`)).toBe(200);
    expect(await ask(`evil.example:${port}`)).toBe(421);
  });

  it('takes more names from allowedHosts, and any Host with allowedHosts: true', async () => {
    const listed = await start('127.0.0.1', { allowedHosts: ['dev.example.test'] });
    expect((await hostOf(listed.base, `dev.example.test:${listed.port}`)).status).toBe(200);
    expect((await hostOf(listed.base, `evil.example:${listed.port}`)).status).toBe(421);
    await server!.shutdown(100);
    const open = await start('127.0.0.1', { allowedHosts: true });
    expect((await hostOf(open.base, `evil.example:${open.port}`)).status).toBe(200);
  });

  it('does not check a server listening on every interface', async () => {
    server = createServer(createRouter({ logger: memoryLogger().logger }).add(group));
    await new Promise<void>((resolve) => server!.listen(0, '0.0.0.0', () => resolve()));
    const port = (server.address() as { port: number }).port;
    expect((await rawRequest(`http://127.0.0.1:${port}`, { path: '/ping', headers: { host: 'api.example.com' } })).status).toBe(200);
  });
});
