import type { Readable } from 'node:stream';
import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import { checkTrainingJsonl } from './jsonl.js';
import { begin, callOpenAi, isoOf, KINDS, ownedRecord, type Runtime } from './runtime.js';

/** Input of `train`. */
export interface TrainInput {
  file?: string | undefined;
  jsonl?: string | undefined;
  model?: string | undefined;
  suffix?: string | undefined;
}

/** Reply of `train`. */
export interface TrainReply {
  file_id: string;
  job_id: string;
  status: string;
  estimated_finish: string | null;
}

/** Reply of `check_train`. */
export interface CheckTrainReply {
  job_id: string;
  status: string;
  fine_tuned_model: string | null;
  estimated_finish: string | null;
  trained_tokens: number | null;
  events: { created_at: string | null; level: string; message: string }[];
}

/** Events listed by `check_train`, newest first. */
const EVENTS = 20;

/** Reads a blob up to `max` bytes; past it the stream is destroyed and a 413 thrown. */
async function readBounded(stream: Readable, max: number, key: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += bytes.length;
      if (size > max) throw new ActionError(413, `The training file "${key}" is larger than ${max} bytes.`, { code: 'PAYLOAD_TOO_LARGE' });
      chunks.push(bytes);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

/** The training bytes and the `.jsonl` name they are uploaded under: from the blob store (`file`) or the text (`jsonl`). */
async function trainingBytes(rt: Runtime, input: TrainInput): Promise<{ bytes: Uint8Array; name: string }> {
  if ((input.file === undefined) === (input.jsonl === undefined)) throw new ActionError(400, 'Send exactly one of "file" (a key in the blob store) and "jsonl" (the examples as text).', { code: 'BAD_REQUEST' });
  if (input.jsonl !== undefined) {
    const bytes = Buffer.from(input.jsonl, 'utf8');
    if (bytes.length > rt.maxTrainingBytes) throw new ActionError(413, `"jsonl" is larger than ${rt.maxTrainingBytes} bytes.`, { code: 'PAYLOAD_TOO_LARGE' });
    return { bytes, name: 'training.jsonl' };
  }
  const key = input.file as string;
  if (!rt.blobs) throw new ActionError(400, '"file" needs a blob store, and this service has none; send the examples as "jsonl".', { code: 'BAD_REQUEST' });
  const stream = await rt.blobs.get(key);
  if (!stream) throw new ActionError(404, `There is no file "${key}" in the blob store.`, { code: 'NOT_FOUND' });
  const base = (key.split('/').pop() as string).replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'training';
  return { bytes: await readBounded(stream, rt.maxTrainingBytes, key), name: `${base}.jsonl` };
}

/**
 * `train`: checks every line of the training file, uploads it (`files.create`, purpose `fine-tune`) and starts a
 * supervised fine-tuning job on it; the job is recorded as the caller's. A refused file uploads nothing; when
 * OpenAI refuses the job, the uploaded file is deleted again.
 */
export async function train(rt: Runtime, input: TrainInput, ctx: ActionContext): Promise<TrainReply> {
  const userId = begin(rt, ctx);
  const { bytes, name } = await trainingBytes(rt, input);
  checkTrainingJsonl(bytes);
  const file = await callOpenAi(rt, ctx, 'uploading the training file', (client, options) =>
    client.files.create({ file: new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/jsonl' }), purpose: 'fine-tune' }, options),
  );
  const model = input.model ?? rt.fineTuneBaseModel;
  let job;
  try {
    job = await callOpenAi(rt, ctx, 'creating the fine-tuning job', (client, options) =>
      client.fineTuning.jobs.create({ training_file: file.id, model, method: { type: 'supervised' }, ...(input.suffix ? { suffix: input.suffix } : {}) }, options),
    );
  } catch (error) {
    // The upload is useless without its job: leave nothing behind (the job's refusal is what the caller hears).
    await rt.client().files.delete(file.id).catch((cause: unknown) => ctx.logger.warn('the training file could not be deleted', { fileId: file.id, cause }));
    throw error;
  }
  await rt.store.put(KINDS.job, job.id, { file_id: file.id, model }, { ownerId: userId });
  return { file_id: file.id, job_id: job.id, status: job.status, estimated_finish: isoOf(job.estimated_finish) };
}

/** `check_train`: the caller's fine-tuning job (`jobs.retrieve`) and its latest events (`jobs.listEvents`). */
export async function checkTrain(rt: Runtime, input: { job_id: string }, ctx: ActionContext): Promise<CheckTrainReply> {
  const userId = begin(rt, ctx);
  await ownedRecord(rt, KINDS.job, input.job_id, userId, 'training job');
  const [job, events] = await Promise.all([
    callOpenAi(rt, ctx, 'reading the fine-tuning job', (client, options) => client.fineTuning.jobs.retrieve(input.job_id, options)),
    callOpenAi(rt, ctx, "reading the fine-tuning job's events", (client, options) => client.fineTuning.jobs.listEvents(input.job_id, { limit: EVENTS }, options)),
  ]);
  return {
    job_id: job.id,
    status: job.status,
    fine_tuned_model: job.fine_tuned_model ?? null,
    estimated_finish: isoOf(job.estimated_finish),
    trained_tokens: job.trained_tokens ?? null,
    events: events.data.map((e) => ({ created_at: isoOf(e.created_at), level: e.level, message: e.message })),
  };
}
