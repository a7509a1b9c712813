/** Uncompressed 8-bit pixels handed from one pipeline step to the next, and the sharp plumbing to read and write them. */
import sharp, { type Channels, type Sharp } from 'sharp';

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  /** 1 (grey or a lone alpha channel) or 3 (sRGB); the pipeline keeps alpha apart from colour. */
  channels: Channels;
}

/**
 * A sharp pipeline over our own intermediate pixels. No pixel limit here: the input was checked against the
 * caller's limit when it was decoded, and a 2× result has four times as many pixels by design.
 */
export function sharpFromRaw(image: RawImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
    limitInputPixels: false,
  });
}

export async function toRawImage(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The value below which `fraction` of the histogram's samples lie, interpolated within the bin that crosses it. */
export function histogramQuantile(histogram: Uint32Array, fraction: number): number {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  const target = total * fraction;
  let below = 0;
  for (let value = 0; value < histogram.length; value += 1) {
    const count = histogram[value] ?? 0;
    if (count > 0 && below + count >= target) return value - 0.5 + (target - below) / count;
    below += count;
  }
  return histogram.length - 1;
}
