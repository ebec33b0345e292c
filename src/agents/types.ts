import type { Caller } from '../core/context.js';

/** A stored file handed to an agent for one question. */
export interface AgentFile {
  /** The store's id of the file. */
  fileId: string;
  /** Blob key of the bytes. */
  key: string;
  /** Stored file name (`{uuid}_{safeName}`). */
  fileName: string;
  /** Media type, e.g. `application/pdf`. */
  fileType: string;
  /** `s3://bucket/key` when the bytes are on S3; absent on the local disk (backends that need S3 refuse then). */
  s3Uri?: string;
  /** A short-lived URL that serves the bytes, when the blob store gives one. */
  url?: string;
  /** Size in bytes, when known (backends with a total-size limit check it). */
  fileSize?: number;
}

/** One question to an agent. */
export interface AskRequest {
  /** What the user asked. */
  prompt: string;
  /** The conversation this question belongs to; backends that keep sessions use it as theirs. */
  sessionId: string;
  /** Files the answer should draw on (may be empty). */
  files: readonly AgentFile[];
  /** The authenticated caller; operations the agent calls back run as this caller. */
  caller: Caller;
  /** Aborts the question (client gone, timeout); the backend stops its upstream call. */
  signal: AbortSignal;
  /**
   * The agent the client asked for, when it named one. A backend that serves a fixed set refuses any other
   * with a 403 `ActionError`; backends with no choice of agent refuse any value at all.
   */
  agentId?: string;
  /** The alias the client asked for, with `agentId`. */
  agentAliasId?: string;
  /**
   * The chunks go to the client as they arrive (a streaming reply): backends that can stream the final
   * answer as it is generated (InvokeAgent's `streamFinalResponse`) do so. Default `false`.
   */
  stream?: boolean;
}

/** What an agent finished with. */
export interface AgentResult {
  /** The whole answer: every chunk, joined in order. */
  text: string;
  /** The files the answer was given. */
  files: readonly AgentFile[];
  /** Return-of-control / tool-call rounds run through the router. */
  rounds: number;
  /** The agent (or model) that answered, for the conversation record. */
  agentId?: string;
}

/** What {@link Agent.ask} yields: text chunks as they arrive, then one `done` with the result. */
export type AgentEvent = { type: 'chunk'; text: string } | { type: 'done'; result: AgentResult };

/**
 * An agent that answers questions about a user's files: `bedrockAgent` (InvokeAgent), `converseAgent`
 * (Bedrock Runtime Converse) or `openAiAgent` (OpenAI Responses). The documents pack and OpenAI bots take any.
 * `ask` yields zero or more `chunk`s and then exactly one `done`; failures reject the iteration with an
 * `ActionError` (502 upstream, 503 throttled with `Retry-After`, 504 timeout, 400/403 for the request).
 */
export interface Agent {
  /** A short name for logs and `/health` (`bedrock-agent`, `converse`, `openai`). */
  readonly name: string;
  ask(request: AskRequest): AsyncIterable<AgentEvent>;
}
