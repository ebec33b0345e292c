import { Writable } from 'node:stream';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Router } from '../../router.js';
import { toMcpServer, type McpServerOptions } from './server.js';

/** What {@link serveMcpStdio} returns. */
export interface McpStdioHandle {
  /** Ends the connection and gives `process.stdout` back. */
  close(): Promise<void>;
}

/**
 * Serves the router's tools as an MCP server over this process's stdin and stdout (what `claude mcp add`
 * or `npx @modelcontextprotocol/inspector` run), for 2025 and 2026-07-28 clients alike. Nothing but
 * JSON-RPC reaches stdout: while it serves, anything else written to `process.stdout` (the router's
 * default logger, `console.log` in a handler) goes to stderr.
 */
export function serveMcpStdio(router: Router, options: McpServerOptions = {}): McpStdioHandle {
  // Build once now, so a tool that cannot be listed fails here rather than on the client's first request.
  toMcpServer(router, options);
  const stdout = process.stdout;
  const write = stdout.write;
  const wire = new Writable({ write: (chunk, encoding, done) => void write.call(stdout, chunk, encoding, done) });
  stdout.write = ((...args: Parameters<typeof process.stderr.write>) => process.stderr.write(...args)) as typeof stdout.write;
  const handle = serveStdio(() => toMcpServer(router, options), { transport: new StdioServerTransport(process.stdin, wire) });
  return {
    close: async () => {
      await handle.close();
      stdout.write = write;
    },
  };
}
