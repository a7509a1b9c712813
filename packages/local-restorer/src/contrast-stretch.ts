/**
 * The one tone step we keep: a partial levels stretch, only for photos whose tones are measurably squeezed
 * (faded prints). `normalise`, a full stretch and CLAHE were measured and dropped (see README).
 */
import { histogramQuantile, type RawImage, sharpFromRaw, toRawImage } from './raw-image';

/** Where the stretch puts the photo's p0.5 and p99.5 luma levels: the range a good print spans. */
const TARGET_SHADOW = 4;
const TARGET_HIGHLIGHT = 250;
/*
 * How strongly to stretch, from the measured spread (p0.5 to p99.5 of luma): not at all from UNFADED_SPREAD
 * levels up, rising to MAX_STRENGTH over FADE_IN_LEVELS below it. Chosen by a grid search over four test
 * photos at five fade levels each (README): the best mean PSNR (+2.0 dB) among settings that never lost PSNR,
 * including on a photo whose clean range is naturally narrow (201 levels), where stronger settings lost 1.3 dB.
 */
const UNFADED_SPREAD = 215;
const FADE_IN_LEVELS = 60;
/** A full stretch also amplifies the grain left after denoising. */
const MAX_STRENGTH = 0.75;
/**
 * A faded print keeps more than half its range (the most faded test photo, 137 levels, needed 1.8×); a larger
 * gain would mean a nearly uniform image, such as a blank page, whose paper texture we must not blow up.
 */
const MAX_FULL_GAIN = 2.5;

export interface ContrastStretch {
  /** Multiplier for every channel (the same for all, so colours keep their balance). */
  gain: number;
  /** Added after the gain, in 8-bit levels. */
  offset: number;
}

/** Measures the photo's luma range on a thumbnail and returns the stretch to apply, or undefined when none helps. */
export async function planContrastStretch(colour: RawImage): Promise<ContrastStretch | undefined> {
  const thumbnail = await toRawImage(
    sharpFromRaw(colour).resize(256, 256, { fit: 'inside', withoutEnlargement: true }).greyscale(),
  );
  const histogram = new Uint32Array(256);
  for (const level of thumbnail.data) histogram[level] = (histogram[level] ?? 0) + 1;
  const shadow = histogramQuantile(histogram, 0.005);
  const highlight = histogramQuantile(histogram, 0.995);
  const spread = Math.max(1, highlight - shadow);
  const strength =
    MAX_STRENGTH * Math.min(1, Math.max(0, (UNFADED_SPREAD - spread) / FADE_IN_LEVELS));
  if (strength === 0) return undefined;
  const fullGain = Math.min(MAX_FULL_GAIN, (TARGET_HIGHLIGHT - TARGET_SHADOW) / spread);
  // Mid-tone to mid-tone: with an uncapped gain this maps shadow and highlight exactly onto their targets.
  const fullOffset = (TARGET_SHADOW + TARGET_HIGHLIGHT) / 2 - ((shadow + highlight) / 2) * fullGain;
  return { gain: 1 + (fullGain - 1) * strength, offset: fullOffset * strength };
}

export function stretchContrast(colour: RawImage, stretch: ContrastStretch): Promise<RawImage> {
  return toRawImage(sharpFromRaw(colour).linear(stretch.gain, stretch.offset));
}
