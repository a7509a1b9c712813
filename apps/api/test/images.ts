/** Test images made on the fly: real encodings from sharp, and hand-built hostile files. */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export function jpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 140, b: 90 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export function png(width = 16, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .png()
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG whose header claims width × height: a decompression bomb's signature, without the bomb. */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** EXIF tags a photo can betray its owner with: where it was taken (the GPS directory) and with what. */
export const EXIF_TAGS = { gps: 0x8825, make: 0x010f, model: 0x0110, orientation: 0x0112 } as const;

/** The tags of a photo's first EXIF directory (empty without EXIF), as sharp reads the file. */
export async function exifTagsOf(image: Buffer): Promise<number[]> {
  const { exif } = await sharp(image).metadata();
  if (!exif) return [];
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const directory = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  return Array.from({ length: u16(directory) }, (_, index) => u16(directory + 2 + index * 12));
}

/**
 * A phone photo of an old print: a JPEG with the camera's make and model, the GPS position where it was taken,
 * and EXIF orientation 6 (stored sideways, 96 × 72; shown upright, 72 × 96).
 */
export async function phonePhotoWithGps(seed = 0): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="72">
    <rect width="100%" height="100%" fill="rgb(${60 + seed * 30},90,120)"/>
    <circle cx="30" cy="36" r="18" fill="rgb(240,220,190)"/><rect x="60" y="20" width="24" height="36" fill="#222"/></svg>`;
  const tagged = await sharp(Buffer.from(svg))
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Apple', Model: 'iPhone 15 Pro' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '53/1 20/1 3329/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '6/1 15/1 4213/100',
      },
    })
    .toBuffer();
  return sharp(tagged).keepMetadata().withMetadata({ orientation: 6 }).toBuffer();
}
