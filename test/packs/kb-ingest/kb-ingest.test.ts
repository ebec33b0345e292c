import { createHash } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isActionError } from '../../../src/core/errors.js';
import { createRouter } from '../../../src/router.js';
import { lambdaContext } from '../../../src/testing/index.js';
import { memoryLogger } from '../../support/logger.js';
import { until } from '../../support/timing.js';
import { kbIngest, type KbIngestOptions } from '../../../src/packs/kb-ingest/index.js';
import { API_KEY, BUCKET, DS_ID, KB_ID, SOURCE_URL, bedrockClient, delay, ingestionApi, jobContext, localPassthrough, localSource, pieces, startS3, ticketSource, type LocalS3, type Ticket } from './support.js';

const STATE_KEY = 'tickets/_state/last_since.txt';
const NOW = new Date('2024-05-03T12:34:56Z');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const line = (t: Ticket) => JSON.stringify(t);
const ticket = (id: string, closed_at: string, extra: Record<string, unknown> = {}): Ticket => ({ id, subject: `Ticket ${id}`, closed_at, ...extra });

const source = ticketSource();
const ingestion = ingestionApi();
const mock = setupServer(source.handler, ingestion.handler, localPassthrough);
let s3: LocalS3;

beforeAll(async () => {
  mock.listen({ onUnhandledFrame: 'error' });
  s3 = await startS3();
});
afterAll(async () => {
  mock.close();
  await s3.close();
});
beforeEach(async () => {
  source.state.tickets = [];
  source.state.raw = undefined;
  source.state.requests = [];
  ingestion.state.calls = [];
  ingestion.state.fail = undefined;
  ingestion.state.nextId = 1;
  // Each test starts with an empty bucket.
  for (const key of await s3.keys()) await s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  s3.commands.length = 0;
});
afterEach(() => mock.resetHandlers());

function job(overrides: Partial<KbIngestOptions> = {}) {
  return kbIngest({
    sourceUrl: SOURCE_URL,
    apiKey: API_KEY,
    bucket: BUCKET,
    knowledgeBaseId: KB_ID,
    dataSourceId: DS_ID,
    s3: () => s3.client(),
    bedrockAgent: bedrockClient,
    now: () => NOW,
    ...overrides,
  });
}

const stateText = async () => (await s3.get(STATE_KEY)).body.toString('utf8');

describe('kbIngest: happy path', () => {
  it('streams the export byte for byte, starts the ingestion and moves the watermark', async () => {
    const a = ticket('T-1', '2024-05-02T08:00:00Z', { note: 'ñandú — “quoted”' });
    const b = ticket('T-2', '2024-05-03T09:15:00Z');
    const c = ticket('T-3', '2024-05-03T10:00:00Z');
    // CRLF, a blank line, and a last line without a newline: all accepted, all kept as sent.
    const body = `${line(a)}\r\n\n${line(c)}\n${line(b)}`;
    source.state.raw = body;

    const reply = await job().run({ limit: 500 }, jobContext());

    expect(reply).toEqual({
      ok: true,
      uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl',
      ingestion_job_id: 'IJOB000001',
      since_used: '2024-05-01T12:34:56.000Z',
      limit_used: 500,
      manual: false,
      new_since: '2024-05-03T10:00:00Z',
      state_updated: true,
    });
    const stored = await s3.get('tickets/resolved_tickets_20240503_123456.jsonl');
    expect(stored.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(stored.contentType).toBe('application/x-ndjson');
    expect(await stateText()).toBe(`2024-05-03T10:00:00Z\n${sha(line(c))}\n`);

    // What was sent upstream.
    expect(source.state.requests).toHaveLength(1);
    const sent = source.state.requests[0]!;
    expect(sent.apiKey).toBe(API_KEY);
    expect(Object.fromEntries(sent.url.searchParams)).toEqual({ since: '2024-05-01T12:34:56.000Z', limit: '500' });
    expect(ingestion.state.calls).toEqual([
      {
        path: `/knowledgebases/${KB_ID}/datasources/${DS_ID}/ingestionjobs/`,
        body: {
          clientToken: sha(`${BUCKET}/tickets/resolved_tickets_20240503_123456.jsonl`),
          description: 'kb-ingest: tickets/resolved_tickets_20240503_123456.jsonl',
        },
      },
    ]);
  });

  it('starts from the stored watermark and sends no limit when none is given', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-05-01T23:59:59Z'), ticket('T-2', '2024-05-02T00:00:00Z'), ticket('T-3', '2024-05-02T06:00:00Z')];

    const reply = await job().run({}, jobContext());

    expect(reply).toMatchObject({ ok: true, since_used: '2024-05-02T00:00:00Z', limit_used: null, new_since: '2024-05-02T06:00:00Z', state_updated: true });
    expect(Object.fromEntries(source.state.requests[0]!.url.searchParams)).toEqual({ since: '2024-05-02T00:00:00Z' });
    const stored = (await s3.get('tickets/resolved_tickets_20240503_123456.jsonl')).body.toString();
    expect(stored).toBe(`${line(source.state.tickets[1]!)}\n${line(source.state.tickets[2]!)}\n`);
  });

  it('sends no x-api-key header when no key is configured', async () => {
    source.state.tickets = [ticket('T-1', '2024-05-02T00:00:00Z')];
    await job({ apiKey: undefined }).run({}, jobContext());
    expect(source.state.requests[0]!.apiKey).toBeNull();
  });
});

describe('kbIngest: streaming', () => {
  it('uploads a multi-MB export in parts while it is still downloading', async () => {
    const record = (i: number) => line(ticket(`T-${i}`, `2024-05-02T${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`, { body: 'y'.repeat(700) }));
    const first = Array.from({ length: 9000 }, (_, i) => record(i) + '\n').join(''); // ≈ 7 MiB
    const second = Array.from({ length: 9000 }, (_, i) => record(9000 + i) + (i === 8999 ? '' : '\r\n')).join('');
    const uploadedParts = () => s3.commands.filter((c) => c.name === 'UploadPartCommand').length;
    let partsBeforeSecondHalf = -1;
    const source = await localSource(async function* () {
      yield* pieces(first);
      // Holding the export whole before uploading would deadlock here (and time out).
      await until(() => uploadedParts() >= 1, 'the first part was uploaded');
      partsBeforeSecondHalf = uploadedParts();
      yield* pieces(second);
    });

    const reply = await job({ sourceUrl: source.url, partSizeBytes: 5 * 1024 * 1024, queueSize: 2 }).run({}, jobContext()).finally(source.close);

    expect(reply).toMatchObject({ ok: true, uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl', new_since: '2024-05-02T04:59:59Z', state_updated: true });
    expect(partsBeforeSecondHalf).toBe(1);
    const stored = await s3.get('tickets/resolved_tickets_20240503_123456.jsonl');
    const sent = Buffer.from(first + second, 'utf8');
    expect(stored.body.length).toBe(sent.length);
    expect(sha(stored.body.toString('latin1'))).toBe(sha(sent.toString('latin1')));
    expect(stored.contentType).toBe('application/x-ndjson');
    const names = s3.commands.map((c) => c.name);
    expect(names.filter((n) => n === 'UploadPartCommand')).toHaveLength(Math.ceil(sent.length / (5 * 1024 * 1024)));
    expect(names).toContain('CompleteMultipartUploadCommand');
  });
});

describe('kbIngest: nothing to do', () => {
  it('an empty export uploads nothing, starts nothing and keeps the watermark', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.raw = '';

    const reply = await job().run({}, jobContext());

    expect(reply).toEqual({
      ok: true,
      uploaded_key: null,
      ingestion_job_id: null,
      since_used: '2024-05-02T00:00:00Z',
      limit_used: null,
      manual: false,
      state_updated: false,
      note: 'The export held no new records: nothing was uploaded, no ingestion job was started and the watermark was kept.',
    });
    expect(await s3.keys()).toEqual([STATE_KEY]);
    expect(ingestion.state.calls).toEqual([]);
    expect(await stateText()).toBe('2024-05-02T00:00:00Z\n');
  });

  it('an export of blank lines only counts as empty', async () => {
    source.state.raw = '\n\r\n  \n';
    const reply = await job().run({}, jobContext());
    expect(reply).toMatchObject({ ok: true, uploaded_key: null, ingestion_job_id: null, state_updated: false });
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });
});

describe('kbIngest: failures keep the watermark and leave nothing half-done', () => {
  it('a malformed line fails the run naming its line number; no object is left', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.raw = `${line(ticket('T-1', '2024-05-02T01:00:00Z'))}\n\n{"id":"T-2","closed_at":\n${line(ticket('T-3', '2024-05-02T02:00:00Z'))}\n`;

    const reply = await job().run({}, jobContext());

    expect(reply).toEqual({ ok: false, stage: 'download', error: 'line 3 of the export is not valid JSON' });
    expect(await s3.keys()).toEqual([STATE_KEY]);
    expect(ingestion.state.calls).toEqual([]);
    expect(await stateText()).toBe('2024-05-02T00:00:00Z\n');
  });

  it('a line that is JSON but not an object is refused too', async () => {
    source.state.raw = `${line(ticket('T-1', '2024-05-02T01:00:00Z'))}\n[1,2]\n`;
    expect(await job().run({}, jobContext())).toEqual({ ok: false, stage: 'download', error: 'line 2 of the export is not a JSON object' });
    expect(await s3.keys()).toEqual([]);
  });

  it('a malformed line after several uploaded parts aborts the multipart upload', async () => {
    const good = line(ticket('T-1', '2024-05-02T01:00:00Z', { body: 'x'.repeat(1000) })) + '\n';
    const goodLines = Math.ceil((11 * 1024 * 1024) / good.length);
    const uploadedParts = () => s3.commands.filter((c) => c.name === 'UploadPartCommand').length;
    const source = await localSource(async function* () {
      yield* pieces(good.repeat(goodLines));
      // The bad line comes only once two parts are on their way to S3.
      await until(() => uploadedParts() >= 2, 'two parts were uploaded');
      yield 'not json\n' + good;
    });

    const reply = await job({ sourceUrl: source.url, partSizeBytes: 5 * 1024 * 1024, queueSize: 1 }).run({}, jobContext()).finally(source.close);

    expect(reply).toEqual({ ok: false, stage: 'download', error: `line ${goodLines + 1} of the export is not valid JSON` });
    const names = s3.commands.map((c) => c.name);
    expect(names.filter((n) => n === 'CreateMultipartUploadCommand')).toHaveLength(1);
    expect(uploadedParts()).toBe(2);
    const abort = s3.commands.find((c) => c.name === 'AbortMultipartUploadCommand');
    expect(abort?.input).toMatchObject({ Bucket: BUCKET, Key: 'tickets/resolved_tickets_20240503_123456.jsonl', UploadId: expect.any(String) });
    expect(names).not.toContain('CompleteMultipartUploadCommand');
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });

  it('an ingestion failure reports the uploaded key and keeps the watermark', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-05-02T03:00:00Z')];
    ingestion.state.fail = { status: 409, type: 'ConflictException', message: 'An ingestion job is already running for this data source' };

    const reply = await job().run({}, jobContext());

    expect(reply).toEqual({
      ok: false,
      stage: 'ingest',
      error: 'ConflictException: An ingestion job is already running for this data source',
      uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl',
    });
    expect(await s3.keys()).toEqual([STATE_KEY, 'tickets/resolved_tickets_20240503_123456.jsonl']);
    expect(await stateText()).toBe('2024-05-02T00:00:00Z\n');
  });

  it('a download answered 500 uploads nothing', async () => {
    mock.use(http.get(SOURCE_URL, () => HttpResponse.text('database password=hunter2 is wrong', { status: 500 })));
    const reply = await job().run({}, jobContext());
    expect(reply).toEqual({ ok: false, stage: 'download', error: 'the ticket source answered HTTP 500' });
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });

  it('a source that never answers times out', async () => {
    mock.use(http.get(SOURCE_URL, async () => {
      await delay('infinite');
      return HttpResponse.text('');
    }));
    const reply = await job({ downloadTimeoutMs: 150 }).run({}, jobContext());
    expect(reply).toEqual({ ok: false, stage: 'download', error: 'the ticket source sent nothing for 150 ms' });
    expect(await s3.keys()).toEqual([]);
  });

  it('a source that stalls in the middle of the export times out and leaves no object', async () => {
    const source = await localSource(async function* () {
      yield line(ticket('T-1', '2024-05-02T03:00:00Z')) + '\n';
      await new Promise(() => {}); // …and then nothing more, ever.
    });
    const reply = await job({ sourceUrl: source.url, downloadTimeoutMs: 150 }).run({}, jobContext()).finally(source.close);
    expect(reply).toEqual({ ok: false, stage: 'download', error: 'the ticket source sent nothing for 150 ms' });
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });

  it('stops when the Lambda is about to time out (the run signal aborts)', async () => {
    const controller = new AbortController();
    const source = await localSource(async function* () {
      yield line(ticket('T-1', '2024-05-02T03:00:00Z')) + '\n';
      // The Lambda runs out while the export is streaming (a fixed timer would race the watermark read on a busy machine).
      setTimeout(() => controller.abort(new Error('The Lambda is about to time out')), 300);
      await new Promise(() => {});
    });
    const reply = await job({ sourceUrl: source.url }).run({}, jobContext(controller.signal)).finally(source.close);
    // Where the run stands when the Lambda runs out depends on the machine: still choosing the export's
    // key (upload), or streaming (download). Either way it answers — it never rejects — and nothing is kept.
    expect([
      { ok: false, stage: 'download', error: 'the run was aborted before the export was complete' },
      { ok: false, stage: 'upload', error: 'the run was aborted before it finished' },
    ]).toContainEqual(reply);
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });

  it('an abort while the export key is chosen is a failure reply, never a rejection of the run', async () => {
    const controller = new AbortController();
    const source = await localSource(async function* () {
      yield line(ticket('T-1', '2024-05-02T03:00:00Z')) + '\n';
      await new Promise(() => {});
    });
    const client = s3.client();
    // The key check (HeadObject) is slow today: the Lambda runs out during it.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'HeadObjectCommand') {
          controller.abort(new Error('The Lambda is about to time out'));
        }
        return next(args);
      },
      { step: 'initialize', name: 'abortDuringKeyCheck' },
    );
    const reply = await job({ sourceUrl: source.url, s3: client }).run({}, jobContext(controller.signal)).finally(source.close);
    expect(reply).toEqual({ ok: false, stage: 'upload', error: 'the run was aborted before it finished' });
    expect(await s3.keys()).toEqual([]);
    expect(ingestion.state.calls).toEqual([]);
  });

  it('an unreachable source is a download failure', async () => {
    mock.use(http.get(SOURCE_URL, () => HttpResponse.error()));
    expect(await job().run({}, jobContext())).toEqual({ ok: false, stage: 'download', error: 'the ticket source could not be reached' });
  });

  it('a corrupt watermark is a state failure, and nothing is fetched', async () => {
    await s3.put(STATE_KEY, 'yesterday\n');
    const reply = await job().run({}, jobContext());
    expect(reply).toEqual({ ok: false, stage: 'state', error: `the watermark at s3://${BUCKET}/${STATE_KEY} does not start with an ISO 8601 date-time; fix or delete it` });
    expect(source.state.requests).toEqual([]);
  });

  it('a missing bucket is a state failure with the S3 error', async () => {
    const reply = await job({ bucket: 'no-such-bucket' }).run({}, jobContext());
    expect(reply).toEqual({ ok: false, stage: 'state', error: expect.stringMatching(/^NoSuchBucket: /) });
  });
});

describe('kbIngest: manual runs, explicit since and reruns', () => {
  it('a manual run uploads and ingests but leaves the watermark alone', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-05-02T03:00:00Z')];

    const reply = await job().run({ manual: true }, jobContext());

    expect(reply).toEqual({
      ok: true,
      uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl',
      ingestion_job_id: 'IJOB000001',
      since_used: '2024-05-02T00:00:00Z',
      limit_used: null,
      manual: true,
      new_since: '2024-05-02T03:00:00Z',
      state_updated: false,
    });
    expect(await stateText()).toBe('2024-05-02T00:00:00Z\n');
  });

  it('an explicit since overrides the watermark but never moves it backwards', async () => {
    await s3.put(STATE_KEY, '2024-05-02T12:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-04-20T03:00:00Z'), ticket('T-2', '2024-05-01T03:00:00Z')];

    const reply = await job().run({ since: '2024-04-15' }, jobContext());

    expect(reply).toMatchObject({ ok: true, since_used: '2024-04-15', new_since: '2024-05-01T03:00:00Z', state_updated: false });
    expect(Object.fromEntries(source.state.requests[0]!.url.searchParams)).toEqual({ since: '2024-04-15' });
    expect(await stateText()).toBe('2024-05-02T12:00:00Z\n');
  });

  it('a rerun after an ingestion failure delivers the same records and then moves the watermark', async () => {
    await s3.put(STATE_KEY, '2024-05-02T00:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-05-02T03:00:00Z'), ticket('T-2', '2024-05-02T04:00:00Z')];
    ingestion.state.fail = { status: 500, type: 'InternalServerException', message: 'try again' };
    const first = await job().run({}, jobContext());
    expect(first).toMatchObject({ ok: false, stage: 'ingest' });

    ingestion.state.fail = undefined;
    source.state.tickets.push(ticket('T-3', '2024-05-02T05:00:00Z'));
    const second = await job({ now: () => new Date('2024-05-03T13:00:00Z') }).run({}, jobContext());

    expect(second).toEqual({
      ok: true,
      uploaded_key: 'tickets/resolved_tickets_20240503_130000.jsonl',
      ingestion_job_id: 'IJOB000001',
      since_used: '2024-05-02T00:00:00Z',
      limit_used: null,
      manual: false,
      new_since: '2024-05-02T05:00:00Z',
      state_updated: true,
    });
    const ids = (await s3.get('tickets/resolved_tickets_20240503_130000.jsonl')).body.toString().trim().split('\n').map((l) => (JSON.parse(l) as Ticket).id);
    expect(ids).toEqual(['T-1', 'T-2', 'T-3']);
  });

  it('records closed in the watermark instant are neither lost nor delivered twice', async () => {
    const atW1 = ticket('T-1', '2024-05-02T10:00:00Z');
    const atW2 = ticket('T-2', '2024-05-02T10:00:00Z');
    source.state.tickets = [ticket('T-0', '2024-05-02T09:00:00Z'), atW1, atW2];
    const first = await job().run({}, jobContext());
    expect(first).toMatchObject({ ok: true, new_since: '2024-05-02T10:00:00Z', state_updated: true });
    expect(await stateText()).toBe(`2024-05-02T10:00:00Z\n${sha(line(atW1))}\n${sha(line(atW2))}\n`);

    // A ticket closed in the same second lands in the source after the first export, plus a later one.
    const lateAtW = ticket('T-9', '2024-05-02T10:00:00Z');
    const later = ticket('T-10', '2024-05-02T11:00:00Z');
    source.state.tickets.push(lateAtW, later);
    const second = await job({ now: () => new Date('2024-05-03T13:00:00Z') }).run({}, jobContext());

    expect(second).toMatchObject({ ok: true, uploaded_key: 'tickets/resolved_tickets_20240503_130000.jsonl', since_used: '2024-05-02T10:00:00Z', new_since: '2024-05-02T11:00:00Z', state_updated: true });
    expect(Object.fromEntries(source.state.requests[1]!.url.searchParams)).toEqual({ since: '2024-05-02T10:00:00Z' });
    expect((await s3.get('tickets/resolved_tickets_20240503_130000.jsonl')).body.toString()).toBe(`${line(lateAtW)}\n${line(later)}\n`);
  });

  it('a rerun with nothing new after the watermark says so and keeps it', async () => {
    const atW = ticket('T-1', '2024-05-02T10:00:00Z');
    source.state.tickets = [atW];
    await job().run({}, jobContext());
    const before = await stateText();

    const again = await job({ now: () => new Date('2024-05-03T13:00:00Z') }).run({}, jobContext());

    expect(again).toEqual({
      ok: true,
      uploaded_key: null,
      ingestion_job_id: null,
      since_used: '2024-05-02T10:00:00Z',
      limit_used: null,
      manual: false,
      state_updated: false,
      note: 'The export held no new records (1 already delivered by the previous run were skipped): nothing was uploaded, no ingestion job was started and the watermark was kept.',
    });
    expect(await stateText()).toBe(before);
    expect(ingestion.state.calls).toHaveLength(1);
  });

  it('a record updated at the watermark instant is delivered again', async () => {
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z', { status: 'closed' })];
    await job().run({}, jobContext());
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z', { status: 'closed', resolution: 'refund issued' })];

    const again = await job({ now: () => new Date('2024-05-03T13:00:00Z') }).run({}, jobContext());

    expect(again).toMatchObject({ ok: true, uploaded_key: 'tickets/resolved_tickets_20240503_130000.jsonl', new_since: '2024-05-02T10:00:00Z', state_updated: true });
    const state = await stateText();
    expect(state.split('\n')).toHaveLength(4); // watermark, both versions' hashes, final newline
  });

  it('two runs in the same second never overwrite each other', async () => {
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z')];
    const first = await job().run({}, jobContext());
    source.state.tickets.push(ticket('T-2', '2024-05-02T11:00:00Z'));
    const second = await job().run({}, jobContext());
    expect(first).toMatchObject({ uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl' });
    expect(second).toMatchObject({ ok: true, uploaded_key: 'tickets/resolved_tickets_20240503_123456_2.jsonl' });
    expect(await s3.keys()).toEqual([STATE_KEY, 'tickets/resolved_tickets_20240503_123456.jsonl', 'tickets/resolved_tickets_20240503_123456_2.jsonl']);
  });
});

describe('kbIngest: input and options', () => {
  it.each([
    [{ since: 'yesterday' }, 'since: expected an ISO 8601 date or date-time such as "2024-05-01" or "2024-05-01T08:30:00Z", got "yesterday"'],
    [{ since: '2024-02-30' }, 'since: expected an ISO 8601 date or date-time such as "2024-05-01" or "2024-05-01T08:30:00Z", got "2024-02-30"'],
    [{ limit: 0 }, 'limit: expected a positive whole number, got 0'],
    [{ limit: 2.5 }, 'limit: expected a positive whole number, got 2.5'],
    [{ limit: 'ten' }, 'limit: expected a positive whole number, got "ten"'],
    [{ manual: 'yes' }, 'manual: expected true or false, got "yes"'],
  ])('refuses %j before doing anything', async (input, message) => {
    const error = await job().run(input as never, jobContext()).then(() => undefined, (e: unknown) => e);
    expect(isActionError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, message });
    expect(source.state.requests).toEqual([]);
    expect(s3.commands).toEqual([]);
  });

  it('accepts numbers and booleans written as strings (EventBridge input)', async () => {
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z')];
    const reply = await job().run({ limit: '25', manual: 'true' } as never, jobContext());
    expect(reply).toMatchObject({ ok: true, limit_used: 25, manual: true, state_updated: false });
  });

  it('checks its options when created', () => {
    expect(() => kbIngest({ sourceUrl: 'ftp://x', bucket: 'b', knowledgeBaseId: 'k', dataSourceId: 'd' })).toThrow('kbIngest: "sourceUrl" must be an absolute http(s) URL, got "ftp://x"');
    expect(() => kbIngest({ sourceUrl: SOURCE_URL, bucket: '', knowledgeBaseId: 'k', dataSourceId: 'd' })).toThrow('kbIngest: "bucket" is required');
    expect(() => kbIngest({ sourceUrl: SOURCE_URL, bucket: 'b', knowledgeBaseId: 'k', dataSourceId: 'd', partSizeBytes: 1024 })).toThrow('kbIngest: "partSizeBytes" must be a number ≥ 5242880, got 1024');
  });

  it('fromEnv maps the deployed variable names', async () => {
    await s3.put('state/since.txt', '2024-05-02T00:00:00Z\n');
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z')];
    const fromEnv = kbIngest.fromEnv(
      // Values as a deployment tool may leave them, with stray whitespace: every one is trimmed.
      { API_URL: ` ${SOURCE_URL}`, API_KEY: ' env-key\n', DAYS_BACK_DEFAULT: '5', S3_BUCKET: `${BUCKET} `, S3_DATA_PREFIX: ' exports', S3_STATE_KEY: 'state/since.txt ', KB_ID: ' KB-ENV', KB_DATASOURCE_ID: 'DS-ENV ', AWS_REGION: ' us-east-1 ' },
      { s3: () => s3.client(), bedrockAgent: bedrockClient, now: () => NOW },
    );
    expect(fromEnv.name).toBe('kb-ingest');

    const reply = await fromEnv.run({}, jobContext());

    expect(reply).toMatchObject({ ok: true, uploaded_key: 'exports/resolved_tickets_20240503_123456.jsonl', since_used: '2024-05-02T00:00:00Z', state_updated: true });
    expect(source.state.requests[0]!.apiKey).toBe('env-key');
    expect(ingestion.state.calls[0]!.path).toBe('/knowledgebases/KB-ENV/datasources/DS-ENV/ingestionjobs/');
    expect((await s3.get('state/since.txt')).body.toString()).toMatch(/^2024-05-02T10:00:00Z\n/);
  });

  it('fromEnv uses DAYS_BACK_DEFAULT for the first run', async () => {
    source.state.raw = '';
    const reply = await kbIngest
      .fromEnv({ API_URL: SOURCE_URL, DAYS_BACK_DEFAULT: '5', S3_BUCKET: BUCKET, KB_ID: 'k', KB_DATASOURCE_ID: 'd' }, { s3: () => s3.client(), bedrockAgent: bedrockClient, now: () => NOW })
      .run({}, jobContext());
    expect(reply).toMatchObject({ since_used: '2024-04-28T12:34:56.000Z' });
  });

  it('fromEnv without its variables still makes the job; each run fails naming every missing one', async () => {
    const unconfigured = kbIngest.fromEnv({ API_URL: SOURCE_URL, KB_ID: '  ' });
    expect(unconfigured.name).toBe('kb-ingest');
    for (let run = 0; run < 2; run++) {
      await expect(unconfigured.run({}, jobContext())).rejects.toMatchObject({
        name: 'ActionError',
        status: 503,
        code: 'NOT_CONFIGURED',
        message: 'kbIngest.fromEnv: missing environment variable(s) S3_BUCKET, KB_ID, KB_DATASOURCE_ID',
        details: { missing: ['S3_BUCKET', 'KB_ID', 'KB_DATASOURCE_ID'] },
      });
    }
    expect(source.state.requests).toEqual([]);
    expect(await s3.keys()).toEqual([]);
  });

  it('fromEnv refuses a malformed value when created', () => {
    expect(() => kbIngest.fromEnv({ API_URL: SOURCE_URL, S3_BUCKET: 'b', KB_ID: 'k', KB_DATASOURCE_ID: 'd', DAYS_BACK_DEFAULT: 'two' })).toThrow('kbIngest.fromEnv: DAYS_BACK_DEFAULT must be a number of days, got "two"');
  });
});

describe('kbIngest through the router', () => {
  it('runs on an EventBridge schedule event and logs with the job name', async () => {
    source.state.tickets = [ticket('T-1', '2024-05-02T10:00:00Z')];
    const log = memoryLogger();
    const router = createRouter({ logger: log.logger }).schedule(job());
    const event = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2024-05-03T12:34:56Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/kb-ingest-hourly'],
      detail: {},
    };

    const reply = await router.handle(event, lambdaContext());

    expect(reply).toEqual({
      ok: true,
      uploaded_key: 'tickets/resolved_tickets_20240503_123456.jsonl',
      ingestion_job_id: 'IJOB000001',
      since_used: '2024-05-01T12:34:56.000Z',
      limit_used: null,
      manual: false,
      new_since: '2024-05-02T10:00:00Z',
      state_updated: true,
    });
    expect(log.lines.find((l) => l.message === 'kb-ingest: export uploaded')).toMatchObject({ job: 'kb-ingest', records: 1 });
  });

  it('runs a direct { since, limit, manual } invocation', async () => {
    source.state.tickets = [ticket('T-1', '2024-04-10T10:00:00Z')];
    const router = createRouter({ logger: memoryLogger().logger }).schedule(job());

    const reply = await router.handle({ since: '2024-04-01T00:00:00Z', limit: 10, manual: true }, lambdaContext());

    expect(reply).toMatchObject({ ok: true, since_used: '2024-04-01T00:00:00Z', limit_used: 10, manual: true, state_updated: false });
    expect(Object.fromEntries(source.state.requests[0]!.url.searchParams)).toEqual({ since: '2024-04-01T00:00:00Z', limit: '10' });
  });
});
