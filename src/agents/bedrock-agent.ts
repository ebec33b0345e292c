import type { BedrockAgentRuntimeClient, InputFile, InvokeAgentCommandInput, ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { ActionError, isActionError } from '../core/errors.js';
import type { ReturnControlPayload, ReturnControlResult } from '../doors/return-control.js';
import type { Router } from '../router.js';
import type { Agent, AgentEvent, AgentFile, AskRequest } from './types.js';

/** An agent and alias pair a client may name. */
export interface AgentPair {
  agentId: string;
  agentAliasId: string;
}

/** Options of {@link bedrockAgent}. */
export interface BedrockAgentOptions {
  /** The agent questions go to by default. */
  agentId: string;
  /** Its alias. */
  agentAliasId: string;
  /**
   * The Bedrock Agent Runtime client, or a function returning one (called at every question). Default: a
   * `BedrockAgentRuntimeClient` in `region`, made on the first question.
   */
  client?: BedrockAgentRuntimeClient | (() => BedrockAgentRuntimeClient);
  /** Region of the default client (default: the SDK's, from `AWS_REGION`). */
  region?: string;
  /** Other pairs a request may name with `agentId` + `agentAliasId` (default none: only the configured pair). */
  allowed?: readonly AgentPair[];
  /**
   * The router that runs the agent's return-of-control requests, as the asking caller. Without it, an agent
   * that returns control is a 502.
   */
  router?: Router;
  /** Most return-of-control rounds for one question; one more is a 502 (default 5). */
  maxReturnControlRounds?: number;
  /** Ask InvokeAgent for its trace events (ignored here, but billed and logged by Bedrock) (default `false`). */
  enableTrace?: boolean;
  /** How the agent uses the attached files: `'CHAT'` (default) or `'CODE_INTERPRETER'`. */
  fileUseCase?: 'CHAT' | 'CODE_INTERPRETER';
}

/** InvokeAgent's documented limits on `sessionState.files`: at most 5 files, 10 MB in all. */
export const MAX_AGENT_FILES = 5;
/** Largest total size of the files of one InvokeAgent call, in bytes (10 MB). */
export const MAX_AGENT_FILE_BYTES = 10 * 1024 * 1024;
/** Seconds a throttled client is told to wait when Bedrock does not say. */
const RETRY_AFTER_SECONDS = 5;

const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;
type Sdk = typeof import('@aws-sdk/client-bedrock-agent-runtime');

function checkPair(owner: string, pair: AgentPair, where: string): AgentPair {
  for (const key of ['agentId', 'agentAliasId'] as const) {
    const value = pair?.[key];
    if (typeof value !== 'string' || !/^[0-9a-zA-Z]{1,10}$/.test(value)) throw new Error(`${owner}: "${where}${key}" must be a Bedrock ${key === 'agentId' ? 'agent' : 'alias'} id (up to 10 letters and digits), got ${JSON.stringify(value)}`);
  }
  return { agentId: pair.agentId, agentAliasId: pair.agentAliasId };
}

/**
 * An {@link Agent} on Bedrock Agents' InvokeAgent (`@aws-sdk/client-bedrock-agent-runtime`, loaded on the
 * first question). Text chunks are yielded as they arrive (with `stream: true`, InvokeAgent streams the
 * final answer as it is generated: `streamFinalResponse`). The files go as `sessionState.files` with S3
 * sources, within InvokeAgent's limits (5 files, 10 MB; more is a 400); files not on S3 are a 400. When the
 * agent returns control, the invocation runs through `router.returnControl(payload, { caller })` as the
 * asking caller and InvokeAgent is called again with the results and the `invocationId`, at most
 * `maxReturnControlRounds` times. Upstream failures are `ActionError`s: throttling 503 with `Retry-After`,
 * a timeout 504, anything else 502 naming the upstream error and status. An abort of `signal` stops the call.
 */
export function bedrockAgent(options: BedrockAgentOptions): Agent {
  const owner = 'bedrockAgent';
  const main = checkPair(owner, options as AgentPair, '');
  const allowed = [main, ...(options.allowed ?? []).map((p, i) => checkPair(owner, p, `allowed[${i}].`))];
  const maxRounds = options.maxReturnControlRounds ?? 5;
  if (!Number.isInteger(maxRounds) || maxRounds < 0) throw new Error(`${owner}: "maxReturnControlRounds" must be a whole number, 0 or more, got ${String(options.maxReturnControlRounds)}`);
  const useCase = options.fileUseCase ?? 'CHAT';
  if (useCase !== 'CHAT' && useCase !== 'CODE_INTERPRETER') throw new Error(`${owner}: "fileUseCase" must be "CHAT" or "CODE_INTERPRETER"`);
  if (options.client !== undefined && typeof options.client !== 'object' && typeof options.client !== 'function') throw new Error(`${owner}: "client" must be a BedrockAgentRuntimeClient or a function returning one`);
  const router = options.router;
  let sdk: Promise<Sdk> | undefined;
  let made: BedrockAgentRuntimeClient | undefined;
  const clientOf = (module: Sdk): BedrockAgentRuntimeClient => {
    const given = options.client;
    if (typeof given === 'function') return given();
    return given ?? (made ??= new module.BedrockAgentRuntimeClient(options.region ? { region: options.region } : {}));
  };

  async function* ask(request: AskRequest): AsyncGenerator<AgentEvent> {
    const pair = pairOf(request, allowed);
    if (typeof request.sessionId !== 'string' || !SESSION_ID.test(request.sessionId)) throw new ActionError(400, '"sessionId" must be 2 to 100 letters, digits or . _ : - (InvokeAgent\'s session id)', { code: 'BAD_REQUEST' });
    const files = sessionFiles(request.files, useCase);
    const module = await (sdk ??= import('@aws-sdk/client-bedrock-agent-runtime'));
    const client = clientOf(module);
    const { signal } = request;
    const base = { agentId: pair.agentId, agentAliasId: pair.agentAliasId, sessionId: request.sessionId, enableTrace: options.enableTrace ?? false };
    let input: InvokeAgentCommandInput = {
      ...base,
      inputText: request.prompt,
      ...(files.length ? { sessionState: { files } } : {}),
      ...(request.stream ? { streamingConfigurations: { streamFinalResponse: true } } : {}),
    };
    let text = '';
    let rounds = 0;
    for (;;) {
      let control: ReturnControlPayload | undefined;
      try {
        const reply = await client.send(new module.InvokeAgentCommand(input), { abortSignal: signal });
        const decoder = new TextDecoder();
        for await (const event of (reply.completion ?? []) as AsyncIterable<ResponseStream>) {
          if (event.chunk?.bytes) {
            const piece = decoder.decode(event.chunk.bytes, { stream: true });
            if (piece) {
              text += piece;
              yield { type: 'chunk', text: piece };
            }
          } else if (event.returnControl) {
            control = event.returnControl as ReturnControlPayload;
          }
        }
        const rest = decoder.decode();
        if (rest) {
          text += rest;
          yield { type: 'chunk', text: rest };
        }
      } catch (error) {
        throw upstreamError(error, signal);
      }
      // Over HTTP/2 an abort or a reset between frames can end the stream quietly: only the signal tells.
      if (signal.aborted) throw upstreamError(signal.reason, signal);
      if (!control) break;
      if (!router) throw new ActionError(502, 'The agent returned control to the application, but bedrockAgent has no "router" to run the request.', { code: 'BAD_GATEWAY' });
      if (rounds >= maxRounds) throw new ActionError(502, `The agent returned control more than ${maxRounds} times (maxReturnControlRounds) for one question; stopped.`, { code: 'BAD_GATEWAY' });
      rounds++;
      const results: ReturnControlResult[] = await router.returnControl(control, { caller: request.caller, sessionId: request.sessionId, inputText: request.prompt });
      input = { ...base, sessionState: { invocationId: control.invocationId, returnControlInvocationResults: results as NonNullable<InvokeAgentCommandInput['sessionState']>['returnControlInvocationResults'] } };
      if (request.stream) input.streamingConfigurations = { streamFinalResponse: true };
    }
    yield { type: 'done', result: { text, files: request.files, rounds, agentId: pair.agentId } };
  }

  return { name: 'bedrock-agent', ask };
}

/** The pair the request names (both or neither), refused with a 403 unless configured. */
function pairOf(request: AskRequest, allowed: readonly AgentPair[]): AgentPair {
  const { agentId, agentAliasId } = request;
  if (agentId === undefined && agentAliasId === undefined) return allowed[0] as AgentPair;
  if (agentId === undefined || agentAliasId === undefined) throw new ActionError(400, '"agentId" and "agentAliasId" go together: give both or neither', { code: 'BAD_REQUEST' });
  const pair = allowed.find((p) => p.agentId === agentId && p.agentAliasId === agentAliasId);
  if (!pair) throw new ActionError(403, 'This agent and alias are not allowed here; leave agentId and agentAliasId out to use the configured agent.', { code: 'FORBIDDEN' });
  return pair;
}

/** The files as InvokeAgent's `sessionState.files`: S3 sources only, within its limits. */
function sessionFiles(files: readonly AgentFile[], useCase: 'CHAT' | 'CODE_INTERPRETER'): InputFile[] {
  if (files.length > MAX_AGENT_FILES) throw new ActionError(400, `InvokeAgent takes at most ${MAX_AGENT_FILES} files per question; ${files.length} were given. Choose fewer fileIds.`, { code: 'TOO_MANY_FILES', details: { limit: MAX_AGENT_FILES } });
  let total = 0;
  for (const file of files) total += file.fileSize ?? 0;
  if (total > MAX_AGENT_FILE_BYTES) throw new ActionError(400, `InvokeAgent takes at most ${MAX_AGENT_FILE_BYTES} bytes (10 MB) of files per question; these are ${total}. Choose fewer or smaller files.`, { code: 'FILES_TOO_LARGE', details: { limitBytes: MAX_AGENT_FILE_BYTES } });
  return files.map((file) => {
    if (!file.s3Uri) throw new ActionError(400, `The file ${JSON.stringify(file.fileName)} is not on S3, and InvokeAgent reads files from S3 only: store the files with s3Blobs to ask the agent about them.`, { code: 'FILES_NOT_ON_S3' });
    return { name: file.fileName, source: { sourceType: 'S3', s3Location: { uri: file.s3Uri } }, useCase };
  });
}

/** The ActionError for a failed InvokeAgent call: 503 throttled, 504 timed out, else 502; an abort's own reason wins. */
function upstreamError(error: unknown, signal: AbortSignal): ActionError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (isActionError(reason)) return reason;
    return new ActionError(504, 'The question to the agent was cancelled before it finished.', { code: 'TIMEOUT', cause: error });
  }
  if (isActionError(error)) return error;
  const e = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const upstream = `${name}${status ? `, HTTP ${status}` : ''}`;
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException' || status === 429) {
    const given = Number(e.$response?.headers?.['retry-after']);
    const seconds = Number.isInteger(given) && given > 0 ? given : RETRY_AFTER_SECONDS;
    return new ActionError(503, `The agent is throttled (${upstream}); try again in ${seconds} s.`, { code: 'THROTTLED', cause: error, headers: { 'retry-after': String(seconds) } });
  }
  if (name === 'TimeoutError' || status === 504) return new ActionError(504, `The agent did not answer in time (${upstream}).`, { code: 'TIMEOUT', cause: error });
  return new ActionError(502, `The agent failed (${upstream}).`, { code: 'BAD_GATEWAY', cause: error });
}
