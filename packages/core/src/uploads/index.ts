export * from './upload-limits';
export * from './upload-sessions';
export { validateFileName } from './file-name';
export { ingestUpload, type IngestDeps, type IngestInput } from './ingest-upload';
export { cancelStaleCheckout } from './basket-changed';
export { cleanupExpiredUploads, type CleanupResult } from './cleanup-expired-uploads';
