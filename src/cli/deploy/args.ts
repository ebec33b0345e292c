// The `deploy` command's options: their parseArgs spec, help text, and the checks that turn the parsed
// values into one deploy target, or a usage message naming the missing or wrong option (exit code 2).

const BIN = 'bedrock-action-groups';

/** How an action group's calls are run: a Lambda, or returned to the InvokeAgent caller. */
export type ActionGroupExecutor = { lambda: string } | { customControl: 'RETURN_CONTROL' };

/** A Bedrock agent (`--agent-id`) to create or update one action group per group on. */
export interface AgentTarget {
  kind: 'agent';
  agentId: string;
  /** `--agent-version`, `DRAFT` unless given (only the draft of an agent can be changed). */
  agentVersion: string;
  executor: ActionGroupExecutor;
  /** Which schema the action group carries: the OpenAPI document or the function details. */
  schema: 'openapi' | 'functions';
  /** Prepare the agent afterwards and wait until it is `PREPARED`. */
  prepare: boolean;
  /** How long to wait for `PREPARED`, in seconds. */
  prepareTimeoutSeconds: number;
}

/** An AgentCore gateway (`--gateway-id`) to create or update one Lambda target per group on. */
export interface GatewayTarget {
  kind: 'gateway';
  gatewayId: string;
  lambdaArn: string;
}

/** What `deploy` was asked to do. */
export interface DeployArgs {
  module: string;
  exportName?: string;
  target: AgentTarget | GatewayTarget;
  /** Print the requests that would be sent, send nothing. */
  dryRun: boolean;
}

/** The default of `--prepare-timeout`, in seconds. */
export const PREPARE_TIMEOUT_SECONDS = 300;
const PREPARE_TIMEOUT_MAX = 3600;

/** The `deploy` options, in the form `node:util` parseArgs takes. */
export const DEPLOY_OPTIONS = {
  'agent-id': { type: 'string' },
  'agent-version': { type: 'string' },
  'lambda-arn': { type: 'string' },
  'return-control': { type: 'boolean' },
  schema: { type: 'string' },
  prepare: { type: 'boolean' },
  'prepare-timeout': { type: 'string' },
  'gateway-id': { type: 'string' },
  'dry-run': { type: 'boolean' },
  export: { type: 'string', short: 'e' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The text of `deploy --help`, also printed after a usage error. */
export const DEPLOY_HELP = `Usage: ${BIN} deploy <module> --agent-id <id> (--lambda-arn <arn> | --return-control)
                 [--agent-version DRAFT] [--schema openapi|functions] [--prepare] [--dry-run]
       ${BIN} deploy <module> --gateway-id <id> --lambda-arn <arn> [--dry-run]

Lints the action groups <module> exports (nothing is sent when any has an error), then for each group:
  --agent-id    creates or updates the agent's action group of the same name (found across every
                page of ListAgentActionGroups) with the generated schema inline;
  --gateway-id  creates or updates the AgentCore Gateway Lambda target named after the group (its
                "_" written as "-") with the generated tool schema inline, called with the gateway's
                IAM role.
AWS region, credentials and endpoints come from the SDK's standard configuration (AWS_REGION,
AWS_PROFILE, AWS_ENDPOINT_URL_BEDROCK_AGENT, AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL, AWS_ENDPOINT_URL, ...).

Options:
      --agent-id <id>         The Bedrock agent to deploy to
      --agent-version <v>     The agent version to change (default: DRAFT)
      --lambda-arn <arn>      The Lambda function that runs the operations
      --return-control        No Lambda: the agent returns each call to the InvokeAgent caller (agents only)
      --schema <kind>         openapi (default: an API schema) or functions (function details)
      --prepare               Then PrepareAgent, and wait until the agent is PREPARED
      --prepare-timeout <s>   How long --prepare waits, in seconds (default: ${PREPARE_TIMEOUT_SECONDS})
      --gateway-id <id>       The AgentCore gateway to deploy to (needs --lambda-arn)
      --dry-run               Print the requests as JSON and send nothing
  -e, --export <name>         Use only this export (an action group or a router)
  -h, --help                  Show this help

Exit codes: 0 deployed (or printed, with --dry-run), 1 lint errors, a request AWS refused, an agent that
failed to prepare or an unusable module, 2 bad usage.
`;

/** The values parseArgs returns for {@link DEPLOY_OPTIONS}. */
export type DeployValues = Record<string, string | boolean | undefined | (string | boolean)[]>;

const AGENT_ID = /^[0-9a-zA-Z]{10}$/;
const GATEWAY_ID = /^([0-9a-z][-]?){1,100}-[0-9a-z]{10}$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9._-]{1,140}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/;

const text = (values: DeployValues, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
const given = (values: DeployValues, name: string) => values[name] !== undefined;

/** A usage problem: the message names the option and what it expects. */
export class UsageProblem {
  constructor(readonly message: string) {}
}

function check(value: string | undefined, pattern: RegExp, option: string, expected: string): string | UsageProblem | undefined {
  if (value === undefined) return undefined;
  return pattern.test(value) ? value : new UsageProblem(`${option} must be ${expected}, got "${value}".`);
}

function agentTarget(values: DeployValues, agentId: string): AgentTarget | UsageProblem {
  const lambda = check(text(values, 'lambda-arn'), LAMBDA_ARN, '--lambda-arn', 'a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)');
  if (lambda instanceof UsageProblem) return lambda;
  const returnControl = values['return-control'] === true;
  if (lambda !== undefined && returnControl) return new UsageProblem('--lambda-arn and --return-control exclude each other: give one.');
  if (lambda === undefined && !returnControl) return new UsageProblem('Missing --lambda-arn <arn> or --return-control: say what runs the action groups.');
  const schema = text(values, 'schema') ?? 'openapi';
  if (schema !== 'openapi' && schema !== 'functions') return new UsageProblem(`--schema must be openapi or functions, got "${schema}".`);
  const agentVersion = text(values, 'agent-version') ?? 'DRAFT';
  if (agentVersion.trim() === '') return new UsageProblem('--agent-version must not be empty (default: DRAFT).');
  const timeout = text(values, 'prepare-timeout');
  let prepareTimeoutSeconds = PREPARE_TIMEOUT_SECONDS;
  if (timeout !== undefined) {
    if (values.prepare !== true) return new UsageProblem('--prepare-timeout applies to --prepare only.');
    prepareTimeoutSeconds = /^\d{1,4}$/.test(timeout) ? Number(timeout) : Number.NaN;
    if (!(prepareTimeoutSeconds >= 1 && prepareTimeoutSeconds <= PREPARE_TIMEOUT_MAX)) {
      return new UsageProblem(`--prepare-timeout must be a whole number of seconds from 1 to ${PREPARE_TIMEOUT_MAX}, got "${timeout}".`);
    }
  }
  return {
    kind: 'agent',
    agentId,
    agentVersion,
    executor: lambda !== undefined ? { lambda } : { customControl: 'RETURN_CONTROL' },
    schema,
    prepare: values.prepare === true,
    prepareTimeoutSeconds,
  };
}

function gatewayTarget(values: DeployValues, gatewayId: string): GatewayTarget | UsageProblem {
  const agentOnly = ['return-control', 'agent-version', 'schema', 'prepare', 'prepare-timeout'].find((name) => given(values, name));
  if (agentOnly) return new UsageProblem(`--${agentOnly} applies to --agent-id only, not to --gateway-id.`);
  const lambdaArn = check(text(values, 'lambda-arn'), LAMBDA_ARN, '--lambda-arn', 'a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)');
  if (lambdaArn instanceof UsageProblem) return lambdaArn;
  if (lambdaArn === undefined) return new UsageProblem('Missing --lambda-arn <arn>: --gateway-id needs the Lambda function the targets call.');
  return { kind: 'gateway', gatewayId, lambdaArn };
}

/**
 * The deploy request the parsed options describe, or a {@link UsageProblem} naming the option that is
 * missing, conflicting or malformed.
 */
export function deployArgs(module: string, exportName: string | undefined, values: DeployValues): DeployArgs | UsageProblem {
  const agentId = check(text(values, 'agent-id'), AGENT_ID, '--agent-id', 'an agent id of 10 letters and digits');
  if (agentId instanceof UsageProblem) return agentId;
  const gatewayId = check(text(values, 'gateway-id'), GATEWAY_ID, '--gateway-id', 'a gateway id such as my-gateway-a1b2c3d4e5');
  if (gatewayId instanceof UsageProblem) return gatewayId;
  if (agentId !== undefined && gatewayId !== undefined) return new UsageProblem('--agent-id and --gateway-id exclude each other: deploy to one at a time.');
  if (agentId === undefined && gatewayId === undefined) {
    return new UsageProblem('Missing --agent-id <id> (a Bedrock agent) or --gateway-id <id> (an AgentCore gateway).');
  }
  const target = agentId !== undefined ? agentTarget(values, agentId) : gatewayTarget(values, gatewayId as string);
  if (target instanceof UsageProblem) return target;
  return { module, ...(exportName !== undefined ? { exportName } : {}), target, dryRun: values['dry-run'] === true };
}
