// Open inputs of `deploy`: option values a user types, and list pages a service returns.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { deployArgs, UsageProblem } from '../../../src/cli/deploy/args.js';
import { allPages } from '../../../src/cli/deploy/pages.js';
import { CliError } from '../../../src/cli/load-groups.js';
import { cli, ROOT } from '../support.js';

const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:tools';

describe('deploy options', () => {
  test('any --agent-id that is not 10 letters and digits is bad usage naming --agent-id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }).filter((s) => !/^[0-9a-zA-Z]{10}$/.test(s)), (agentId) => {
        const args = deployArgs('m.js', undefined, { 'agent-id': agentId, 'lambda-arn': LAMBDA });
        expect(args).toBeInstanceOf(UsageProblem);
        expect((args as UsageProblem).message).toBe(`--agent-id must be an agent id of 10 letters and digits, got "${agentId}".`);
      }),
    );
  });

  test('a valid agent id, a Lambda ARN and the defaults', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-zA-Z]{10}$/), fc.stringMatching(/^[a-zA-Z0-9._-]{1,64}$/), (agentId, fn) => {
        const lambda = `arn:aws:lambda:eu-west-1:123456789012:function:${fn}`;
        expect(deployArgs('m.js', undefined, { 'agent-id': agentId, 'lambda-arn': lambda })).toEqual({
          module: 'm.js',
          target: { kind: 'agent', agentId, agentVersion: 'DRAFT', executor: { lambda }, schema: 'openapi', prepare: false, prepareTimeoutSeconds: 300 },
          dryRun: false,
        });
      }),
    );
  });

  test('--help prints the deploy help; the command list names deploy', async () => {
    const help = await cli(['deploy', '--help'], ROOT);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--prepare-timeout <s>');
    expect((await cli(['--help'], ROOT)).stdout).toContain('deploy <module>    Create or update the groups on a Bedrock agent or an AgentCore gateway');
  });
});

describe('allPages', () => {
  test('returns every item of every page, in order, whatever the page sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.string(), { maxLength: 5 }), { minLength: 1, maxLength: 8 }), async (pages) => {
        const asked: (string | undefined)[] = [];
        const items = await allPages('ListThings', async (token) => {
          asked.push(token);
          const index = token === undefined ? 0 : Number(token.slice(1));
          return { items: pages[index], ...(index + 1 < pages.length ? { nextToken: `t${index + 1}` } : {}) };
        });
        expect(items).toEqual(pages.flat());
        expect(asked).toEqual(pages.map((_, i) => (i === 0 ? undefined : `t${i}`)));
      }),
    );
  });

  test('a service that hands out the same token twice is stopped with an error', async () => {
    const walk = allPages('ListThings', async () => ({ items: ['a'], nextToken: 'same' }));
    await expect(walk).rejects.toThrow(CliError);
    await expect(allPages('ListThings', async () => ({ items: ['a'], nextToken: 'same' }))).rejects.toThrow('ListThings returned the page token "same" twice; stopped listing.');
  });
});
