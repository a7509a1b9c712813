/** Restored photos are kept without metadata: upright, re-encoded only when there was something to remove. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { reencodeWithoutMetadata } from './image-metadata';

const limits = { maxPixels: 10_000_000 };

function photo() {
  return sharp({ create: { width: 60, height: 40, channels: 3, background: '#a86' } });
}

describe('restored photos without metadata', () => {
  it('turns a JPEG upright and drops its camera and GPS fields', async () => {
    const tagged = await photo()
      .jpeg()
      .withExif({
        IFD0: { Make: 'Canon', Model: 'EOS' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2953/100' },
      })
      .toBuffer();
    const rotated = await sharp(tagged).keepMetadata().withMetadata({ orientation: 6 }).toBuffer();

    const clean = await reencodeWithoutMetadata(rotated, { contentType: 'image/jpeg', ...limits });
    expect(clean.reencoded).toBe(true);
    expect(clean.contentType).toBe('image/jpeg');
    const metadata = await sharp(clean.image).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect([metadata.width, metadata.height]).toEqual([40, 60]);
    expect(clean.image.includes(Buffer.from('Canon'))).toBe(false);
  });

  it('keeps a photo without metadata byte for byte', async () => {
    const png = await photo().png().toBuffer();
    const clean = await reencodeWithoutMetadata(png, { contentType: 'image/png', ...limits });
    expect(clean).toEqual({ image: png, contentType: 'image/png', reencoded: false });
  });
});
