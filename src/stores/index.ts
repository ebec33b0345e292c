// bedrock-action-groups/stores: what the packs keep (files, conversations, keyed records) on Postgres or in
// memory, and where file bytes live (S3 or disk). pg, PGlite and the AWS SDK are optional peers: the
// Postgres store takes the client you made, and the S3 modules load on first use.
export { memoryStore, type MemoryStoreOptions } from './memory.js';
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from './postgres.js';
export type { QueryableClient } from './sql.js';
export type { ConversationRecord, FileRecord, KeyedRecord, ListQuery, NewConversationRecord, NewFileRecord, Page, Store } from './types.js';
export { DEFAULT_LIMIT, DEFAULT_MAX_LIMIT, MAX_BODY_BYTES, MAX_FILE_IDS, MAX_ID_BYTES, MAX_TEXT_BYTES, MAX_VALUE_BYTES } from './validate.js';
export { s3Blobs, type S3BlobStore, type S3BlobsOptions } from './s3-blobs.js';
export { diskBlobs, type DiskBlobStore, type DiskBlobsOptions } from './disk-blobs.js';
export { MAX_KEY_BYTES, type BlobStore, type PresignedUpload, type PresignUploadOptions, type StoredBlob } from './blob-types.js';
