// documentsApi.fromEnv: the agent and the limits the environment names (the store and blobs: kit/stores-from-env).
import { bedrockAgent } from '../../agents/bedrock-agent.js';
import type { Agent } from '../../agents/types.js';
import { envPositiveInt, envString, MissingEnvError, type Env } from '../../kit/env.js';

/** A Bedrock agent from `BEDROCK_AGENT_ID` + `BEDROCK_AGENT_ALIAS_ID` (`AWS_REGION`), or the error naming what is missing. */
export function agentFromEnv(env: Env): Agent | MissingEnvError {
  const agentId = envString(env, 'BEDROCK_AGENT_ID');
  const agentAliasId = envString(env, 'BEDROCK_AGENT_ALIAS_ID');
  if (!agentId || !agentAliasId) return new MissingEnvError('documentsApi.fromEnv', [...(agentId ? [] : ['BEDROCK_AGENT_ID']), ...(agentAliasId ? [] : ['BEDROCK_AGENT_ALIAS_ID'])]);
  const region = envString(env, 'AWS_REGION');
  return bedrockAgent({ agentId, agentAliasId, ...(region ? { region } : {}) });
}

/** `MAX_FILE_BYTES`, when set. */
export function maxFileBytesFromEnv(env: Env): number | undefined {
  return envPositiveInt(env, 'MAX_FILE_BYTES');
}
