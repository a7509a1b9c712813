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

/**
 * What the JPEG and PNG filters share: the bytes received but not yet passed on or dropped, and a block of a
 * known length (a segment, a chunk) that is passed on or dropped as its bytes arrive.
 */
export abstract class BlockFilter implements MetadataFilter {
  protected pending: Buffer = Buffer.alloc(0);
  /** Bytes left of the block being kept or skipped. */
  protected remaining = 0;

  write(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    this.run(out);
    return out;
  }

  abstract end(): Buffer[];

  /** Reads as far as the pending bytes go, pushing what to keep onto `out`. */
  protected abstract run(out: Buffer[]): void;

  protected take(bytes: number): Buffer {
    const taken = this.pending.subarray(0, bytes);
    this.pending = this.pending.subarray(bytes);
    return taken;
  }

  /** Passes on (`keep`) or drops what has arrived of the current block; true once all of it has. */
  protected passBlock(out: Buffer[], keep: boolean): boolean {
    const piece = this.take(Math.min(this.remaining, this.pending.length));
    if (keep) out.push(piece);
    this.remaining -= piece.length;
    return this.remaining === 0;
  }
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
