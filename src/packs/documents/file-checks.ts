// What an uploaded file must pass before anything is stored: strict base64 within the size limit, a
// media type read from its bytes (file-type; text must be UTF-8) that is allowed and agrees with what the
// client declared, and a file name that cannot name a path or a device.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ActionError } from '../../core/errors.js';

/** The media types accepted by default. */
export const DEFAULT_ALLOWED_TYPES: readonly string[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

/** Bytes of a file's start that type detection reads (ZIP-based Office files need their first entries). */
export const HEAD_BYTES = 64 * 1024;

const DATA_URL = /^data:([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)((?:;[a-z0-9_.-]+=[^;,]*)*);base64,/i;
const TEXT_BY_EXTENSION: Record<string, string> = { csv: 'text/csv', md: 'text/markdown', markdown: 'text/markdown', txt: 'text/plain' };

/** A media type without parameters, lower case: `Text/CSV; charset=utf-8` → `text/csv`. */
export function mediaType(value: string): string {
  return (value.split(';')[0] as string).trim().toLowerCase();
}

/** Most bytes `maxBytes` of data take in base64 (how large a request body a base64 upload needs). */
export function base64Length(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4;
}

/**
 * The bytes of `fileBase64` (with or without a `data:{type};base64,` prefix) and the prefix's type: a 400
 * naming the field for anything but strict base64, a 413 when the bytes are over `maxBytes` (checked
 * before decoding).
 */
export function decodeBase64(fileBase64: string, maxBytes: number): { bytes: Buffer; declared?: string } {
  const prefix = DATA_URL.exec(fileBase64.slice(0, 512));
  const data = prefix ? fileBase64.slice(prefix[0].length) : fileBase64;
  if (data.length % 4 !== 0) throw badBase64();
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const size = (data.length / 4) * 3 - padding;
  if (size > maxBytes) throw tooLarge(maxBytes);
  if (size === 0) throw new ActionError(400, 'fileBase64 está vacío: el archivo no tiene contenido.', { code: 'EMPTY_FILE', details: { field: 'fileBase64' } });
  const bytes = Buffer.from(data, 'base64');
  // Node's decoder skips what is not base64 (spaces, "-", "_", stray "="): only strict base64 encodes back to itself.
  if (bytes.toString('base64') !== data) throw badBase64();
  return { bytes, ...(prefix ? { declared: mediaType(prefix[1] as string) } : {}) };
}

function badBase64(): ActionError {
  return new ActionError(400, 'fileBase64 no es base64 válido: se esperan solo A-Z, a-z, 0-9, + y /, con relleno = al final (sin espacios ni saltos de línea), opcionalmente tras un prefijo data:{tipo};base64,', { code: 'BAD_BASE64', details: { field: 'fileBase64' } });
}

/** The 413 of a file over the limit. */
export function tooLarge(maxBytes: number): ActionError {
  return new ActionError(413, `El archivo supera el tamaño máximo de ${maxBytes} bytes.`, { code: 'FILE_TOO_LARGE', details: { limitBytes: maxBytes } });
}

/** What a file's bytes say about it: its first bytes, size, SHA-256 and whether all of it is UTF-8 text. */
export interface FileFacts {
  head: Uint8Array;
  size: number;
  sha256: string;
  /** Valid UTF-8 without NUL bytes. */
  text: boolean;
}

/** Accumulates {@link FileFacts} over chunks, in one pass. */
class FactsReader {
  readonly #hash = createHash('sha256');
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  readonly #head: Uint8Array[] = [];
  #headSize = 0;
  size = 0;
  #text = true;

  add(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    this.#hash.update(chunk);
    if (this.#headSize < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.#headSize);
      this.#head.push(part);
      this.#headSize += part.byteLength;
    }
    if (this.#text) {
      try {
        if (chunk.includes(0)) this.#text = false;
        else this.#decoder.decode(chunk, { stream: true });
      } catch {
        this.#text = false;
      }
    }
  }

  facts(): FileFacts {
    if (this.#text) {
      try {
        this.#decoder.decode();
      } catch {
        this.#text = false;
      }
    }
    return { head: Buffer.concat(this.#head), size: this.size, sha256: this.#hash.digest('hex'), text: this.#text };
  }
}

/** The facts of bytes in memory (the UTF-8 check native, in one pass). */
export function factsOf(bytes: Uint8Array): FileFacts {
  return { head: bytes.subarray(0, HEAD_BYTES), size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'), text: !bytes.includes(0) && isUtf8(bytes) };
}

/** The facts of a stored object, read once as a stream; a 413 (the stream destroyed) as soon as it passes `maxBytes`. */
export async function factsOfStream(stream: Readable, maxBytes: number): Promise<FileFacts> {
  const reader = new FactsReader();
  try {
    for await (const chunk of stream) {
      reader.add(chunk as Uint8Array);
      if (reader.size > maxBytes) throw tooLarge(maxBytes);
    }
  } finally {
    stream.destroy();
  }
  return reader.facts();
}

/** What {@link detectType} checks a file against. */
export interface TypeRules {
  allowed: readonly string[];
  /** Types the client declared (`fileType`, the data URL's type), each of which must agree. */
  declared: readonly string[];
  /** The (safe) file name, whose extension tells text types apart. */
  fileName: string;
}

/**
 * The media type of a file, read from its bytes: what file-type recognises, else a text type for UTF-8
 * text (the declared one when it is a text type, else by extension). A 415 naming both types when it
 * disagrees with a declared type, or when it is not allowed.
 */
export async function detectType(facts: FileFacts, rules: TypeRules): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(facts.head);
  const declaredText = rules.declared.find((t) => t.startsWith('text/'));
  const extension = /\.([a-z0-9]{1,10})$/i.exec(rules.fileName)?.[1]?.toLowerCase() ?? '';
  const type = found?.mime ?? (facts.text ? (declaredText ?? TEXT_BY_EXTENSION[extension] ?? 'text/plain') : undefined);
  if (type === undefined) throw new ActionError(415, `No se reconoce el tipo del archivo por su contenido; tipos permitidos: ${rules.allowed.join(', ')}.`, { code: 'UNSUPPORTED_FILE_TYPE' });
  for (const declared of rules.declared) {
    if (declared !== type) throw new ActionError(415, `El contenido del archivo es ${type}, pero se declaró ${declared}.`, { code: 'FILE_TYPE_MISMATCH', details: { detected: type, declared } });
  }
  if (!rules.allowed.includes(type)) throw new ActionError(415, `El tipo ${type} no está permitido; tipos permitidos: ${rules.allowed.join(', ')}.`, { code: 'UNSUPPORTED_FILE_TYPE', details: { detected: type } });
  return type;
}

const LONGEST_NAME = 200;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A file name safe on every file system and as the last part of a key: the last path part only, without
 * control, format or reserved characters or lone surrogates, leading/trailing dots and spaces, or a device name (`CON`,
 * `NUL`…, which gets a `_`), at most 200 characters with the extension kept; `archivo` when nothing is left.
 */
export function safeFileName(name: string): string {
  const last = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let safe = last.replace(UNSAFE, '').replace(/\p{Cs}/gu, '').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  if (safe === '') return 'archivo';
  const dot = safe.lastIndexOf('.');
  const extension = dot > 0 && safe.length - dot <= 17 ? safe.slice(dot) : '';
  let stem = extension ? safe.slice(0, dot) : safe;
  if (RESERVED.test(stem.split('.')[0] as string)) stem = `_${stem}`;
  const room = LONGEST_NAME - [...extension].length;
  const points = [...stem];
  if (points.length > room) stem = points.slice(0, room).join('').replace(/[\s.]+$/, '');
  safe = `${stem}${extension}`;
  return safe;
}
