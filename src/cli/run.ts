import { parseArgs, type ParseArgsConfig } from 'node:util';
import { lintCommand, openApiCommand, type CliIo } from './commands.js';
import { DEPLOY_HELP, DEPLOY_OPTIONS, deployArgs, UsageProblem, type DeployValues } from './deploy/args.js';
import { deployCommand } from './deploy/command.js';
import { CliError } from './load-groups.js';
import { LIBRARY_VERSION } from '../core/version.js';

const BIN = 'bedrock-action-groups';

const TOP_HELP = `Usage: ${BIN} <command> [options]

Commands:
  openapi <module>   Lint the action groups a module exports and write their schemas
  lint <module>      Lint the action groups a module exports; write nothing
  deploy <module>    Create or update the groups on a Bedrock agent or an AgentCore gateway
  mcp <module>       Serve the action groups a module exports as an MCP server over stdio

<module> is a built JavaScript file, or a TypeScript file on Node >= 22.18. Its exported action
groups and routers (router.groups) are used, each group once.

Run "${BIN} <command> --help" for a command's options, "${BIN} --version" for the version.

Exit codes:
  0  success (lint warnings, if any, are printed)
  1  a lint error (or, with --strict, a warning), stale schemas (--check), a module that cannot be used,
     or a deploy request AWS refused
  2  bad usage
`;

const OPENAPI_HELP = `Usage: ${BIN} openapi <module> [--out <dir>] [--export <name>] [--check] [--strict]

Lints the action groups <module> exports against Bedrock's rules, then writes for each group:
  <group>.openapi.json    OpenAPI 3.0.0 schema (action group with an API schema)
  <group>.functions.json  function details (action group defined by functions)
  <group>.agentcore.json  tool definitions (AgentCore Gateway Lambda target)
Errors (what Bedrock rejects) and warnings (advice) are listed. Nothing is written when any group
has an error, and the exit code is 1; warnings alone do not stop the writing unless --strict.

Options:
  -o, --out <dir>      Folder to write into (default: openapi/)
  -e, --export <name>  Use only this export (an action group or a router)
      --check          Write nothing; exit 1 naming the files that are missing or differ
      --strict         Treat warnings as errors: write nothing and exit 1 when there is any
  -h, --help           Show this help

Exit codes: 0 written (or up to date), 1 lint errors (--strict: or warnings), stale files or an unusable
module, 2 bad usage.
`;

const LINT_HELP = `Usage: ${BIN} lint <module> [--export <name>] [--strict]

Lints the action groups <module> exports against Bedrock's rules (operation count, names, tool
name length, descriptions and their lengths, parameter types, unique operationIds) and lists every
error, and every warning (advice: undescribed fields of array items, very short descriptions, long
GET parameter lists, repeated descriptions). Writes nothing.

Options:
  -e, --export <name>  Use only this export (an action group or a router)
      --strict         Treat warnings as errors (exit 1 when there is any)
  -h, --help           Show this help

Exit codes: 0 no errors (warnings are printed), 1 errors (--strict: or warnings) or an unusable module,
2 bad usage.
`;

const MCP_HELP = `Usage: ${BIN} mcp <module> [--export <name>]

Serves the action groups <module> exports as an MCP server on stdin and stdout (stdio transport), one
tool per operation agents may call, until the client closes stdin. For MCP clients that start servers
themselves, e.g. claude mcp add tickets -- npx ${BIN} mcp ./dist/tools.js
Only JSON-RPC is written to stdout; logs go to stderr. Calls run with no caller identity, so
role-restricted tools answer an error result (serve them with serveMcpStdio(router, { caller })).
Needs @modelcontextprotocol/server installed.

Options:
  -e, --export <name>  Use only this export (an action group or a router)
  -h, --help           Show this help

Exit codes: 0 the client closed the connection, 1 a module that cannot be used, 2 bad usage.
`;

const COMMANDS = {
  openapi: { help: OPENAPI_HELP, options: { out: { type: 'string', short: 'o' }, export: { type: 'string', short: 'e' }, check: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
  lint: { help: LINT_HELP, options: { export: { type: 'string', short: 'e' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
  deploy: { help: DEPLOY_HELP, options: DEPLOY_OPTIONS },
  mcp: { help: MCP_HELP, options: { export: { type: 'string', short: 'e' }, help: { type: 'boolean', short: 'h' } } },
} as const;

type CommandName = keyof typeof COMMANDS;

function usageError(io: CliIo, message: string, help: string): number {
  io.stderr.write(`${message}\n\n${help}`);
  return 2;
}

/**
 * Runs the `bedrock-action-groups` command line with `argv` (without `node` and the script) and returns
 * the exit code: 0 success (lint warnings may have been printed), 1 lint errors (with `--strict`, warnings
 * too), stale schemas or a module that cannot be used, 2 bad usage.
 * Output goes to `io.stdout`/`io.stderr`; relative paths start at `io.cwd`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(TOP_HELP);
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`${LIBRARY_VERSION}\n`);
    return 0;
  }
  if (command === undefined) return usageError(io, 'No command given.', TOP_HELP);
  if (!Object.hasOwn(COMMANDS, command)) return usageError(io, `Unknown command "${command}".`, TOP_HELP);
  const spec = COMMANDS[command as CommandName];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    const options: ParseArgsConfig['options'] = spec.options;
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(io, (error as Error).message, spec.help);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(spec.help);
    return 0;
  }
  if (positionals.length !== 1) {
    return usageError(io, positionals.length === 0 ? 'Missing <module>.' : `Expected one <module>, got ${positionals.length}: ${positionals.join(' ')}.`, spec.help);
  }
  const options = { module: positionals[0] as string, strict: values.strict === true, ...(typeof values.export === 'string' ? { exportName: values.export } : {}) };
  try {
    if (command === 'lint') return await lintCommand(options, io);
    if (command === 'deploy') {
      const args = deployArgs(options.module, options.exportName, values as DeployValues);
      return args instanceof UsageProblem ? usageError(io, args.message, spec.help) : await deployCommand(args, io);
    }
    // Loaded only for this command, so the others work without the MCP SDK installed.
    if (command === 'mcp') return await (await import('./mcp-command.js')).mcpCommand(options, io);
    return await openApiCommand({ ...options, out: typeof values.out === 'string' ? values.out : 'openapi/', check: values.check === true }, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
}
