// The documents API end to end, as the web app uses it: the node adapter on a real socket, RS256 Cognito
// tokens, PGlite, s3rver, and InvokeAgent on a local HTTP/2 server writing real event-stream frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, BUCKET, PDF, PNG, startDocs, type DocsWorld } from './support.ts';
import type { InvokeAgentEvent, InvokeAgentRequest } from '../../support/invoke-agent-server.ts';

const INVOCATION_ID = '5c0f3a1e-8d2b-4c4e-9f51-0b1d2e3f4a5b';

const RETURN_CONTROL: InvokeAgentEvent = { type: 'returnControl', payload: { invocationId: INVOCATION_ID, invocationInputs: [{ apiInvocationInput: { actionGroup: 'Profile', apiPath: '/profile', httpMethod: 'GET', actionInvocationType: 'RESULT', parameters: [] } }] } };

/**
 * What the stand-in agent says: it names the files it was given; for "¿Quién soy?" it asks the application
 * who is asking (return of control), for "bucle" it keeps asking.
 */
function script(request: InvokeAgentRequest): InvokeAgentEvent[] {
  const state = request.body.sessionState as { files?: { name: string }[]; returnControlInvocationResults?: { apiResult: { responseBody: { 'application/json': { body: string } } } }[] } | undefined;
  const results = state?.returnControlInvocationResults;
  if (results) {
    const asked = world.agentServer.requests.find((r) => r.sessionId === request.sessionId && r.body.inputText !== undefined);
    if (asked?.body.inputText === 'bucle') return [RETURN_CONTROL];
    return [{ type: 'chunk', text: `Preguntas como ${JSON.parse(results[0]!.apiResult.responseBody['application/json'].body).userId}.` }];
  }
  const text = String(request.body.inputText);
  if (text === '¿Quién soy?' || text === 'bucle') return [RETURN_CONTROL];
  if (text === 'rompe') return [{ type: 'chunk', text: 'Empiezo a responder' }, { reset: true }];
  if (text === 'frena') return [{ exception: 'throttlingException', message: 'Rate exceeded' }];
  const names = (state?.files ?? []).map((f) => f.name).join(', ') || 'ninguno';
  return [{ type: 'chunk', text: 'Leí ' }, { type: 'chunk', text: `${state?.files?.length ?? 0} archivo(s): ` }, { type: 'chunk', text: `${names}.` }];
}

let world: DocsWorld;
let ana = '';
let beto = '';
let sup = '';
beforeAll(async () => {
  world = await startDocs(script);
  ana = await world.bearer('user-ana');
  beto = await world.bearer('user-beto');
  sup = await world.bearer('user-sup', ['Supervisor']);
});
afterAll(() => world.close());

const upload = (token: string, body: Record<string, unknown>) => world.call('POST', '/upload', { token, body });
const b64 = (bytes: Buffer) => bytes.toString('base64');

describe('the whole flow through the node adapter', () => {
  it('upload → list → prompt with the file → follow-up with the session\'s files → history', async () => {
    const before = world.agentServer.requests.length;
    const up = await upload(ana, { fileBase64: `data:application/pdf;base64,${b64(PDF)}`, fileName: 'Factura marzo.pdf', fileType: 'application/pdf', sessionId: 's-ana-1' });
    expect(up.status).toBe(200);
    const fileId = up.body.records.fileId as string;
    expect(up.body).toEqual({
      statusCode: 200,
      result: true,
      message: 'Archivo subido correctamente.',
      records: { fileId, key: `bedrock-files/${fileId}_Factura marzo.pdf`, url: expect.stringContaining(`/${BUCKET}/bedrock-files/${fileId}_Factura%20marzo.pdf?`), fileName: `${fileId}_Factura marzo.pdf`, fileSize: PDF.length },
    });
    expect(await world.keys()).toContain(`bedrock-files/${fileId}_Factura marzo.pdf`);
    // The link really serves the bytes.
    expect(Buffer.from(await (await fetch(up.body.records.url)).arrayBuffer())).toEqual(PDF);

    const list = await world.call('GET', '/files?sessionId=s-ana-1', { token: ana });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      statusCode: 200,
      result: true,
      message: 'Archivos obtenidos exitosamente.',
      records: [{ fileId, sessionId: 's-ana-1', fileName: `${fileId}_Factura marzo.pdf`, originalName: 'Factura marzo.pdf', s3Key: `bedrock-files/${fileId}_Factura marzo.pdf`, s3Url: expect.stringContaining('X-Amz-Signature='), fileSize: PDF.length, fileType: 'application/pdf', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }],
      pagination: { total: 1, limit: 20, offset: 0, hasMore: false },
    });

    const first = await world.call('POST', '/prompt', { token: ana, body: { prompt: '¿Cuánto suma la factura?', sessionId: 's-ana-1', fileIds: [fileId] } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      statusCode: 200,
      result: true,
      message: 'Prompt procesado exitosamente.',
      records: {
        conversationId: expect.any(String),
        sessionId: 's-ana-1',
        prompt: '¿Cuánto suma la factura?',
        response: `Leí 1 archivo(s): ${fileId}_Factura marzo.pdf.`,
        files: [{ bedrockFileId: fileId, bedrockFileS3Key: `bedrock-files/${fileId}_Factura marzo.pdf`, bedrockFileS3Url: expect.stringContaining('X-Amz-Signature='), bedrockFileName: `${fileId}_Factura marzo.pdf`, bedrockFileType: 'application/pdf' }],
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    // What went to InvokeAgent: the file as an S3 source, within the documented limits, on the user's own session.
    const sent = world.agentServer.requests[before]!;
    expect([sent.agentId, sent.agentAliasId]).toEqual([AGENT.agentId, AGENT.agentAliasId]);
    expect(sent.sessionId).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.body).toEqual({
      inputText: '¿Cuánto suma la factura?',
      enableTrace: false,
      sessionState: { files: [{ name: `${fileId}_Factura marzo.pdf`, source: { sourceType: 'S3', s3Location: { uri: `s3://${BUCKET}/bedrock-files/${fileId}_Factura marzo.pdf` } }, useCase: 'CHAT' }] },
    });

    const followUp = await world.call('POST', '/prompt', { token: ana, body: { prompt: '¿Y la fecha?', sessionId: 's-ana-1' } });
    expect(followUp.status).toBe(200);
    expect(followUp.body.records.response).toBe(`Leí 1 archivo(s): ${fileId}_Factura marzo.pdf.`);
    expect(world.agentServer.requests[before + 1]!.sessionId).toBe(sent.sessionId);
    expect(world.agentServer.requests[before + 1]!.body.sessionState).toEqual(sent.body.sessionState);

    const history = await world.call('GET', '/history?sessionId=s-ana-1', { token: ana });
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      statusCode: 200,
      result: true,
      message: 'Historial obtenido exitosamente.',
      records: [
        { conversationId: first.body.records.conversationId, sessionId: 's-ana-1', userId: 'user-ana', prompt: '¿Cuánto suma la factura?', response: first.body.records.response, agentId: AGENT.agentId, fileIds: [fileId], createdAt: first.body.records.timestamp },
        { conversationId: followUp.body.records.conversationId, sessionId: 's-ana-1', userId: 'user-ana', prompt: '¿Y la fecha?', response: followUp.body.records.response, agentId: AGENT.agentId, fileIds: [fileId], createdAt: followUp.body.records.timestamp },
      ],
      pagination: { total: 2, limit: 50, offset: 0, hasMore: false },
    });
  });

  it('a prompt without a session gets a new sessionId, and the caller\'s newest files', async () => {
    const reply = await world.call('POST', '/prompt', { token: ana, body: { prompt: 'Resume mis archivos' } });
    expect(reply.status).toBe(200);
    expect(reply.body.records.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.records.files.length).toBeGreaterThanOrEqual(1);
  });

  it('runs the agent\'s return of control as the caller and sends the results back with the invocationId', async () => {
    const before = world.agentServer.requests.length;
    const reply = await world.call('POST', '/prompt', { token: beto, body: { prompt: '¿Quién soy?', sessionId: 's-beto-rc' } });
    expect(reply.status).toBe(200);
    expect(reply.body.records.response).toBe('Preguntas como user-beto.');
    const [asked, answered] = world.agentServer.requests.slice(before);
    expect(answered!.sessionId).toBe(asked!.sessionId);
    expect(answered!.body).toEqual({
      enableTrace: false,
      sessionState: {
        invocationId: INVOCATION_ID,
        returnControlInvocationResults: [{ apiResult: { actionGroup: 'Profile', apiPath: '/profile', httpMethod: 'GET', httpStatusCode: 200, responseBody: { 'application/json': { body: JSON.stringify({ userId: 'user-beto', role: 'Agent' }) } } } }],
      },
    });
  });

  it('stops after maxReturnControlRounds with a 502 and keeps nothing', async () => {
    const counts = await world.counts();
    const reply = await world.call('POST', '/prompt', { token: beto, body: { prompt: 'bucle', sessionId: 's-beto-loop' } });
    expect(reply.status).toBe(502);
    expect(reply.body).toEqual({ statusCode: 502, result: false, message: 'Error al procesar el prompt: The agent returned control more than 2 times (maxReturnControlRounds) for one question; stopped.', error: { code: 'BAD_GATEWAY' } });
    expect(await world.counts()).toEqual(counts);
  });
});

describe('upstream failures', () => {
  it('a stream that breaks half-way is a 502 and nothing is stored', async () => {
    const counts = await world.counts();
    const reply = await world.call('POST', '/prompt', { token: ana, body: { prompt: 'rompe', sessionId: 's-ana-2' } });
    expect(reply.status).toBe(502);
    expect(reply.body.result).toBe(false);
    expect(reply.body.message).toMatch(/^Error al procesar el prompt: The agent failed \(/);
    expect(JSON.stringify(reply.body)).not.toMatch(/ at |node_modules/);
    expect(await world.counts()).toEqual(counts);
  });

  it('throttling is a 503 saying when to retry; nothing is stored', async () => {
    const counts = await world.counts();
    const reply = await world.call('POST', '/prompt', { token: ana, body: { prompt: 'frena' } });
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('5');
    expect(reply.body).toEqual({ statusCode: 503, result: false, message: 'Error al procesar el prompt: The agent is throttled (ThrottlingException); try again in 5 s.', error: { code: 'THROTTLED' } });
    expect(await world.counts()).toEqual(counts);
  });

  it('a configured extra agent may be named; any other is a 403', async () => {
    const before = world.agentServer.requests.length;
    const other = await world.call('POST', '/prompt', { token: ana, body: { prompt: 'Hola', agentId: 'OTHERAGENT', agentAliasId: 'OTHERALIAS' } });
    expect(other.status).toBe(200);
    expect([world.agentServer.requests[before]!.agentId, world.agentServer.requests[before]!.agentAliasId]).toEqual(['OTHERAGENT', 'OTHERALIAS']);
    const refused = await world.call('POST', '/prompt', { token: ana, body: { prompt: 'Hola', agentId: 'EVILAGENT1', agentAliasId: 'EVILALIAS1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('This agent and alias are not allowed here; leave agentId and agentAliasId out to use the configured agent.');
    expect(world.agentServer.requests).toHaveLength(before + 1);
  });
});

describe('identity and other users\' data', () => {
  let anaFile = '';
  beforeAll(async () => {
    anaFile = (await upload(ana, { fileBase64: b64(PDF), fileName: 'privado.pdf', sessionId: 's-ana-private' })).body.records.fileId;
  });

  it('no token is a 401 in the envelope, with the Bearer challenge', async () => {
    const reply = await world.call('GET', '/files');
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(reply.body).toEqual({ statusCode: 401, result: false, message: 'Authentication required: send Authorization: Bearer <token>.', error: { code: 'UNAUTHORIZED' } });
  });

  it('naming another user is a 403, except a supervisor reading', async () => {
    for (const [method, path, body] of [['GET', '/files?userId=user-ana'], ['GET', '/history?userId=user-ana'], ['POST', '/prompt', { prompt: 'x', userId: 'user-ana' }], ['POST', '/upload', { fileBase64: b64(PDF), fileName: 'a.pdf', userId: 'user-ana' }]] as const) {
      const reply = await world.call(method, path, { token: beto, ...(body ? { body } : {}) });
      expect({ path, status: reply.status, result: reply.body.result }).toEqual({ path, status: 403, result: false });
    }
    const read = await world.call('GET', '/files?userId=user-ana&sessionId=s-ana-private', { token: sup });
    expect(read.status).toBe(200);
    expect(read.body.records.map((r: { fileId: string }) => r.fileId)).toEqual([anaFile]);
    expect((await world.call('GET', '/history?userId=user-ana', { token: sup })).status).toBe(200);
    // A supervisor reads; it does not write as someone else.
    expect((await world.call('POST', '/prompt', { token: sup, body: { prompt: 'x', userId: 'user-ana' } })).status).toBe(403);
    expect((await upload(sup, { fileBase64: b64(PDF), fileName: 'a.pdf', userId: 'user-ana' })).status).toBe(403);
  });

  it('someone else\'s fileId is a 404, exactly like one that does not exist', async () => {
    const counts = await world.counts();
    const before = world.agentServer.requests.length;
    const theirs = await world.call('POST', '/prompt', { token: beto, body: { prompt: 'x', fileIds: [anaFile] } });
    const none = await world.call('POST', '/prompt', { token: beto, body: { prompt: 'x', fileIds: ['00000000-0000-4000-8000-000000000000'] } });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual({ statusCode: 404, result: false, message: `No existe el archivo "${anaFile}".`, error: { code: 'FILE_NOT_FOUND', details: { fileId: anaFile } } });
    expect(none.body.message).toBe('No existe el archivo "00000000-0000-4000-8000-000000000000".');
    expect(world.agentServer.requests).toHaveLength(before);
    expect(await world.counts()).toEqual(counts);
  });

  it('someone else\'s sessionId is isolated: their files, history and agent session stay theirs', async () => {
    expect((await world.call('GET', '/files?sessionId=s-ana-private', { token: beto })).body).toMatchObject({ records: [], pagination: { total: 0 } });
    expect((await world.call('GET', '/history?sessionId=s-ana-1', { token: beto })).body).toMatchObject({ records: [], pagination: { total: 0 } });
    const before = world.agentServer.requests.length;
    await world.call('POST', '/prompt', { token: ana, body: { prompt: 'mío', sessionId: 's-shared' } });
    const reply = await world.call('POST', '/prompt', { token: beto, body: { prompt: 'ajeno', sessionId: 's-shared' } });
    expect(reply.status).toBe(200);
    const [anaCall, betoCall] = world.agentServer.requests.slice(before);
    expect(betoCall!.sessionId).not.toBe(anaCall!.sessionId);
    // Beto has no files: none of Ana's go to the agent for him.
    expect(betoCall!.body.sessionState).toBeUndefined();
    expect((await world.call('GET', '/history?sessionId=s-shared', { token: beto })).body.records.map((r: { prompt: string }) => r.prompt)).toEqual(['ajeno']);
  });
});

describe('upload checks: refused files leave nothing behind', () => {
  async function refused(body: Record<string, unknown>) {
    const keys = await world.keys();
    const counts = await world.counts();
    const reply = await upload(ana, body);
    expect(await world.keys()).toEqual(keys);
    expect(await world.counts()).toEqual(counts);
    return reply;
  }

  it('a PNG declared as a PDF is a 415 naming both types', async () => {
    for (const body of [{ fileBase64: b64(PNG), fileName: 'foto.pdf', fileType: 'application/pdf' }, { fileBase64: `data:application/pdf;base64,${b64(PNG)}`, fileName: 'foto.pdf' }]) {
      const reply = await refused(body);
      expect(reply.status).toBe(415);
      expect(reply.body).toEqual({ statusCode: 415, result: false, message: 'El contenido del archivo es image/png, pero se declaró application/pdf.', error: { code: 'FILE_TYPE_MISMATCH', details: { detected: 'image/png', declared: 'application/pdf' } } });
    }
  });

  it('a type outside allowedTypes is a 415', async () => {
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    const reply = await refused({ fileBase64: b64(gif), fileName: 'x.gif' });
    expect(reply.status).toBe(415);
    expect(reply.body.message).toMatch(/^El tipo image\/gif no está permitido; tipos permitidos: application\/pdf, image\/png/);
  });

  it('a file of 10 MiB + 1 byte is a 413; 10 MiB exactly is accepted', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const reply = await refused({ fileBase64: b64(big), fileName: 'grande.txt' });
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ statusCode: 413, result: false, message: 'El archivo supera el tamaño máximo de 10485760 bytes.', error: { code: 'FILE_TOO_LARGE', details: { limitBytes: 10485760 } } });
    const fits = await upload(ana, { fileBase64: b64(big.subarray(1)), fileName: 'justo.txt' });
    expect(fits.status).toBe(200);
    expect(fits.body.records.fileSize).toBe(10 * 1024 * 1024);
  });

  it('bad base64 is a 400 naming fileBase64', async () => {
    for (const fileBase64 of ['JVBERi0x$', 'JVBERi0', 'JVBE Ri0x', 'JVBERi0x\n', '====']) {
      const reply = await refused({ fileBase64, fileName: 'a.pdf' });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('BAD_BASE64');
      expect(reply.body.message).toMatch(/^fileBase64 no es base64 válido/);
    }
  });

  it('missing fields are listed, exactly the missing ones', async () => {
    expect((await refused({})).body).toEqual({ statusCode: 400, result: false, message: 'Faltan campos requeridos: fileBase64, fileName', error: { code: 'VALIDATION_FAILED', details: [{ field: 'fileBase64', problem: 'is required (text)' }, { field: 'fileName', problem: 'is required (text)' }] } });
    expect((await refused({ fileBase64: b64(PDF) })).body.message).toBe('Faltan campos requeridos: fileName');
  });

  it('text must be UTF-8', async () => {
    const reply = await refused({ fileBase64: b64(Buffer.from([0x48, 0x6f, 0x6c, 0x61, 0xff, 0xfe, 0x20])), fileName: 'notas.txt' });
    expect(reply.status).toBe(415);
  });

  it('../../etc/passwd as a name is sanitised, not refused', async () => {
    const reply = await upload(ana, { fileBase64: b64(Buffer.from('root:x:0:0\n')), fileName: '../../etc/passwd' });
    expect(reply.status).toBe(200);
    const fileId = reply.body.records.fileId;
    expect(reply.body.records).toMatchObject({ fileName: `${fileId}_passwd`, key: `bedrock-files/${fileId}_passwd` });
    expect(await world.keys()).toContain(`bedrock-files/${fileId}_passwd`);
    const listed = (await world.call('GET', '/files?limit=100', { token: ana })).body.records.find((r: { fileId: string }) => r.fileId === fileId);
    expect(listed).toMatchObject({ originalName: '../../etc/passwd', fileType: 'text/plain' });
  });
});
