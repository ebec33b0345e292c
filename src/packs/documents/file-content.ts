// GET /files/{fileId}/content: the bytes of one of the caller's files (a supervisor: anyone's). On S3 a
// 302 to a presigned GET, so the bytes never pass through the Lambda (6 MB) or this process; on disk the
// bytes, streamed. Someone else's file is a 404, like one that does not exist.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ActionError } from '../../core/errors.js';
import type { ActionGroup } from '../../core/operation.js';
import type { DocumentsConfig } from './config.js';
import { callerId } from './identity.js';

const notFound = (fileId: string) => new ActionError(404, `No existe el archivo ${JSON.stringify(fileId)}.`, { code: 'FILE_NOT_FOUND', details: { fileId } });

/** Adds fileContent to the group. */
export function addFileContent(group: ActionGroup, config: DocumentsConfig): void {
  const { store, blobs, supervisorRole } = config;
  group.operation({
    name: 'fileContent',
    method: 'GET',
    path: '/files/{fileId}/content',
    description: 'The bytes of one of your files (on S3: a redirect to a short-lived link).',
    doors: { agent: false },
    input: z.object({ fileId: z.string().min(1).max(256).describe('The file, as uploads and GET /files name it') }),
    handler: async ({ fileId }, ctx) => {
      const me = callerId(ctx);
      const file = await store.getFile(fileId);
      if (!file || (file.ownerId !== me && ctx.caller.role !== supervisorRole)) throw notFound(fileId);
      const common = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };
      if (blobs.kind === 's3') return new Response(null, { status: 302, headers: { location: await blobs.url(file.key), ...common } });
      const bytes = await blobs.get(file.key);
      if (!bytes) throw notFound(fileId);
      const name = file.fileName.slice(file.fileId.length + 1) || file.fileName;
      return new Response(Readable.toWeb(bytes) as ReadableStream<Uint8Array>, {
        status: 200,
        headers: { 'content-type': file.fileType, 'content-length': String(file.fileSize), 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`, ...common },
      });
    },
  });
}
