/** Full-reference image quality for tests and tuning: PSNR over RGB and SSIM over luma, both against a clean image. */
import sharp from 'sharp';

export interface RgbPixels {
  data: Buffer;
  width: number;
  height: number;
}

/** Decodes any image sharp reads into 8-bit sRGB pixels, three channels, no alpha. */
export async function decodeRgb(image: Buffer): Promise<RgbPixels> {
  const { data, info } = await sharp(image)
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function assertSameSize(a: RgbPixels, b: RgbPixels): void {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(
      `cannot compare a ${a.width}×${a.height} image with a ${b.width}×${b.height} one`,
    );
}

/** Peak signal-to-noise ratio in dB over all RGB samples; higher is closer to the reference. */
export function psnr(reference: RgbPixels, candidate: RgbPixels): number {
  assertSameSize(reference, candidate);
  let squaredError = 0;
  for (let index = 0; index < reference.data.length; index += 1) {
    const difference = (reference.data[index] ?? 0) - (candidate.data[index] ?? 0);
    squaredError += difference * difference;
  }
  const meanSquaredError = squaredError / reference.data.length;
  return meanSquaredError === 0 ? Infinity : 10 * Math.log10((255 * 255) / meanSquaredError);
}

function luma(pixels: RgbPixels): Float64Array {
  const result = new Float64Array(pixels.width * pixels.height);
  for (let pixel = 0; pixel < result.length; pixel += 1) {
    const red = pixels.data[pixel * 3] ?? 0;
    const green = pixels.data[pixel * 3 + 1] ?? 0;
    const blue = pixels.data[pixel * 3 + 2] ?? 0;
    result[pixel] = 0.299 * red + 0.587 * green + 0.114 * blue;
  }
  return result;
}

/**
 * Mean structural similarity (Wang et al. 2004) of the luma channel over 8×8 windows every 4 pixels, with the
 * usual constants for 8-bit images; 1 means identical structure, contrast and brightness.
 */
export function ssim(reference: RgbPixels, candidate: RgbPixels): number {
  assertSameSize(reference, candidate);
  const window = 8;
  const stride = 4;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const first = luma(reference);
  const second = luma(candidate);
  const { width, height } = reference;
  let total = 0;
  let windows = 0;
  for (let top = 0; top + window <= height; top += stride) {
    for (let left = 0; left + window <= width; left += stride) {
      let sumFirst = 0;
      let sumSecond = 0;
      let sumFirstSquared = 0;
      let sumSecondSquared = 0;
      let sumProduct = 0;
      for (let row = top; row < top + window; row += 1) {
        for (let column = left; column < left + window; column += 1) {
          const a = first[row * width + column] ?? 0;
          const b = second[row * width + column] ?? 0;
          sumFirst += a;
          sumSecond += b;
          sumFirstSquared += a * a;
          sumSecondSquared += b * b;
          sumProduct += a * b;
        }
      }
      const count = window * window;
      const meanFirst = sumFirst / count;
      const meanSecond = sumSecond / count;
      const varianceFirst = sumFirstSquared / count - meanFirst * meanFirst;
      const varianceSecond = sumSecondSquared / count - meanSecond * meanSecond;
      const covariance = sumProduct / count - meanFirst * meanSecond;
      total +=
        ((2 * meanFirst * meanSecond + c1) * (2 * covariance + c2)) /
        ((meanFirst * meanFirst + meanSecond * meanSecond + c1) *
          (varianceFirst + varianceSecond + c2));
      windows += 1;
    }
  }
  return total / windows;
}
