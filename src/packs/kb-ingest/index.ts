import { S3Client } from '@aws-sdk/client-s3';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { parseRunInput } from './input.js';
import { runIngest, type KbIngestResult, type RunConfig } from './run.js';
import { envRequired, envString, type Env } from '../../kit/env.js';
import { clientGetter } from '../../kit/clients.js';
import { httpUrl, positiveNumber, requiredString } from '../../kit/options.js';
import { sourceProbe, type ProbedScheduledJob } from './probe.js';
import { NOT_CONFIGURED } from '../../core/health.js';

export { MissingEnvError } from '../../kit/env.js';
export type { ProbedScheduledJob } from './probe.js';
export type { KbIngestFailure, KbIngestResult, KbIngestStage, KbIngestSuccess } from './run.js';
export type { JobContext, ScheduledJob, ScheduleInput } from '../../doors/schedule/types.js';

/** Options of {@link kbIngest}. */
export interface KbIngestOptions {
  /** The ticket export endpoint: `GET {sourceUrl}?since=…&limit=…` answering NDJSON, one ticket per line. */
  sourceUrl: string;
  /** Sent as `x-api-key` when set. */
  apiKey?: string;
  /** Bucket receiving the exports and the watermark. */
  bucket: string;
  /** Key prefix of the exports (a `/` is added when missing). Default `'tickets/'`. */
  dataPrefix?: string;
  /**
   * Key of the watermark object. Default `'tickets/_state/last_since.txt'`. When it lies under the data
   * source's prefix, exclude it from the data source (inclusion prefixes) so it is not ingested.
   */
  stateKey?: string;
  /** How far back the first run (no watermark yet) starts, in days. Default 2. */
  daysBackDefault?: number;
  /** Knowledge base whose ingestion is started. */
  knowledgeBaseId: string;
  /** Data source (the S3 prefix) of that knowledge base. */
  dataSourceId: string;
  /** S3 client, or a function returning one; default an `S3Client({ region })` built at the first run and reused. */
  s3?: S3Client | (() => S3Client);
  /** Bedrock Agent (control plane) client, or a function returning one; default one built at the first run and reused. */
  bedrockAgent?: BedrockAgentClient | (() => BedrockAgentClient);
  /** Region of the default clients; default the SDK's (AWS_REGION). */
  region?: string;
  /** Inactivity deadline of the download: for the response headers and for any silence while it streams. Default 60 000. */
  downloadTimeoutMs?: number;
  /** Clock, for the default `since` and the export's key. */
  now?: () => Date;
  /** Multipart part size in bytes (≥ 5 MiB). Default 8 MiB. */
  partSizeBytes?: number;
  /** Parts in flight at once. Default 4. Memory is about `partSizeBytes × (queueSize + 1)`. */
  queueSize?: number;
  /** Longest line accepted, in bytes; a longer one fails the run. Default 8 MiB. */
  maxLineBytes?: number;
}

const MIB = 1024 * 1024;
const OWNER = 'kbIngest';
const JOB_NAME = 'kb-ingest';

function resolve(options: KbIngestOptions): RunConfig {
  const sourceUrl = httpUrl(options.sourceUrl, OWNER, 'sourceUrl');
  const prefix = options.dataPrefix ?? 'tickets/';
  const region = options.region;
  return {
    sourceUrl,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    bucket: requiredString(options.bucket, OWNER, 'bucket'),
    dataPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    stateKey: requiredString(options.stateKey ?? 'tickets/_state/last_since.txt', OWNER, 'stateKey'),
    daysBackDefault: positiveNumber(options.daysBackDefault, 2, OWNER, 'daysBackDefault', { min: 0 }),
    knowledgeBaseId: requiredString(options.knowledgeBaseId, OWNER, 'knowledgeBaseId'),
    dataSourceId: requiredString(options.dataSourceId, OWNER, 'dataSourceId'),
    s3: clientGetter(options.s3, () => new S3Client(region ? { region } : {})),
    bedrockAgent: clientGetter(options.bedrockAgent, () => new BedrockAgentClient(region ? { region } : {})),
    downloadTimeoutMs: positiveNumber(options.downloadTimeoutMs, 60_000, OWNER, 'downloadTimeoutMs', { min: 1 }),
    now: options.now ?? (() => new Date()),
    partSizeBytes: positiveNumber(options.partSizeBytes, 8 * MIB, OWNER, 'partSizeBytes', { min: 5 * MIB }),
    queueSize: positiveNumber(options.queueSize, 4, OWNER, 'queueSize', { min: 1 }),
    maxLineBytes: positiveNumber(options.maxLineBytes, 8 * MIB, OWNER, 'maxLineBytes', { min: 1 }),
  };
}

/**
 * A scheduled job (name `'kb-ingest'`) that copies newly resolved tickets into a Bedrock knowledge base:
 *
 * 1. reads the watermark `last_since` from S3 at `stateKey` (absent: now − `daysBackDefault` days; an
 *    explicit `since` in the input wins);
 * 2. GETs `{sourceUrl}?since=…&limit=…` (NDJSON);
 * 3. streams it into `{dataPrefix}resolved_tickets_{yyyyMMdd_HHmmss}.jsonl` (UTC, `application/x-ndjson`)
 *    with a lib-storage multipart upload while it downloads, checking that every line is a JSON object and
 *    tracking the largest `closed_at`;
 * 4. starts an ingestion job of the knowledge base's data source;
 * 5. unless `manual`, writes the largest `closed_at` as the new watermark.
 *
 * Nothing is lost: the watermark moves only after the upload and the ingestion start both succeeded, and
 * never backwards. An export without records uploads nothing, starts nothing and keeps the watermark
 * (`ok: true`, `uploaded_key: null`, `ingestion_job_id: null`, and a `note`). A line that is not a JSON
 * object fails the run with `stage: 'download'` naming its line number, and the multipart upload is
 * aborted so no partial object is left; a download error (non-2xx status, no data for
 * `downloadTimeoutMs`, broken connection) is also `stage: 'download'`, with nothing uploaded.
 *
 * Records at the watermark instant: the source must treat `since` as inclusive (`closed_at >= since`), so
 * a ticket closed in the same instant as the last one of the previous run, but exported after it, is
 * never missed. The records the previous run delivered at that instant come again; to keep them out of
 * the knowledge base twice, the watermark object also lists the sha256 of each record line delivered at
 * that instant, and those identical lines are dropped from the next export (a record whose content
 * changed is delivered again). An explicit `since` turns this off: it is a deliberate re-export.
 *
 * Input (`router.schedule(job)`, EventBridge or direct): `{ since?, limit?, manual? }`; a `since` that
 * is not an ISO 8601 date/date-time, or a `limit` that is not a positive integer, throws ActionError 400.
 */
export function kbIngest(options: KbIngestOptions): ProbedScheduledJob<KbIngestResult> {
  const config = resolve(options);
  return {
    name: JOB_NAME,
    probe: sourceProbe(config.sourceUrl, config.apiKey, config.downloadTimeoutMs, config.now),
    run: async (input, ctx) => runIngest(config, parseRunInput(input ?? {}), ctx),
  };
}

/**
 * {@link kbIngest} configured from the environment (every value trimmed): `API_URL`, `API_KEY`,
 * `DAYS_BACK_DEFAULT`, `S3_BUCKET`, `S3_DATA_PREFIX`, `S3_STATE_KEY`, `KB_ID`, `KB_DATASOURCE_ID`,
 * `AWS_REGION`. `overrides` sets any other option (clients, clock, part size). When a required variable
 * (API_URL, S3_BUCKET, KB_ID, KB_DATASOURCE_ID) is missing the job is still created, and each run
 * rejects with a {@link MissingEnvError} (503 `NOT_CONFIGURED`) naming every missing one; a malformed
 * value (`DAYS_BACK_DEFAULT` that is not a number, an `API_URL` that is not http(s)) still throws here.
 */
kbIngest.fromEnv = function fromEnv(env: Env = process.env, overrides: Partial<KbIngestOptions> = {}): ProbedScheduledJob<KbIngestResult> {
  const required = envRequired(env, 'kbIngest.fromEnv', ['API_URL', 'S3_BUCKET', 'KB_ID', 'KB_DATASOURCE_ID']);
  const days = envString(env, 'DAYS_BACK_DEFAULT');
  if (days && !/^\d+(\.\d+)?$/.test(days)) throw new Error(`kbIngest.fromEnv: DAYS_BACK_DEFAULT must be a number of days, got "${days}"`);
  if (required.missing) {
    const missing = required.missing;
    return { name: JOB_NAME, probe: () => NOT_CONFIGURED, run: async () => Promise.reject(missing) };
  }
  const optional = (name: string) => envString(env, name);
  const apiKey = optional('API_KEY');
  const stateKey = optional('S3_STATE_KEY');
  const region = optional('AWS_REGION');
  // An empty S3_DATA_PREFIX is meaningful (the bucket root), so only an unset one keeps the default.
  const dataPrefix = env.S3_DATA_PREFIX?.trim();
  return kbIngest({
    sourceUrl: required.values.API_URL,
    ...(apiKey ? { apiKey } : {}),
    bucket: required.values.S3_BUCKET,
    ...(dataPrefix !== undefined ? { dataPrefix } : {}),
    ...(stateKey ? { stateKey } : {}),
    ...(days ? { daysBackDefault: Number(days) } : {}),
    knowledgeBaseId: required.values.KB_ID,
    dataSourceId: required.values.KB_DATASOURCE_ID,
    ...(region ? { region } : {}),
    ...overrides,
  });
};
