/**
 * The local restorer: runs `restorePhoto` with bounded concurrency and owns the ESRGAN threads. Shaped to
 * satisfy core's `LocalRestorationProvider` structurally, without depending on core.
 */
import pLimit from 'p-limit';
import { EsrganPool } from './esrgan-pool';
import { restorePhoto } from './restore-photo';

export interface LocalRestorerOptions {
  /** Restorations at once (default 1). Each running restoration may use one ESRGAN thread. */
  concurrency?: number;
  /**
   * ESRGAN only at or below this input size, in pixels; larger photos get lanczos3. Default 512 × 512: ESRGAN
   * takes about 1.2–1.7 s per 256² on this kind of machine (2 cores), so the largest ESRGAN input costs about
   * 5–7 s, while a 12-megapixel photo would take minutes and gains little at that size.
   */
  esrganMaxInputPixels?: number;
  /** sharp's `limitInputPixels` guard against decompression bombs (default 50,000,000). */
  maxInputPixels?: number;
}

export interface LocalRestorationResult {
  image: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  /** Wall-clock seconds of the restoration itself, not counting time queued behind others. */
  seconds: number;
  /** What the pipeline did, in order, e.g. `['auto-orient', 'strip-metadata', 'denoise', 'esrgan-2x', 'sharpen', 'encode-jpeg']`. */
  steps: string[];
}

export interface LocalRestorer {
  restore(image: Buffer): Promise<LocalRestorationResult>;
  /** Terminates the ESRGAN threads; restorations still running or queued reject. */
  close(): Promise<void>;
}

export const DEFAULT_ESRGAN_MAX_INPUT_PIXELS = 512 * 512;
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export function createLocalRestorer(options: LocalRestorerOptions = {}): LocalRestorer {
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 1);
  const maxInputPixels = positiveInteger(
    'maxInputPixels',
    options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS,
  );
  const esrganMaxInputPixels = options.esrganMaxInputPixels ?? DEFAULT_ESRGAN_MAX_INPUT_PIXELS;
  if (!Number.isInteger(esrganMaxInputPixels) || esrganMaxInputPixels < 0)
    throw new RangeError(
      `esrganMaxInputPixels must be zero (never ESRGAN) or a positive integer, got ${esrganMaxInputPixels}`,
    );

  // The thread script sits beside this file in dist/ (tsup builds both entries there).
  const esrgan = new EsrganPool(new URL('./esrgan-thread.js', import.meta.url));
  const limit = pLimit(concurrency);
  let closed = false;

  return {
    restore(image) {
      return limit(async () => {
        if (closed) throw new Error('The local restorer is closed');
        const started = performance.now();
        const restored = await restorePhoto(image, {
          maxInputPixels,
          esrganMaxInputPixels,
          upscaleWithEsrgan: (pixels) => esrgan.upscale(pixels),
        });
        return { ...restored, seconds: (performance.now() - started) / 1000 };
      });
    },
    async close() {
      closed = true;
      await esrgan.close();
    },
  };
}
