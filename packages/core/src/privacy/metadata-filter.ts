/**
 * The shape of the lossless metadata filters (JPEG, PNG): fed the file in pieces, they give back the pieces to
 * keep, holding only as much as one header or metadata block at a time. `StrippingStream` runs one as a stream.
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface MetadataFilter {
  /** The next bytes of the file; returns what to write out so far. */
  write(chunk: Buffer): Buffer[];
  /** The file has ended; returns anything left to write out. Throws when the file was cut short. */
  end(): Buffer[];
}

export class MalformedImageError extends Error {
  override name = 'MalformedImageError';
}

export class StrippingStream extends Transform {
  private readonly metadataFilter: MetadataFilter;

  constructor(metadataFilter: MetadataFilter) {
    super();
    this.metadataFilter = metadataFilter;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      for (const piece of this.metadataFilter.write(chunk)) this.push(piece);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      for (const piece of this.metadataFilter.end()) this.push(piece);
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

/** Runs a filter over a whole file in memory. */
export function filterBuffer(filter: MetadataFilter, file: Buffer): Buffer {
  return Buffer.concat([...filter.write(file), ...filter.end()]);
}
