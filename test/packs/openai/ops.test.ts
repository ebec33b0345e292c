import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { createRouter as makeRouter } from '../../../src/router.js';
import { memoryStore } from '../../../src/stores/memory.js';
import { botRoutineJob, openaiOps } from '../../../src/packs/openai/index.js';
import { signEnvelopeToken } from '../../../src/index.js';
const createRouter = () => makeRouter({ logger: createLogger({ level: 'silent' }) });
import { ANA, API_KEY, BRUNO, client, functionCall, harness, message, responseObject, type FakeOpenAi, useFakeOpenAi } from './support.js';

const { server, fake: current } = useFakeOpenAi();
let fake: FakeOpenAi;
beforeEach(() => {
  fake = current();
});

const EXAMPLE = { messages: [{ role: 'system', content: 'Eres el asistente de soporte.' }, { role: 'user', content: '¿Dónde está mi pedido?' }, { role: 'assistant', content: 'Déjame revisarlo.' }] };
const JSONL = `${JSON.stringify(EXAMPLE)}\n${JSON.stringify(EXAMPLE)}\n`;

describe('train and check_train', () => {
  it('uploads the JSONL as a multipart fine-tune file, starts a supervised job and records it as the caller’s', async () => {
    const { call } = harness();
    const reply = await call('train', { jsonl: JSONL, suffix: 'soporte' });
    expect(reply).toEqual({ file_id: 'file-train1', job_id: 'ftjob-abc123', status: 'validating_files', estimated_finish: new Date(1_780_003_600_000).toISOString() });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /files', 'POST /fine_tuning/jobs']);
    const upload = fake.seen[0]!;
    expect(upload.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(upload.form?.get('purpose')).toBe('fine-tune');
    const file = upload.form?.get('file') as File;
    expect(file.name).toBe('training.jsonl');
    expect(await file.text()).toBe(JSONL);
    expect(fake.seen[1]!.json).toEqual({ training_file: 'file-train1', model: 'gpt-4.1-mini-2025-04-14', method: { type: 'supervised' }, suffix: 'soporte' });
  });

  it('reads a training file from the blob store under a .jsonl name', async () => {
    const { diskBlobs } = await import('../../../src/stores/disk-blobs.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const blobs = diskBlobs({ dir: mkdtempSync(`${tmpdir()}/openai-blobs-`) });
    await blobs.put('ana/soporte v2.txt', new TextEncoder().encode(JSONL), { contentType: 'application/jsonl' });
    const { call } = harness({ blobs });
    await call('train', { file: 'ana/soporte v2.txt', model: 'gpt-4.1-2025-04-14' });
    const file = fake.seen[0]!.form?.get('file') as File;
    expect([file.name, await file.text()]).toEqual(['soporte_v2.jsonl', JSONL]);
    expect(fake.seen[1]!.json.model).toBe('gpt-4.1-2025-04-14');
    await expect(call('train', { file: 'ana/none.jsonl' })).rejects.toMatchObject({ status: 404 });
  });

  it('refuses both or neither of file and jsonl, and a file over maxTrainingBytes, sending nothing', async () => {
    const { call } = harness({ maxTrainingBytes: 100 });
    await expect(call('train', {})).rejects.toMatchObject({ status: 400, message: expect.stringContaining('exactly one of "file"') });
    await expect(call('train', { jsonl: JSONL, file: 'x.jsonl' })).rejects.toMatchObject({ status: 400 });
    await expect(call('train', { jsonl: JSONL })).rejects.toMatchObject({ status: 413 });
    expect(fake.seen).toEqual([]);
  });

  it('when OpenAI refuses the job (fine-tuning unavailable), answers its refusal and deletes the uploaded file', async () => {
    const { http, HttpResponse } = await import('msw');
    server.use(http.post('https://api.openai.test/v1/fine_tuning/jobs', () => HttpResponse.json({ error: { message: 'Fine-tuning is not available for this organization.', type: 'invalid_request_error', code: 'fine_tuning_unavailable' } }, { status: 400 })));
    const { call, store } = harness();
    await expect(call('train', { jsonl: JSONL })).rejects.toMatchObject({ status: 400, code: 'OPENAI_REFUSED', message: 'OpenAI refused the request while creating the fine-tuning job (HTTP 400): Fine-tuning is not available for this organization.' });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /files', 'DELETE /files/file-train1']);
    expect((await store.list('openai-train-job')).total).toBe(0);
  });

  it('check_train answers the job and its events, for its owner only', async () => {
    const { call } = harness();
    await call('train', { jsonl: JSONL });
    fake.seen.length = 0;
    expect(await call('check_train', { job_id: 'ftjob-abc123' })).toEqual({
      job_id: 'ftjob-abc123',
      status: 'running',
      fine_tuned_model: null,
      estimated_finish: new Date(1_780_003_600_000).toISOString(),
      trained_tokens: 1200,
      events: [
        { created_at: new Date(1_780_000_600_000).toISOString(), level: 'info', message: 'Step 10/100: training loss=0.42' },
        { created_at: new Date(1_780_000_060_000).toISOString(), level: 'info', message: 'Fine-tuning job started' },
      ],
    });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`).sort()).toEqual(['GET /fine_tuning/jobs/ftjob-abc123', 'GET /fine_tuning/jobs/ftjob-abc123/events']);
    fake.seen.length = 0;
    await expect(call('check_train', { job_id: 'ftjob-abc123' }, BRUNO)).rejects.toMatchObject({ status: 403 });
    await expect(call('check_train', { job_id: 'ftjob-unknown' })).rejects.toMatchObject({ status: 404 });
    expect(fake.seen).toEqual([]);
  });
});

describe('threads and messaging', () => {
  it('new_thread creates a conversation with the owner in its metadata; messaging sends the message in it', async () => {
    const { call } = harness({ defaultModel: 'gpt-test' });
    expect(await call('new_thread', {})).toEqual({ thread_id: 'conv_ana1' });
    expect(fake.seen[0]).toMatchObject({ method: 'POST', path: '/conversations', json: { metadata: { owner: 'ana' } } });
    fake.responses.push(responseObject('resp_1', [message('Tu pedido sale mañana.')]));
    expect(await call('messaging', { thread_id: 'conv_ana1', message: '¿Cuándo llega?' })).toEqual({ thread_id: 'conv_ana1', response_id: 'resp_1', reply: 'Tu pedido sale mañana.' });
    expect(fake.seen[1]).toMatchObject({ method: 'POST', path: '/responses' });
    expect(fake.seen[1]!.json).toEqual({ model: 'gpt-test', input: '¿Cuándo llega?', conversation: 'conv_ana1' });
  });

  it("a second user's messaging on the first user's thread is a 403 and nothing reaches OpenAI", async () => {
    const { call } = harness();
    await call('new_thread', {});
    fake.seen.length = 0;
    await expect(call('messaging', { thread_id: 'conv_ana1', message: 'hola' }, BRUNO)).rejects.toMatchObject({ status: 403, message: 'The thread "conv_ana1" belongs to another user.' });
    await expect(call('messaging', { thread_id: 'conv_nobody', message: 'hola' }, BRUNO)).rejects.toMatchObject({ status: 404 });
    expect(fake.seen).toEqual([]);
  });

  it('messaging as a bot uses its model and instructions; someone else’s bot is a 403 with nothing sent', async () => {
    const { call } = harness();
    await call('new_thread', {});
    const { bot_id } = await call('bot', { name: 'Soporte', model: 'gpt-bot', instructions: 'Responde en español.' });
    expect(bot_id).toMatch(/^bot_[0-9a-f-]{36}$/);
    fake.responses.push(responseObject('resp_2', [message('¡Hola!')]));
    await call('messaging', { thread_id: 'conv_ana1', message: 'hola', bot_id });
    expect(fake.seen.at(-1)!.json).toEqual({ model: 'gpt-bot', input: 'hola', instructions: 'Responde en español.', conversation: 'conv_ana1' });
    const before = fake.seen.length;
    await expect(call('bot_routine', { bot_id, prompt: 'x' }, BRUNO)).rejects.toMatchObject({ status: 403 });
    expect(fake.seen.length).toBe(before);
  });
});

describe('bots and their routines', () => {
  it('bot_routine answers a function call with the router (as the caller) and sends its output back in the next request', async () => {
    const { call } = harness({ defaultModel: 'gpt-test' });
    const { bot_id } = await call('bot', { name: 'Pedidos', instructions: 'Revisa pedidos.', tools: ['getOrder'], routine: 'Revisa el pedido A-1' });
    fake.responses.push(responseObject('resp_a', [functionCall('call_1', 'getOrder', { orderId: 'A-1', verbose: null })]), responseObject('resp_b', [message('El pedido A-1 fue enviado.')]));
    const reply = await call('bot_routine', { bot_id });
    expect(reply).toEqual({ bot_id, response_id: 'resp_b', reply: 'El pedido A-1 fue enviado.', tool_calls: [{ name: 'getOrder', status: 'ok' }] });
    const [first, second] = fake.seen.filter((s) => s.path === '/responses');
    expect(first!.json).toMatchObject({ model: 'gpt-test', input: 'Revisa el pedido A-1', instructions: 'Revisa pedidos.' });
    expect(first!.json.tools).toEqual([
      {
        type: 'function',
        name: 'getOrder',
        description: 'Get one order by its id',
        strict: true,
        parameters: { type: 'object', properties: { orderId: { type: 'string', description: 'Order id' }, verbose: { type: ['boolean', 'null'], description: 'Include the lines' } }, required: ['orderId', 'verbose'], additionalProperties: false },
      },
    ]);
    expect(second!.json).toEqual({
      model: 'gpt-test',
      instructions: 'Revisa pedidos.',
      tools: first!.json.tools,
      previous_response_id: 'resp_a',
      input: [{ type: 'function_call_output', call_id: 'call_1', output: JSON.stringify({ orderId: 'A-1', status: 'shipped', verbose: false, askedBy: 'ana', role: 'Agent' }) }],
    });
  });

  it('tells the model when a tool fails, and stops offering tools after maxToolRounds rounds', async () => {
    const { call } = harness({ maxToolRounds: 2 });
    const { bot_id } = await call('bot', { name: 'Bucle', instructions: 'x', tools: ['getOrder'] });
    fake.responses.push(
      responseObject('r1', [functionCall('c1', 'getOrder', '{not json')]),
      responseObject('r2', [functionCall('c2', 'getOrder', { verbose: true })]),
      responseObject('r3', [message('No pude.')]),
    );
    const reply = await call('bot_routine', { bot_id, prompt: 'hazlo' });
    expect(reply.tool_calls).toEqual([{ name: 'getOrder', status: 'error' }, { name: 'getOrder', status: 'error' }]);
    const requests = fake.seen.filter((s) => s.path === '/responses').map((s) => s.json);
    expect(requests).toHaveLength(3);
    expect(JSON.parse(requests[1].input[0].output)).toEqual({ error: { code: 'BAD_REQUEST', message: 'The arguments are not valid JSON; send one JSON object.' } });
    expect(JSON.parse(requests[2].input[0].output).error.code).toBe('VALIDATION_FAILED');
    expect(JSON.parse(requests[2].input[0].output).error.message).toContain('orderId');
    expect(requests.map((r) => r.tool_choice)).toEqual([undefined, undefined, 'none']);
  });

  it('refuses a bot whose tools are unknown or not agent-callable, and one without a routine or prompt', async () => {
    const { call } = harness();
    await expect(call('bot', { name: 'b', instructions: 'x', tools: ['refund'] })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('"refund"') });
    await expect(call('bot', { name: 'b', instructions: 'x', tools: ['nope'] })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('getOrder') });
    const { bot_id } = await call('bot', { name: 'b', instructions: 'x' });
    await expect(call('bot_routine', { bot_id })).rejects.toMatchObject({ status: 400, message: `The bot "${bot_id}" has no routine; send "prompt".` });
    expect(fake.seen).toEqual([]);
  });

  it('botRoutineJob runs on router.schedule as the bot’s owner', async () => {
    const { call, router } = harness();
    const { bot_id } = await call('bot', { name: 'Diario', instructions: 'x', tools: ['getOrder'], routine: 'Revisa A-7' });
    const ops = router.group('OpenAIOps')!;
    router.schedule(botRoutineJob({ ops, botId: bot_id }));
    fake.responses.push(responseObject('r1', [functionCall('c1', 'getOrder', { orderId: 'A-7', verbose: null })]), responseObject('r2', [message('Listo.')]));
    const result = await router.handle({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect(result).toEqual({ bot_id, response_id: 'r2', reply: 'Listo.', tool_calls: [{ name: 'getOrder', status: 'ok' }] });
    const output = fake.seen.filter((s) => s.path === '/responses')[1]!.json.input[0].output;
    expect(JSON.parse(output)).toMatchObject({ askedBy: 'ana', role: 'Agent' });
    expect(() => botRoutineJob({ ops: createRouter().groups[0]!, botId: 'x' })).toThrow('"ops" must be the group made by openaiOps()');
  });
});

describe('credentials, configuration and identity', () => {
  it('credentials lists the models and answers { ok: true }', async () => {
    const { call } = harness();
    expect(await call('credentials', {})).toEqual({ ok: true });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /models']);
  });

  it('without a key every operation answers 503 naming OPENAI_API_KEY, and nothing is sent', async () => {
    for (const ops of [openaiOps({ store: memoryStore() }), openaiOps.fromEnv({}, { store: memoryStore() }), openaiOps.fromEnv({ OPENAI_API_KEY: '  ' })]) {
      const router = createRouter().add(ops);
      for (const op of ops.operations) {
        const input = { train: { jsonl: JSONL }, check_train: { job_id: 'j' }, messaging: { thread_id: 't', message: 'm' }, bot: { name: 'b', instructions: 'i' }, bot_routine: { bot_id: 'b' } }[op.name] ?? {};
        await expect(router.invoke('OpenAIOps', op.name, input, { caller: ANA }), op.name).rejects.toMatchObject({ status: 503, code: 'NOT_CONFIGURED', message: 'OpenAIOps: missing environment variable(s) OPENAI_API_KEY' });
      }
    }
    expect(fake.seen).toEqual([]);
  });

  it('fromEnv reads the key, base URL and models; without a store it keeps threads in PGlite under DATA_DIR', async () => {
    const store = memoryStore();
    const env = { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: 'https://api.openai.test/v1', OPENAI_MODEL: 'gpt-env', OPENAI_FINE_TUNE_MODEL: 'gpt-ft-env' };
    const router = createRouter().add(openaiOps.fromEnv(env, { store, maxRetries: 0 }));
    await router.invoke('OpenAIOps', 'train', { jsonl: JSONL }, { caller: ANA });
    expect(fake.seen[1]!.json.model).toBe('gpt-ft-env');
    expect(fake.seen[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    await router.invoke('OpenAIOps', 'new_thread', {}, { caller: ANA });
    fake.responses.push(responseObject('r', [message('ok')]));
    await router.invoke('OpenAIOps', 'messaging', { thread_id: 'conv_ana1', message: 'hola' }, { caller: ANA });
    expect(fake.seen.at(-1)!.json.model).toBe('gpt-env');
    const { mkdtempSync, rmSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dataDir = mkdtempSync(`${tmpdir()}/openai-env-`);
    try {
      const fromEnvStore = createRouter().add(openaiOps.fromEnv({ ...env, DATA_DIR: dataDir }, { maxRetries: 0 }));
      await fromEnvStore.invoke('OpenAIOps', 'new_thread', {}, { caller: BRUNO });
      fake.responses.push(responseObject('r2', [message('ok')]));
      // The thread was kept: its owner may message in it, and PGlite's files are under DATA_DIR/pg.
      await expect(fromEnvStore.invoke('OpenAIOps', 'messaging', { thread_id: 'conv_ana1', message: 'hola' }, { caller: BRUNO })).resolves.toMatchObject({ reply: 'ok' });
      expect(existsSync(`${dataDir}/pg/PG_VERSION`)).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(() => openaiOps.fromEnv({ ...env, OPENAI_BASE_URL: 'ftp://x' }, { store })).toThrow('"baseURL" must be an absolute http(s) URL');
    expect(() => openaiOps({} as never)).toThrow('"store" is required');
  });

  it('envelopeFromEnv: with ENVELOPE_SECRET, signed envelopes reach the operations; without it, undefined', async () => {
    const store = memoryStore();
    const ops = openaiOps({ client: client(), store });
    expect(openaiOps.envelopeFromEnv(ops, {})).toBeUndefined();
    const secret = 'envelope-secret-0123456789abcdef';
    const router = createRouter().add(ops);
    router.envelope(openaiOps.envelopeFromEnv(ops, { ENVELOPE_SECRET: ` ${secret} ` }) as NonNullable<ReturnType<typeof openaiOps.envelopeFromEnv>>);
    const payload = signEnvelopeToken({ sub: 'ana', jti: 'once' }, secret);
    expect(await router.handle({ payload, body: { event_name: 'credentials' } })).toEqual({ ok: true });
    // The replay store is the group's own store.
    expect(await router.handle({ payload, body: { event_name: 'credentials' } })).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(() => openaiOps.envelopeFromEnv(createRouter().groups[0] as never, {})).toThrow('"ops" must be the group made by openaiOps()');
  });

  it('every operation needs a caller with a user id: 401, nothing sent', async () => {
    const { router } = harness();
    for (const caller of [{}, { role: 'Agent' }]) {
      await expect(router.invoke('OpenAIOps', 'new_thread', {}, { caller })).rejects.toMatchObject({ status: 401 });
      await expect(router.invoke('OpenAIOps', 'credentials', {}, { caller })).rejects.toMatchObject({ status: 401 });
    }
    expect(fake.seen).toEqual([]);
  });

  it('allowedRoles restricts the group', async () => {
    const { call } = harness({ allowedRoles: ['Supervisor'] });
    await expect(call('new_thread', {})).rejects.toMatchObject({ status: 403 });
    expect(await call('new_thread', {}, { userId: 'sara', role: 'Supervisor' })).toEqual({ thread_id: 'conv_ana1' });
  });

  it('only check_train is agent-callable', async () => {
    const { router } = harness();
    expect(router.group('OpenAIOps')!.operations.filter((o) => o.doors.agent).map((o) => o.name)).toEqual(['check_train']);
  });
});
