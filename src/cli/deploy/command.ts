import { operationsFor } from '../../core/operation.js';
import { lintModule, type CliIo } from '../commands.js';
import { CliError } from '../load-groups.js';
import { deployToAgent, planAgent, type PrepareTiming } from './agent.js';
import type { DeployArgs } from './args.js';
import { beforeSending } from './errors.js';
import { deployToGateway, planGateway } from './gateway.js';

/**
 * `deploy`: lints the module's groups (refusing, with exit code 1 and nothing sent, on any error), then
 * creates or updates each group on the agent or the gateway — or, with `dryRun`, prints the requests as
 * JSON on stdout and sends nothing. Lint results and progress go to stderr. Throws a {@link CliError}
 * (exit code 1) naming what AWS refused.
 */
export async function deployCommand(args: DeployArgs, io: CliIo, timing?: PrepareTiming): Promise<number> {
  // The lint report goes to stderr: stdout carries only what was deployed (or the dry run's JSON).
  const { groups, failed } = await lintModule({ module: args.module, ...(args.exportName !== undefined ? { exportName: args.exportName } : {}) }, { ...io, stdout: io.stderr });
  if (failed) {
    io.stderr.write('Nothing was sent: fix the errors above and run again.\n');
    return 1;
  }
  const deployable = groups.filter((group) => operationsFor(group, 'agent').length > 0);
  for (const group of groups) {
    if (!deployable.includes(group)) io.stderr.write(`${group.name}: no operation an agent may call (all have doors.agent: false); skipped.\n`);
  }
  if (deployable.length === 0) throw new CliError(`${args.module} has no group with an operation an agent may call; nothing was sent.`);
  const { target } = args;
  if (args.dryRun) {
    const plan = beforeSending(() => (target.kind === 'agent' ? planAgent(deployable, target) : planGateway(deployable, target)));
    io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    io.stderr.write('Dry run: nothing was sent.\n');
    return 0;
  }
  if (target.kind === 'agent') await deployToAgent(deployable, target, io, timing);
  else await deployToGateway(deployable, target, io);
  return 0;
}
