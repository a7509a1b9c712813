/**
 * Takes a PNG's metadata out without decoding it: only the chunks that draw the picture (header, palette,
 * image data, transparency, colour and pixel-size information, animation) are kept; text, EXIF, time stamps,
 * private chunks and anything after the end are dropped. An EXIF orientation other than upright is written
 * back as an eXIf chunk that holds nothing else.
 */
import { crc32 } from 'node:zlib';
import { orientationFromTiff, orientationOnlyTiff } from './exif-orientation';
import { BlockFilter, MalformedImageError } from './metadata-filter';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Chunks that say how to draw the image, and nothing about who made it, where or when. */
const DRAWING_CHUNKS = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'cICP',
  'mDCv',
  'cLLi',
  'sBIT',
  'bKGD',
  'hIST',
  'pHYs',
  'sPLT',
  'acTL',
  'fcTL',
  'fdAT',
]);

/** eXIf bodies are small; a larger one is read in full only up to this (it is dropped either way). */
const MAX_EXIF_BYTES = 1024 * 1024;

type State = 'signature' | 'chunk' | 'keep' | 'skip' | 'done';

function chunk(type: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([header.subarray(4), data])));
  return Buffer.concat([header, data, crc]);
}

export class PngMetadataFilter extends BlockFilter {
  private state: State = 'signature';
  private afterChunk: 'chunk' | 'done' = 'chunk';
  private orientationWritten = false;

  end(): Buffer[] {
    if (this.state === 'signature') throw new MalformedImageError('This file is not a PNG.');
    return [];
  }

  protected run(out: Buffer[]): void {
    for (;;) {
      switch (this.state) {
        case 'signature':
          if (this.pending.length < SIGNATURE.length) return;
          if (!this.pending.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
            throw new MalformedImageError('This file is not a PNG.');
          }
          out.push(this.take(SIGNATURE.length));
          this.state = 'chunk';
          break;
        case 'chunk':
          if (!this.readChunkHeader(out)) return;
          break;
        case 'keep':
        case 'skip': {
          if (this.pending.length === 0) return;
          if (this.passBlock(out, this.state === 'keep')) this.state = this.afterChunk;
          break;
        }
        case 'done':
          this.pending = Buffer.alloc(0);
          return;
      }
    }
  }

  private readChunkHeader(out: Buffer[]): boolean {
    if (this.pending.length < 8) return false;
    const length = this.pending.readUInt32BE(0);
    const type = this.pending.toString('latin1', 4, 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedImageError('The PNG has a damaged chunk.');
    if (type === 'eXIf' && length <= MAX_EXIF_BYTES) {
      if (this.pending.length < 12 + length) return false;
      const orientation = orientationFromTiff(this.pending.subarray(8, 8 + length));
      if (orientation !== 1 && !this.orientationWritten) {
        out.push(chunk('eXIf', orientationOnlyTiff(orientation)));
        this.orientationWritten = true;
      }
      this.take(12 + length);
      return true;
    }
    const keep = DRAWING_CHUNKS.has(type);
    const header = this.take(8);
    if (keep) out.push(header);
    this.remaining = length + 4; // the data and its CRC
    this.afterChunk = type === 'IEND' ? 'done' : 'chunk';
    this.state = keep ? 'keep' : 'skip';
    return true;
  }
}
