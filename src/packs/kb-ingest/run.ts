import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { StartIngestionJobCommand, type BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import type { JobContext } from '../../doors/schedule/types.js';
import { DownloadError, openExport } from './download.js';
import type { RunInput } from './input.js';
import { emptyStats, NdjsonLineError, scanNdjson, type ScanStats } from './ndjson.js';
import { freeExportKey, streamToS3 } from './upload.js';
import { CorruptStateError, readWatermark, writeWatermark } from './watermark.js';

/** Where a failed run stopped. */
export type KbIngestStage = 'state' | 'download' | 'upload' | 'ingest';

/** A run that completed (possibly with nothing to do: then `uploaded_key` is null and `note` says why). */
export interface KbIngestSuccess {
  ok: true;
  /** S3 key of the uploaded export; `null` when the export held no new records. */
  uploaded_key: string | null;
  /** Id of the ingestion job started; `null` when nothing was uploaded. */
  ingestion_job_id: string | null;
  /** The `since` sent to the source: the explicit one, else the watermark, else now − `daysBackDefault`. */
  since_used: string;
  /** The `limit` sent to the source; `null` when none was given (the source's own default applies). */
  limit_used: number | null;
  /** True for a manual run, which never moves the watermark. */
  manual: boolean;
  /** The largest `closed_at` in this export, when any record had one (written only if `state_updated`). */
  new_since?: string;
  /** Whether the watermark object was rewritten. */
  state_updated: boolean;
  /** Present only when nothing was uploaded: why. */
  note?: string;
}

/** A run that failed; the watermark is unchanged. */
export interface KbIngestFailure {
  ok: false;
  stage: KbIngestStage;
  /** What went wrong, safe to show (no URLs, keys or credentials). */
  error: string;
  /** The export left in S3 when the failure came after the upload (its records will be exported again next run). */
  uploaded_key?: string;
}

/** The reply of a run. */
export type KbIngestResult = KbIngestSuccess | KbIngestFailure;

/** Everything a run needs, resolved from the options. */
export interface RunConfig {
  sourceUrl: URL;
  apiKey?: string;
  bucket: string;
  dataPrefix: string;
  stateKey: string;
  daysBackDefault: number;
  knowledgeBaseId: string;
  dataSourceId: string;
  s3: () => S3Client;
  bedrockAgent: () => BedrockAgentClient;
  downloadTimeoutMs: number;
  now: () => Date;
  partSizeBytes: number;
  queueSize: number;
  maxLineBytes: number;
}

const CONTENT_TYPE = 'application/x-ndjson';
const DAY_MS = 86_400_000;

/** A message about `error` fit for the reply: ours as written, AWS service errors by name and message, else generic. */
function safeMessage(error: unknown): string {
  if (error instanceof DownloadError || error instanceof NdjsonLineError || error instanceof CorruptStateError) return error.message;
  if (error instanceof Error && '$metadata' in error) return `${error.name}: ${error.message}`.slice(0, 500);
  if (error instanceof Error && error.name === 'AbortError') return 'the run was aborted before it finished';
  return 'unexpected error; see the logs';
}

/** Runs the five steps; never throws (validation happened before). */
export async function runIngest(config: RunConfig, input: RunInput, ctx: JobContext): Promise<KbIngestResult> {
  const { logger, signal } = ctx;
  const fail = (stage: KbIngestStage, error: unknown, uploadedKey?: string): KbIngestFailure => {
    logger.error('kb-ingest failed', { stage, error, ...(uploadedKey ? { uploaded_key: uploadedKey } : {}) });
    return { ok: false, stage, error: safeMessage(error), ...(uploadedKey ? { uploaded_key: uploadedKey } : {}) };
  };
  const s3 = config.s3();

  // 1. Watermark (read even when `since` is explicit: it must never move backwards).
  let watermark;
  try {
    watermark = await readWatermark(s3, config.bucket, config.stateKey, signal);
  } catch (error) {
    return fail('state', error);
  }
  const since = input.since ?? watermark?.since ?? new Date(config.now().getTime() - config.daysBackDefault * DAY_MS).toISOString();
  const base = { since_used: since, limit_used: input.limit ?? null, manual: input.manual };

  // 2. Download.
  const url = new URL(config.sourceUrl);
  url.searchParams.set('since', since);
  if (input.limit !== undefined) url.searchParams.set('limit', String(input.limit));
  let body;
  try {
    body = await openExport({ url, ...(config.apiKey ? { apiKey: config.apiKey } : {}), timeoutMs: config.downloadTimeoutMs, signal });
  } catch (error) {
    return fail('download', error);
  }

  // 3. Check and upload while downloading. Records the previous run delivered at the watermark instant are
  // dropped, because the source's `since` is inclusive and repeats them.
  const stats: ScanStats = emptyStats();
  const seen = input.since === undefined && watermark ? { atMs: watermark.sinceMs, hashes: watermark.seen } : undefined;
  const kept = scanNdjson(body, { maxLineBytes: config.maxLineBytes, ...(seen ? { seen } : {}) }, stats);
  // Closing the scan closes the download, which may itself fail (an aborted run): the failure being
  // reported is the first one, so that second error is dropped rather than thrown out of the run.
  const stop = () => kept.return(undefined).then(() => undefined, () => undefined);
  // Hold back leading blank lines until the first record: an export without records uploads nothing.
  const head: Buffer[] = [];
  let headBytes = 0;
  let step;
  try {
    do {
      step = await kept.next();
      if (!step.done) {
        head.push(step.value);
        headBytes += step.value.length;
        if (stats.records === 0 && headBytes > config.maxLineBytes) throw new DownloadError(`the export starts with more than ${config.maxLineBytes} bytes of blank lines`);
      }
    } while (!step.done && stats.records === 0);
  } catch (error) {
    await stop();
    return fail('download', error);
  }
  if (stats.records === 0) {
    const already = stats.skipped ? ` (${stats.skipped} already delivered by the previous run were skipped)` : '';
    logger.info('kb-ingest: no new records', { since, lines: stats.lines, skipped: stats.skipped });
    return { ok: true, uploaded_key: null, ingestion_job_id: null, ...base, state_updated: false, note: `The export held no new records${already}: nothing was uploaded, no ingestion job was started and the watermark was kept.` };
  }
  let key: string;
  try {
    key = await freeExportKey(s3, config.bucket, config.dataPrefix, config.now(), signal);
  } catch (error) {
    await stop();
    return fail('upload', error);
  }
  // An error of the export itself (bad line, broken download) is what the run reports, even when
  // lib-storage then fails to abort the multipart upload and throws that instead.
  let exportError: unknown;
  try {
    await streamToS3({
      s3,
      bucket: config.bucket,
      key,
      contentType: CONTENT_TYPE,
      body: (async function* () {
        try {
          yield* head;
          yield* kept;
        } catch (error) {
          exportError = error;
          throw error;
        }
      })(),
      partSize: config.partSizeBytes,
      queueSize: config.queueSize,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (exportError === undefined) return fail('upload', error);
    if (error !== exportError) logger.warn('kb-ingest: the multipart upload could not be aborted', { key, error });
    return fail('download', exportError);
  }
  logger.info('kb-ingest: export uploaded', { key, since, lines: stats.lines, records: stats.records, skipped: stats.skipped, withoutClosedAt: stats.withoutClosedAt, maxClosedAt: stats.maxClosedAt });

  // 4. Start the ingestion. The client token is derived from the object, so a retried call for the same
  // export never starts a second job.
  let ingestionJobId: string;
  try {
    const reply = await config.bedrockAgent().send(
      new StartIngestionJobCommand({
        knowledgeBaseId: config.knowledgeBaseId,
        dataSourceId: config.dataSourceId,
        clientToken: createHash('sha256').update(`${config.bucket}/${key}`).digest('hex'),
        description: `kb-ingest: ${key}`.slice(0, 200),
      }),
      signal ? { abortSignal: signal } : {},
    );
    const id = reply.ingestionJob?.ingestionJobId;
    if (!id) throw new Error('StartIngestionJob answered without an ingestion job id');
    ingestionJobId = id;
  } catch (error) {
    return fail('ingest', error, key);
  }

  // 5. Move the watermark: never in manual runs, never backwards; at the same instant the records seen
  // there are merged so that none is delivered twice.
  const result: KbIngestSuccess = { ok: true, uploaded_key: key, ingestion_job_id: ingestionJobId, ...base, state_updated: false };
  const { maxClosedAt, maxClosedAtMs } = stats;
  if (maxClosedAt === undefined || maxClosedAtMs === undefined) return result;
  result.new_since = maxClosedAt;
  if (input.manual || (watermark && maxClosedAtMs < watermark.sinceMs)) return result;
  const same = watermark && maxClosedAtMs === watermark.sinceMs ? watermark : undefined;
  const newSince = same ? same.since : maxClosedAt;
  try {
    await writeWatermark(s3, config.bucket, config.stateKey, newSince, same ? new Set([...same.seen, ...stats.boundary]) : stats.boundary, signal);
  } catch (error) {
    return fail('state', error, key);
  }
  result.new_since = newSince;
  result.state_updated = true;
  return result;
}
