import { serveMcpStdio } from '../adapters/mcp/index.js';
import { createLogger } from '../core/logger.js';
import { createRouter } from '../router.js';
import type { CliIo, CommandOptions } from './commands.js';
import { CliError, loadGroups } from './load-groups.js';

/**
 * `mcp`: serves the groups a module exports as an MCP server on stdin/stdout until the client closes
 * stdin. Only JSON-RPC goes to stdout; the start-up line and every log line go to stderr.
 */
export async function mcpCommand(options: Pick<CommandOptions, 'module' | 'exportName'>, io: CliIo): Promise<number> {
  // What the module prints while it loads must not reach the client as if it were JSON-RPC.
  const write = process.stdout.write;
  process.stdout.write = ((...args: Parameters<typeof process.stderr.write>) => process.stderr.write(...args)) as typeof write;
  let groups: Awaited<ReturnType<typeof loadGroups>>;
  try {
    groups = await loadGroups(options.module, io.cwd, options.exportName);
  } finally {
    process.stdout.write = write;
  }
  const router = createRouter({ logger: createLogger({ write: (line) => void io.stderr.write(`${line}\n`) }) });
  let handle: ReturnType<typeof serveMcpStdio>;
  try {
    for (const group of groups) router.add(group);
    handle = serveMcpStdio(router);
  } catch (error) {
    throw new CliError(`Cannot serve ${options.module} over MCP: ${(error as Error).message}`);
  }
  io.stderr.write(`MCP server on stdio: ${groups.map((g) => g.name).join(', ')}\n`);
  await new Promise<void>((resolve) => {
    if (process.stdin.readableEnded) resolve();
    else process.stdin.once('end', resolve).once('close', resolve);
  });
  await handle.close();
  return 0;
}
