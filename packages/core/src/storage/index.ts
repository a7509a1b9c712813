export type { ObjectStore, StoredObjectInfo } from './object-store';
export { S3ObjectStore } from './s3-object-store';
export * from './keys';
