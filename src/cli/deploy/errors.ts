// What the user reads when AWS refuses a deploy request: the IAM action to grant, the id that names
// nothing, or the service's own validation message, word for word. Never a stack.
import { CliError } from '../load-groups.js';

/** One request `deploy` sends, described for its error message. */
export interface Call {
  /** The IAM service prefix of the action. */
  service: 'bedrock' | 'bedrock-agentcore';
  /** The API action, e.g. `CreateAgentActionGroup` (also the IAM action's name). */
  action: string;
  /** What the request addresses, e.g. `agent ABCDEFGHIJ (version DRAFT) in us-east-1`. */
  resource: string;
  /** The action group the request is for, when it is for one. */
  group?: string;
}

const SERVICE_NAME = { bedrock: 'Bedrock', 'bedrock-agentcore': 'AgentCore' } as const;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

function field(error: unknown, name: string): string {
  const value = typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** A {@link CliError} saying in words why `call` failed. */
export function explain(error: unknown, call: Call): CliError {
  const name = field(error, 'name');
  const message = field(error, 'message') || String(error);
  const forGroup = call.group !== undefined ? ` for action group "${call.group}"` : '';
  const service = SERVICE_NAME[call.service];
  switch (name) {
    case 'AccessDeniedException':
      return new CliError(`Access denied: ${call.action}${forGroup} needs the IAM permission ${call.service}:${call.action} on ${call.resource}. AWS said: ${message}`);
    case 'ResourceNotFoundException':
      return new CliError(`Unknown ${call.resource}: ${call.action} found no such resource; check the id and the region. AWS said: ${message}`);
    case 'ValidationException':
      return new CliError(`${service} refused ${call.action}${forGroup}: ${message}`);
    case 'ConflictException':
      return new CliError(`${call.action}${forGroup} conflicts with the current state of ${call.resource} (is another change in progress?): ${message}`);
    case 'CredentialsProviderError':
      return new CliError(`No AWS credentials for ${call.action}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. (${message})`);
  }
  if (message === 'Region is missing') return new CliError(`No AWS region for ${call.action}: set AWS_REGION, or use a profile that has a region.`);
  if (NETWORK_CODES.has(field(error, 'code'))) return new CliError(`Cannot reach the ${service} endpoint for ${call.action}: ${message}`);
  return new CliError(`${call.action}${forGroup} failed: ${name ? `${name}: ` : ''}${message}`);
}

/** Runs one request; its failure becomes the {@link CliError} {@link explain} words. */
export async function send<T>(call: Call, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw explain(error, call);
  }
}

/**
 * Imports an optional peer SDK, or explains how to install it: the deploy targets load their AWS client
 * only when asked for, so the other commands work without it.
 */
export async function importPeer<T>(load: () => Promise<T>, name: string, option: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (field(error, 'code') !== 'ERR_MODULE_NOT_FOUND' && field(error, 'code') !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError(`deploy ${option} needs ${name}: install it with "npm install --save-dev ${name}".`);
  }
}

/**
 * Makes the request bodies before anything is sent; a group the schemas cannot describe stops the
 * deploy with its message, nothing changed.
 */
export function beforeSending<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${(error as Error).message} Nothing was sent.`);
  }
}
