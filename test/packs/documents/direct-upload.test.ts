// Direct uploads for large files: POST /uploads presigns an S3 POST, the browser sends the file to s3rver,
// and POST /uploads/{fileId}/complete checks the stored object before recording it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, PDF, PNG, startDocs, type DocsWorld } from './support.ts';

let world: DocsWorld;
let ana = '';
let beto = '';
beforeAll(async () => {
  world = await startDocs(() => [{ type: 'chunk', text: 'ok' }]);
  ana = await world.bearer('user-ana');
  beto = await world.bearer('user-beto');
});
afterAll(() => world.close());

/** Sends the file as a browser does with the presigned POST: the fields, then the file. */
async function send(upload: { url: string; fields: Record<string, string> }, bytes: Buffer, type: string): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'upload');
  return (await fetch(upload.url, { method: 'POST', body: form })).status;
}

describe('direct uploads', () => {
  it('prepare → send to S3 → complete records the file, with its SHA-256', async () => {
    const prepared = await world.call('POST', '/uploads', { token: ana, body: { fileName: 'Informe anual.pdf', fileType: 'application/pdf', fileSize: PDF.length, sessionId: 's-big' } });
    expect(prepared.status).toBe(200);
    const { fileId, upload } = prepared.body.records;
    expect(prepared.body).toEqual({
      statusCode: 200,
      result: true,
      message: 'Carga preparada: envíe el archivo y luego confirme la carga.',
      records: { fileId, key: `bedrock-files/${fileId}_Informe anual.pdf`, fileName: `${fileId}_Informe anual.pdf`, upload: { method: 'POST', url: expect.stringContaining(BUCKET), fields: expect.objectContaining({ 'Content-Type': 'application/pdf', key: `bedrock-files/${fileId}_Informe anual.pdf` }), headers: {}, maxBytes: 10 * 1024 * 1024, expiresAt: expect.any(String) } },
    });
    // Not complete until the file is there.
    expect((await world.call('POST', `/uploads/${fileId}/complete`, { token: ana, body: {} })).status).toBe(409);
    expect(await send(upload, PDF, 'application/pdf')).toBeLessThan(300);
    // Someone else cannot complete it.
    expect((await world.call('POST', `/uploads/${fileId}/complete`, { token: beto, body: {} })).status).toBe(404);
    const done = await world.call('POST', `/uploads/${fileId}/complete`, { token: ana, body: {} });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ statusCode: 200, result: true, message: 'Archivo subido correctamente.', records: { fileId, key: `bedrock-files/${fileId}_Informe anual.pdf`, url: expect.stringContaining('X-Amz-Signature='), fileName: `${fileId}_Informe anual.pdf`, fileSize: PDF.length } });
    const stored = await world.store.getFile(fileId);
    expect(stored).toMatchObject({ ownerId: 'user-ana', sessionId: 's-big', originalName: 'Informe anual.pdf', fileType: 'application/pdf', fileSize: PDF.length, sha256: (await import('node:crypto')).createHash('sha256').update(PDF).digest('hex') });
    // The pending upload is gone: completing twice is a 404.
    expect((await world.call('POST', `/uploads/${fileId}/complete`, { token: ana, body: {} })).status).toBe(404);
  });

  it('a stored object whose bytes are not the declared type is refused at completion and deleted', async () => {
    const prepared = await world.call('POST', '/uploads', { token: ana, body: { fileName: 'falso.pdf', fileType: 'application/pdf' } });
    const { fileId, upload, key } = prepared.body.records;
    // The policy pins the Content-Type header, not the bytes: a PNG can be sent under it.
    expect(await send(upload, PNG, 'application/pdf')).toBeLessThan(300);
    expect(await world.keys()).toContain(key);
    const counts = await world.counts();
    const done = await world.call('POST', `/uploads/${fileId}/complete`, { token: ana, body: {} });
    expect(done.status).toBe(415);
    expect(done.body.message).toBe('El contenido del archivo es image/png, pero se declaró application/pdf.');
    expect(await world.keys()).not.toContain(key);
    expect(await world.counts()).toEqual({ ...counts, records: counts.records - 1 });
    expect(await world.store.getFile(fileId)).toBeNull();
  });

  it('refuses a type outside allowedTypes or a declared size over the limit before presigning', async () => {
    const counts = await world.counts();
    expect((await world.call('POST', '/uploads', { token: ana, body: { fileName: 'a.exe', fileType: 'application/x-msdownload' } })).status).toBe(415);
    expect((await world.call('POST', '/uploads', { token: ana, body: { fileName: 'a.pdf', fileType: 'application/pdf', fileSize: 10 * 1024 * 1024 + 1 } })).status).toBe(413);
    expect(await world.counts()).toEqual(counts);
  });
});
