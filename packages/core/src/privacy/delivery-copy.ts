/**
 * What leaves us as a file — ZIP entries, email attachments — carries no GPS position, camera or other
 * metadata, whatever the stored file has (originals stay exactly as uploaded). JPEG and PNG, nearly every photo,
 * are filtered losslessly as they stream; other formats are re-encoded.
 */
import { type Readable, pipeline, PassThrough } from 'node:stream';
import { reencodeWithoutMetadata } from './image-metadata';
import { JpegMetadataFilter } from './jpeg-metadata-filter';
import { filterBuffer, type MetadataFilter, StrippingStream } from './metadata-filter';
import { PngMetadataFilter } from './png-metadata-filter';

/** Decompression-bomb guard for re-encoding: larger than any photo we accept or keep. */
const MAX_PIXELS = 200_000_000;

function losslessFilterFor(contentType: string): MetadataFilter | undefined {
  if (contentType === 'image/jpeg') return new JpegMetadataFilter();
  if (contentType === 'image/png') return new PngMetadataFilter();
  return undefined;
}

export async function deliveryCopyOf(file: Buffer, contentType: string): Promise<Buffer> {
  const filter = losslessFilterFor(contentType);
  if (filter) return filterBuffer(filter, file);
  const clean = await reencodeWithoutMetadata(file, { contentType, maxPixels: MAX_PIXELS });
  return clean.image;
}

async function readAll(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The file as a stream without its metadata; errors of `source` (and of a damaged file) end it with an error. */
export async function deliveryStreamOf(source: Readable, contentType: string): Promise<Readable> {
  const filter = losslessFilterFor(contentType);
  if (filter) {
    const output = new PassThrough();
    pipeline(source, new StrippingStream(filter), output, (error) => {
      if (error) output.destroy(error);
    });
    return output;
  }
  const file = await readAll(source);
  const output = new PassThrough();
  output.end(await deliveryCopyOf(file, contentType));
  return output;
}
