/** The object storage our services use: the S3 API in every environment (AWS, R2, MinIO, or embedded s3rver). */
import type { Readable } from 'node:stream';

export interface StoredObjectInfo {
  key: string;
  bytes: number;
  contentType: string | undefined;
  etag: string | undefined;
}

export interface ObjectStore {
  readonly bucket: string;
  /**
   * Writes an object. A stream of known length (`contentLength`) goes out as one streamed PUT; one of unknown
   * length as a multipart upload, buffering a part or two at a time.
   */
  put(
    key: string,
    body: Buffer | Uint8Array | Readable,
    options?: { contentType?: string; contentLength?: number },
  ): Promise<void>;
  getStream(key: string): Promise<Readable>;
  getBuffer(key: string): Promise<Buffer>;
  /** Undefined when the object does not exist. */
  head(key: string): Promise<StoredObjectInfo | undefined>;
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<StoredObjectInfo[]>;
  /**
   * A URL that reads the object without credentials until it expires. `downloadName` makes browsers save it
   * under that name. The bucket itself stays private.
   */
  presignGet(
    key: string,
    options: { expiresInSeconds: number; downloadName?: string },
  ): Promise<string>;
  /** Throws when the bucket cannot be reached (readiness checks). */
  checkBucket(): Promise<void>;
}
