/** Grain is measured, not assumed: clean photos are left alone, grainy ones are denoised in proportion. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { denoiseWeight, measureGrain } from './denoise';
import { toRawImage } from './raw-image';
import { cleanSamplePhoto, degradedSamplePhoto } from './testing/sample-photo';

async function grainOf(grainSigma: number): Promise<number> {
  const photo = await degradedSamplePhoto(await cleanSamplePhoto(512), { grainSigma, contrast: 1 });
  return measureGrain(await toRawImage(sharp(photo).removeAlpha()));
}

describe('denoise', () => {
  it('measures more grain on grainier photos and leaves clean ones alone', async () => {
    const none = await grainOf(0);
    const light = await grainOf(3);
    const moderate = await grainOf(7);
    const heavy = await grainOf(12);
    expect(none).toBeLessThan(light);
    expect(light).toBeLessThan(moderate);
    expect(moderate).toBeLessThan(heavy);
    expect(denoiseWeight(none)).toBe(0);
    expect(denoiseWeight(moderate)).toBeGreaterThan(0.3);
    expect(denoiseWeight(heavy)).toBe(0.75);
  });
});
