/** The tone step stays off for photos with a full tonal range and stays bounded on near-uniform ones. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { planContrastStretch } from './contrast-stretch';
import { toRawImage } from './raw-image';
import { cleanSamplePhoto, degradedSamplePhoto } from './testing/sample-photo';

async function pixels(image: Buffer) {
  return toRawImage(sharp(image).removeAlpha());
}

describe('contrast stretch', () => {
  it('leaves a photo with its full tonal range alone', async () => {
    const unfaded = await degradedSamplePhoto(await cleanSamplePhoto(256), {
      size: 128,
      contrast: 1,
    });
    expect(await planContrastStretch(await pixels(unfaded))).toBeUndefined();
  });

  it('widens the range of a faded photo, the same for every channel', async () => {
    const faded = await degradedSamplePhoto(await cleanSamplePhoto(256), {
      size: 128,
      contrast: 0.6,
    });
    const stretch = await planContrastStretch(await pixels(faded));
    expect(stretch?.gain).toBeGreaterThan(1.3);
    expect(stretch?.offset).toBeLessThan(0);
  });

  it('does not blow up the texture of a nearly uniform image', async () => {
    const blankPage = await sharp({
      create: {
        width: 128,
        height: 128,
        channels: 3,
        background: { r: 235, g: 232, b: 225 },
        noise: { type: 'gaussian', mean: 230, sigma: 2 },
      },
    })
      .png()
      .toBuffer();
    const stretch = await planContrastStretch(await pixels(blankPage));
    expect(stretch?.gain).toBeLessThanOrEqual(2.125);
  });
});
