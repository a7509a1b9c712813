/**
 * One restoration, step by step: decode upright without metadata, remove grain, lift a faded tonal range, double
 * the size (ESRGAN when small enough, lanczos3 otherwise), sharpen gently, encode. Each sharp step is its own
 * pipeline because sharp applies operations in its own fixed order, not the order they are chained.
 */
import { planContrastStretch, stretchContrast } from './contrast-stretch';
import { decodePhoto } from './decode-photo';
import { denoise, denoiseWeight, measureGrain } from './denoise';
import { type RawImage, sharpFromRaw, toRawImage } from './raw-image';
import { lanczosDouble, sharpenGently } from './resample';

export interface RestorePhotoSettings {
  maxInputPixels: number;
  esrganMaxInputPixels: number;
  upscaleWithEsrgan(image: RawImage): Promise<RawImage>;
}

export interface RestoredPhoto {
  image: Buffer;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  steps: string[];
}

/** High enough that JPEG adds no visible loss to the restoration; plain libjpeg, which encodes faster than mozjpeg. */
const JPEG_QUALITY = 92;

export async function restorePhoto(
  input: Buffer,
  settings: RestorePhotoSettings,
): Promise<RestoredPhoto> {
  const decoded = await decodePhoto(input, settings.maxInputPixels);
  const steps = ['auto-orient', 'strip-metadata'];
  let colour = decoded.colour;

  const weight = denoiseWeight(await measureGrain(colour));
  if (weight > 0) {
    colour = await denoise(colour, weight);
    steps.push('denoise');
  }

  const stretch = await planContrastStretch(colour);
  if (stretch) {
    colour = await stretchContrast(colour, stretch);
    steps.push('contrast-stretch');
  }

  if (colour.width * colour.height <= settings.esrganMaxInputPixels) {
    colour = await settings.upscaleWithEsrgan(colour);
    steps.push('esrgan-2x');
  } else {
    colour = await lanczosDouble(colour);
    steps.push('lanczos-2x');
  }

  colour = await sharpenGently(colour);
  steps.push('sharpen');

  // ESRGAN and sharpening may tint a grey photo slightly; a grey input gets a grey output. The conversion is
  // its own pipeline and is repeated on output: sharp would otherwise write one grey channel out as sRGB.
  if (decoded.greyscale) colour = await toRawImage(sharpFromRaw(colour).toColourspace('b-w'));
  let output = sharpFromRaw(colour);
  if (decoded.alpha) {
    const alpha = await lanczosDouble(decoded.alpha);
    output = output.joinChannel(alpha.data, {
      raw: { width: alpha.width, height: alpha.height, channels: 1 },
    });
  }
  if (decoded.greyscale) output = output.toColourspace('b-w');

  // JPEG in, JPEG out (a PNG of a photo is several times larger for no visible gain); everything else becomes
  // PNG, which is lossless and keeps transparency.
  const asJpeg = decoded.format === 'jpeg' && !decoded.alpha;
  const image = asJpeg
    ? await output.jpeg({ quality: JPEG_QUALITY, mozjpeg: false }).toBuffer()
    : await output.png().toBuffer();
  steps.push(asJpeg ? 'encode-jpeg' : 'encode-png');
  return {
    image,
    contentType: asJpeg ? 'image/jpeg' : 'image/png',
    width: colour.width,
    height: colour.height,
    steps,
  };
}
