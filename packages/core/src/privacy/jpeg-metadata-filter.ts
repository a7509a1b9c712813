/**
 * Takes a JPEG's metadata out without decoding it, so the picture stays byte for byte what was uploaded: EXIF
 * (camera, GPS position, dates), XMP, IPTC, comments, maker and multi-picture segments, and anything after the
 * end of the image (some phones append a video there) are dropped. The JFIF and Adobe segments, the colour
 * profile and the compressed image itself are kept. An EXIF orientation other than upright is written back as
 * the only EXIF field, so the photo shows as the camera meant it.
 */
import { orientationFromTiff, orientationOnlyTiff } from './exif-orientation';
import { BlockFilter, MalformedImageError } from './metadata-filter';

const EXIF_ID = Buffer.from('Exif\0\0', 'latin1');
const ICC_ID = Buffer.from('ICC_PROFILE\0', 'latin1');

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

type State = 'start' | 'marker' | 'keep' | 'skip' | 'scan' | 'done';

/** Markers without a length: restart markers in the scan data, and TEM. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

function exifSegment(orientation: number): Buffer {
  const payload = Buffer.concat([EXIF_ID, orientationOnlyTiff(orientation)]);
  const header = Buffer.from([0xff, APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

export class JpegMetadataFilter extends BlockFilter {
  private state: State = 'start';
  private afterSegment: 'marker' | 'scan' = 'marker';
  private orientationWritten = false;

  end(): Buffer[] {
    if (this.state === 'start') throw new MalformedImageError('This file is not a JPEG.');
    // A file cut short in its image data keeps what it has; metadata never follows the image data.
    return [];
  }

  protected run(out: Buffer[]): void {
    for (;;) {
      switch (this.state) {
        case 'start':
          if (this.pending.length < 2) return;
          if (this.pending[0] !== 0xff || this.pending[1] !== SOI) {
            throw new MalformedImageError('This file is not a JPEG.');
          }
          out.push(this.take(2));
          this.state = 'marker';
          break;
        case 'marker':
          if (!this.readMarker(out)) return;
          break;
        case 'keep':
        case 'skip': {
          if (this.pending.length === 0) return;
          if (this.passBlock(out, this.state === 'keep')) this.state = this.afterSegment;
          break;
        }
        case 'scan':
          if (!this.readScan(out)) return;
          break;
        case 'done':
          this.pending = Buffer.alloc(0);
          return;
      }
    }
  }

  /** At a marker: decides what happens to its segment. False when more bytes are needed first. */
  private readMarker(out: Buffer[]): boolean {
    if (this.pending.length < 2) return false;
    if (this.pending[0] !== 0xff) {
      throw new MalformedImageError('The JPEG has data where a marker should be.');
    }
    const marker = this.pending[1] ?? 0;
    if (marker === 0xff) {
      this.take(1); // a fill byte
      return true;
    }
    if (marker === EOI) {
      out.push(this.take(2));
      this.state = 'done';
      return true;
    }
    if (isStandalone(marker)) {
      out.push(this.take(2));
      return true;
    }
    if (marker === 0x00 || marker === SOI) {
      throw new MalformedImageError('The JPEG has an unexpected marker.');
    }
    if (this.pending.length < 4) return false;
    const length = this.pending.readUInt16BE(2);
    if (length < 2)
      throw new MalformedImageError('The JPEG has a segment shorter than its header.');

    let keep: boolean;
    if (marker === APP1) {
      // EXIF or XMP: read the whole segment (at most 64 KiB) for the orientation, then drop it.
      if (this.pending.length < 2 + length) return false;
      const payload = this.pending.subarray(4, 2 + length);
      if (!this.orientationWritten && payload.subarray(0, EXIF_ID.length).equals(EXIF_ID)) {
        const orientation = orientationFromTiff(payload.subarray(EXIF_ID.length));
        if (orientation !== 1) {
          out.push(exifSegment(orientation));
          this.orientationWritten = true;
        }
      }
      this.take(2 + length);
      return true;
    }
    if (marker === APP2) {
      // A colour profile stays; the multi-picture index (MPF) and FlashPix data do not.
      const idLength = Math.min(length - 2, ICC_ID.length);
      if (this.pending.length < 4 + idLength) return false;
      keep = this.pending.subarray(4, 4 + ICC_ID.length).equals(ICC_ID);
    } else if (marker >= APP0 && marker <= 0xef) {
      keep = marker === APP0 || marker === APP14;
    } else {
      keep = marker !== COM;
    }
    const header = this.take(4);
    if (keep) out.push(header);
    this.remaining = length - 2;
    this.afterSegment = marker === SOS ? 'scan' : 'marker';
    this.state = this.remaining === 0 ? this.afterSegment : keep ? 'keep' : 'skip';
    return true;
  }

  /** In compressed image data: passes it on up to the next marker. False when more bytes are needed. */
  private readScan(out: Buffer[]): boolean {
    let from = 0;
    for (;;) {
      const ff = this.pending.indexOf(0xff, from);
      if (ff === -1) {
        if (this.pending.length > 0) out.push(this.take(this.pending.length));
        return false;
      }
      if (ff + 1 >= this.pending.length) {
        if (ff > 0) out.push(this.take(ff));
        return false;
      }
      const next = this.pending[ff + 1] ?? 0;
      // A stuffed 0xFF byte or a restart marker belongs to the image data.
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
        from = ff + 2;
        continue;
      }
      if (ff > 0) out.push(this.take(ff));
      this.state = 'marker';
      return true;
    }
  }
}
