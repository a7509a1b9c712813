/**
 * Files that leave us carry no GPS position or camera: JPEG and PNG keep every pixel byte (only metadata
 * blocks go, the orientation stays as the one EXIF field), other formats are re-encoded upright.
 */
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { deliveryCopyOf, deliveryStreamOf } from './delivery-copy';
import { MalformedImageError } from './metadata-filter';

const GPS_IFD_POINTER = 0x8825;
const MAKE = 0x010f;
const MODEL = 0x0110;
const ORIENTATION = 0x0112;

/** The tags of the first directory of an EXIF block (sharp gives it with its `Exif\0\0` header). */
function exifTags(exif: Buffer | undefined): number[] {
  if (!exif) return [];
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const directory = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  return Array.from({ length: u16(directory) }, (_, index) => u16(directory + 2 + index * 12));
}

const CAMERA_AND_PLACE = {
  IFD0: { Make: 'Canon', Model: 'EOS 5D Mark IV', Copyright: 'Rose Smith' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2953/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 4024/100',
  },
};

function photo(width = 48, height = 32) {
  return sharp({
    create: { width, height, channels: 3, background: { r: 190, g: 120, b: 70 } },
  }).composite([
    {
      input: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="12" cy="12" r="9" fill="#235"/></svg>`,
      ),
    },
  ]);
}

async function jpegWithMetadata(orientation: number): Promise<Buffer> {
  const tagged = await photo()
    .jpeg({ quality: 90 })
    .withExif(CAMERA_AND_PLACE)
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>',
    )
    .toBuffer();
  const oriented = await sharp(tagged).keepMetadata().withMetadata({ orientation }).toBuffer();
  // A comment segment right after SOI, and a phone's "motion photo" trailer after the end of the image.
  return Buffer.concat([
    oriented.subarray(0, 2),
    Buffer.from([0xff, 0xfe, 0x00, 0x14]),
    Buffer.from('taken at home 1952', 'latin1'),
    oriented.subarray(2),
    Buffer.from('ftypmp42 and a whole video here', 'latin1'),
  ]);
}

async function pixels(image: Buffer): Promise<Buffer> {
  return sharp(image, { autoOrient: false }).raw().toBuffer();
}

describe('delivery copies of JPEG photos', () => {
  it('drop GPS, camera, XMP, comments and trailers, keep the orientation and every pixel', async () => {
    const original = await jpegWithMetadata(6);
    const before = await sharp(original).metadata();
    expect(exifTags(before.exif)).toEqual(expect.arrayContaining([GPS_IFD_POINTER, MAKE, MODEL]));
    expect(before.xmp).toBeDefined();

    const copy = await deliveryCopyOf(original, 'image/jpeg');
    const after = await sharp(copy).metadata();
    expect(exifTags(after.exif)).toEqual([ORIENTATION]);
    expect(after.orientation).toBe(6);
    expect(after.xmp).toBeUndefined();
    expect(after.comments ?? []).toEqual([]);
    expect(copy.includes(Buffer.from('Canon'))).toBe(false);
    expect(copy.includes(Buffer.from('taken at home'))).toBe(false);
    expect(copy.includes(Buffer.from('ftypmp42'))).toBe(false);
    expect(await pixels(copy)).toEqual(await pixels(original));
    expect(copy.length).toBeLessThan(original.length);
  });

  it('leave no EXIF at all when the photo is upright', async () => {
    const copy = await deliveryCopyOf(await jpegWithMetadata(1), 'image/jpeg');
    expect((await sharp(copy).metadata()).exif).toBeUndefined();
  });

  it('stream the same bytes as the whole-file copy, however the file is cut into pieces', async () => {
    const original = await jpegWithMetadata(8);
    const whole = await deliveryCopyOf(original, 'image/jpeg');
    for (const size of [1, 7, 4096]) {
      const pieces = Array.from({ length: Math.ceil(original.length / size) }, (_, index) =>
        original.subarray(index * size, (index + 1) * size),
      );
      const stream = await deliveryStreamOf(Readable.from(pieces), 'image/jpeg');
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks), `pieces of ${size} bytes`).toEqual(whole);
    }
  });

  it('refuse a file that is not a JPEG rather than pass it on', async () => {
    await expect(deliveryCopyOf(Buffer.from('not a photo at all'), 'image/jpeg')).rejects.toThrow(
      MalformedImageError,
    );
    const stream = await deliveryStreamOf(
      Readable.from([Buffer.from('not a photo at all')]),
      'image/jpeg',
    );
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow('not a JPEG');
  });
});

describe('delivery copies of PNG and other photos', () => {
  it('drop a PNG eXIf and text chunks, keep its pixels and orientation', async () => {
    const original = await sharp(await photo().png().withExif(CAMERA_AND_PLACE).toBuffer())
      .keepMetadata()
      .withMetadata({ orientation: 3 })
      .png()
      .toBuffer();
    expect(exifTags((await sharp(original).metadata()).exif)).toContain(GPS_IFD_POINTER);
    const copy = await deliveryCopyOf(original, 'image/png');
    const after = await sharp(copy).metadata();
    expect(exifTags(after.exif)).toEqual([ORIENTATION]);
    expect(after.orientation).toBe(3);
    expect(copy.includes(Buffer.from('Canon'))).toBe(false);
    expect(await pixels(copy)).toEqual(await pixels(original));
  });

  it('re-encode a WebP upright, without its metadata', async () => {
    const original = await sharp(await photo(48, 32).webp().withExif(CAMERA_AND_PLACE).toBuffer())
      .keepMetadata()
      .withMetadata({ orientation: 6 })
      .webp()
      .toBuffer();
    const copy = await deliveryCopyOf(original, 'image/webp');
    const after = await sharp(copy).metadata();
    expect(after.format).toBe('webp');
    expect(after.exif).toBeUndefined();
    expect([after.width, after.height]).toEqual([32, 48]); // turned upright
  });
});
