// Uploads: base64 in the request (the contract's POST /upload), or straight to the blob store through a
// presigned upload (POST /uploads, then POST /uploads/{fileId}/complete), for files too large for a
// Lambda request. Either way the checks run on the bytes, and nothing is kept when one fails: the blob is
// written first, then the record, and the blob is deleted when the record cannot be.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ActionContext } from '../../core/context.js';
import { ActionError } from '../../core/errors.js';
import type { ActionGroup } from '../../core/operation.js';
import type { FileRecord } from '../../stores/types.js';
import { shownKey, type DocumentsConfig } from './config.js';
import type { Answer } from './envelope.js';
import { base64Length, decodeBase64, detectType, factsOf, factsOfStream, mediaType, safeFileName, tooLarge, type FileFacts } from './file-checks.js';
import { ownerFor } from './identity.js';
import { sessionIdField, userIdField } from './schemas.js';

/** `records` of an upload. */
export interface UploadRecord {
  fileId: string;
  /** Where the bytes are: the S3 object key on S3 (`{keyPrefix}{fileId}_{safeName}`). */
  key: string;
  /** A short-lived URL that serves the file. */
  url: string;
  /** `{fileId}_{safeName}`. */
  fileName: string;
  fileSize: number;
}

/** What a presigned upload waits for, kept as a keyed record until it completes. */
interface PendingUpload {
  key: string;
  fileName: string;
  originalName: string;
  fileType: string;
  sessionId?: string;
}

const PENDING = 'documents-upload';
const UPLOADED = 'Archivo subido correctamente.';
// Room in the request body for the other fields and a data URL prefix, beside the base64 of the largest file.
const BODY_SLACK = 64 * 1024;

/** The name a user gave, without control characters (kept for display). */
function displayName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 1000) || 'archivo';
}

/** Records the file whose blob is stored; deletes the blob when the record cannot be written. */
async function record(config: DocumentsConfig, ctx: ActionContext, file: Omit<FileRecord, 'createdAt'>): Promise<Answer<UploadRecord>> {
  try {
    await config.store.addFile(file);
  } catch (error) {
    await config.blobs.delete(file.key).catch((cleanup: unknown) => ctx.logger.error('an uploaded blob could not be removed after its record failed', { key: file.key, error: cleanup }));
    throw error;
  }
  return { message: UPLOADED, records: { fileId: file.fileId, key: shownKey(config.blobs, file.key), url: await config.blobs.url(file.key), fileName: file.fileName, fileSize: file.fileSize } };
}

/** Adds uploadFile, prepareUpload and completeUpload to the group. */
export function addUploads(group: ActionGroup, config: DocumentsConfig): void {
  const { store, blobs, maxFileBytes, allowedTypes, supervisorRole } = config;
  const checkType = (facts: FileFacts, fileName: string, declared: (string | undefined)[]) => detectType(facts, { allowed: allowedTypes, declared: declared.filter((t): t is string => t !== undefined), fileName });

  group.operation({
    name: 'uploadFile',
    method: 'POST',
    path: '/upload',
    description: 'Upload one file as base64 (the bytes decide its type). Files over a few MB: use POST /uploads.',
    doors: { agent: false },
    maxBodyBytes: base64Length(maxFileBytes) + BODY_SLACK,
    input: z.object({
      fileBase64: z.string().describe('The file in base64, with or without a data:{type};base64, prefix'),
      fileName: z.string().min(1).max(1024).describe('The file name (sanitised; its extension is kept)'),
      fileType: z.string().max(256).optional().describe('The media type, which must agree with the bytes'),
      userId: userIdField.optional(),
      sessionId: sessionIdField.optional(),
    }),
    handler: async (input, ctx) => {
      const ownerId = ownerFor(ctx, input.userId, 'write', supervisorRole);
      const { bytes, declared } = decodeBase64(input.fileBase64, maxFileBytes);
      const safe = safeFileName(input.fileName);
      const facts = factsOf(bytes);
      const fileType = await checkType(facts, safe, [input.fileType === undefined ? undefined : mediaType(input.fileType), declared]);
      const fileId = randomUUID();
      const fileName = `${fileId}_${safe}`;
      const stored = await blobs.put(fileName, bytes, { contentType: fileType });
      return record(config, ctx, { fileId, ownerId, ...(input.sessionId ? { sessionId: input.sessionId } : {}), originalName: displayName(input.fileName), fileName, key: stored.key, fileType, fileSize: stored.size, sha256: stored.sha256 });
    },
  });

  group.operation({
    name: 'prepareUpload',
    method: 'POST',
    path: '/uploads',
    description: 'Start a direct upload to the file store: the reply says where to send the file, then call POST /uploads/{fileId}/complete.',
    doors: { agent: false },
    input: z.object({
      fileName: z.string().min(1).max(1024).describe('The file name (sanitised; its extension is kept)'),
      fileType: z.string().max(256).describe('The media type of the file; the store accepts only this type'),
      fileSize: z.number().int().min(1).optional().describe('The size in bytes, to refuse a file too large before it is sent'),
      userId: userIdField.optional(),
      sessionId: sessionIdField.optional(),
    }),
    handler: async (input, ctx) => {
      const ownerId = ownerFor(ctx, input.userId, 'write', supervisorRole);
      const fileType = mediaType(input.fileType);
      if (!allowedTypes.includes(fileType)) throw new ActionError(415, `El tipo ${fileType} no está permitido; tipos permitidos: ${allowedTypes.join(', ')}.`, { code: 'UNSUPPORTED_FILE_TYPE' });
      if (input.fileSize !== undefined && input.fileSize > maxFileBytes) throw tooLarge(maxFileBytes);
      const fileId = randomUUID();
      const fileName = `${fileId}_${safeFileName(input.fileName)}`;
      const upload = await blobs.presignUpload({ key: fileName, contentType: fileType, maxBytes: maxFileBytes });
      const pending: PendingUpload = { key: fileName, fileName, originalName: displayName(input.fileName), fileType, ...(input.sessionId ? { sessionId: input.sessionId } : {}) };
      await store.put(PENDING, fileId, pending, { ownerId });
      return { message: 'Carga preparada: envíe el archivo y luego confirme la carga.', records: { fileId, key: shownKey(blobs, fileName), fileName, upload } };
    },
  });

  group.operation({
    name: 'completeUpload',
    method: 'POST',
    path: '/uploads/{fileId}/complete',
    description: 'Finish a direct upload: checks the stored file (size, type from its bytes) and records it.',
    doors: { agent: false },
    input: z.object({ fileId: z.string().min(1).max(256).describe('The fileId POST /uploads returned') }),
    handler: async (input, ctx) => {
      const ownerId = ownerFor(ctx, undefined, 'write', supervisorRole);
      const pending = await store.get<PendingUpload>(PENDING, input.fileId);
      if (!pending || pending.ownerId !== ownerId) throw new ActionError(404, 'No hay ninguna carga pendiente con ese fileId.', { code: 'NOT_FOUND' });
      const { key, fileName, originalName, fileType, sessionId } = pending.value;
      const stream = await blobs.get(key);
      if (!stream) throw new ActionError(409, 'El archivo todavía no se ha subido: envíelo con los datos de POST /uploads y vuelva a confirmar.', { code: 'NOT_UPLOADED' });
      let facts: FileFacts;
      try {
        facts = await factsOfStream(stream, maxFileBytes);
        if (facts.size === 0) throw new ActionError(400, 'El archivo subido está vacío.', { code: 'EMPTY_FILE' });
        await checkType(facts, fileName, [fileType]);
      } catch (error) {
        // A refused file is not kept, and its upload is over: a new one starts with POST /uploads.
        await blobs.delete(key);
        await store.delete(PENDING, input.fileId);
        throw error;
      }
      const answer = await record(config, ctx, { fileId: input.fileId, ownerId, ...(sessionId ? { sessionId } : {}), originalName, fileName, key, fileType, fileSize: facts.size, sha256: facts.sha256 });
      await store.delete(PENDING, input.fileId);
      return answer;
    },
  });
}
