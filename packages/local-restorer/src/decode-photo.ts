/**
 * The pipeline's first step: read the upload once, turn it upright from its EXIF orientation, and keep only
 * 8-bit sRGB pixels. Nothing from the file's metadata (EXIF, GPS, XMP, ICC) survives past this point.
 */
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { UnreadableImageError } from './errors';
import { type RawImage, sharpFromRaw, toRawImage } from './raw-image';

export interface DecodedPhoto {
  /** Upright sRGB pixels, three channels. */
  colour: RawImage;
  /** The transparency channel, when the input had one. */
  alpha: RawImage | undefined;
  /** Whether the input was a greyscale image, so the output can be one too. */
  greyscale: boolean;
  /** sharp's name for the input format (`jpeg`, `png`, `webp`…). */
  format: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function decodePhoto(input: Buffer, maxInputPixels: number): Promise<DecodedPhoto> {
  // `failOn: 'warning'` (sharp's strictest level) rejects truncated and damaged files instead of restoring
  // whatever part of them decodes.
  const options: SharpOptions = {
    limitInputPixels: maxInputPixels,
    failOn: 'warning',
    autoOrient: true,
  };
  let metadata: Metadata;
  let pixels: RawImage;
  try {
    metadata = await sharp(input, options).metadata();
    pixels = await toRawImage(sharp(input, options).toColourspace('srgb'));
  } catch (error) {
    throw new UnreadableImageError(
      `The photo could not be read as an image (corrupt, truncated, unsupported or larger than ${maxInputPixels.toLocaleString('en')} pixels): ${describe(error)}`,
      { cause: error },
    );
  }
  const format = metadata.format;
  const greyscale = metadata.channels !== undefined && metadata.channels <= 2;
  if (pixels.channels === 3) return { colour: pixels, alpha: undefined, greyscale, format };
  if (pixels.channels !== 4)
    throw new UnreadableImageError(
      `The photo decoded to ${pixels.channels} channels; only colour or greyscale photos can be restored`,
    );
  const [colour, alpha] = await Promise.all([
    toRawImage(sharpFromRaw(pixels).removeAlpha()),
    toRawImage(sharpFromRaw(pixels).extractChannel(3)),
  ]);
  return { colour, alpha, greyscale, format };
}
