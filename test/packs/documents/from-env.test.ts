// documentsApi.fromEnv and the local-first defaults: PGlite under DATA_DIR and the disk for the bytes;
// prompts answer 503 naming the missing variables, and files on disk cannot go to InvokeAgent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter, type Caller } from 'bedrock-action-groups';
import { bedrockAgent, documentsApi } from 'bedrock-action-groups/documents';
import { diskBlobs, memoryStore } from 'bedrock-action-groups/stores';
import { PDF } from './support.ts';
import { memoryLogger } from '../../support/logger.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'docs-env-'));
  dirs.push(dir);
  return dir;
};

const caller: Caller = { userId: 'user-1', role: 'Agent' };
function serve(group: ReturnType<typeof documentsApi>) {
  const router = createRouter({ authenticate: () => caller, logger: memoryLogger().logger }).add(group, { prefix: '/bocppocia-bedrock' });
  return async (method: string, path: string, body?: unknown) => {
    const reply = await router.fetch(new Request(`http://localhost/bocppocia-bedrock${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    return { status: reply.status, body: (await reply.json()) as Record<string, any> };
  };
}

describe('documentsApi.fromEnv', () => {
  it('without the agent variables: uploads, files and history work on PGlite and the disk; prompts are a 503 naming them', async () => {
    const dir = tempDir();
    const call = serve(documentsApi.fromEnv({ DATA_DIR: dir }));
    const up = await call('POST', '/upload', { fileBase64: PDF.toString('base64'), fileName: 'a.pdf' });
    expect(up.status).toBe(200);
    expect(up.body.records.key).toBe(`${up.body.records.fileId}_a.pdf`);
    expect(up.body.records.url).toMatch(/^\/blobs\/[0-9a-f-]+_a\.pdf\?expires=\d+&signature=/);
    expect((await call('GET', '/files')).body.pagination).toEqual({ total: 1, limit: 20, offset: 0, hasMore: false });
    expect((await call('GET', '/history')).body.records).toEqual([]);
    const prompt = await call('POST', '/prompt', { prompt: 'hola' });
    expect(prompt.status).toBe(503);
    expect(prompt.body).toEqual({ statusCode: 503, result: false, message: 'Error al procesar el prompt: documentsApi.fromEnv: missing environment variable(s) BEDROCK_AGENT_ID, BEDROCK_AGENT_ALIAS_ID', error: { code: 'NOT_CONFIGURED', details: { missing: ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID'] } } });
  });

  it('MAX_FILE_BYTES sets the limit; a malformed one throws at start-up', async () => {
    const call = serve(documentsApi.fromEnv({ DATA_DIR: tempDir(), MAX_FILE_BYTES: '16' }, { store: memoryStore() }));
    expect((await call('POST', '/upload', { fileBase64: Buffer.from('x'.repeat(17)).toString('base64'), fileName: 'a.txt' })).status).toBe(413);
    expect((await call('POST', '/upload', { fileBase64: Buffer.from('x'.repeat(16)).toString('base64'), fileName: 'a.txt' })).status).toBe(200);
    expect(() => documentsApi.fromEnv({ MAX_FILE_BYTES: '10MB' })).toThrow('MAX_FILE_BYTES must be a positive integer, got "10MB"');
  });

  it('authenticateFromEnv: cognitoJwt from COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID, else none', () => {
    expect(documentsApi.authenticateFromEnv({})).toBeUndefined();
    expect(typeof documentsApi.authenticateFromEnv({ COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123', COGNITO_CLIENT_ID: 'web' })).toBe('function');
  });
});

describe('documentsApi options', () => {
  it('files on the local disk cannot go to a Bedrock agent: a 400 saying so, and nothing asked', async () => {
    let asked = 0;
    const agent = bedrockAgent({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', client: () => (asked++, {} as never) });
    const call = serve(documentsApi({ store: memoryStore(), blobs: diskBlobs({ dir: tempDir() }), agent }));
    const fileId = (await call('POST', '/upload', { fileBase64: PDF.toString('base64'), fileName: 'a.pdf' })).body.records.fileId;
    const reply = await call('POST', '/prompt', { prompt: 'hola', fileIds: [fileId] });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe(`The file "${fileId}_a.pdf" is not on S3, and InvokeAgent reads files from S3 only: store the files with s3Blobs to ask the agent about them.`);
    expect(asked).toBe(0);
  });

  it('are checked at creation, naming the option', () => {
    const blobs = diskBlobs({ dir: tempDir() });
    expect(() => documentsApi({} as never)).toThrow('documentsApi: "store" must be a Store (memoryStore() or postgresStore())');
    expect(() => documentsApi({ store: memoryStore() } as never)).toThrow('documentsApi: "blobs" must be a BlobStore');
    expect(() => documentsApi({ store: memoryStore(), blobs, maxFileBytes: 0 })).toThrow('documentsApi: "maxFileBytes" must be a positive integer of bytes, got 0');
    expect(() => documentsApi({ store: memoryStore(), blobs, allowedTypes: ['pdf'] })).toThrow('documentsApi: "allowedTypes" must be a non-empty list of media types');
    expect(() => documentsApi({ store: memoryStore(), blobs, agent: {} as never })).toThrow('documentsApi: "agent" must be an Agent');
  });

  it('without an agent, prompts are a 503 saying what to pass', async () => {
    const call = serve(documentsApi({ store: memoryStore(), blobs: diskBlobs({ dir: tempDir() }) }));
    const reply = await call('POST', '/prompt', { prompt: 'hola' });
    expect(reply.status).toBe(503);
    expect(reply.body.message).toBe('Error al procesar el prompt: documentsApi: no agent is configured, so prompts cannot be answered; pass "agent" (for example bedrockAgent({ agentId, agentAliasId })).');
  });

  it('keeps every operation out of the agent schemas', () => {
    const group = documentsApi({ store: memoryStore(), blobs: diskBlobs({ dir: tempDir() }) });
    expect(group.operations.map((op) => [op.name, op.method, op.path, op.doors.agent])).toEqual([
      ['uploadFile', 'POST', '/upload', false],
      ['prepareUpload', 'POST', '/uploads', false],
      ['completeUpload', 'POST', '/uploads/{fileId}/complete', false],
      ['sendPrompt', 'POST', '/prompt', false],
      ['streamPrompt', 'POST', '/prompt/stream', false],
      ['listFiles', 'GET', '/files', false],
      ['getHistory', 'GET', '/history', false],
      ['fileContent', 'GET', '/files/{fileId}/content', false],
    ]);
  });
});
