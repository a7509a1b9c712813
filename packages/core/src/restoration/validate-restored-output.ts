/**
 * A model's output is checked before we keep it: it decodes as an image of a sensible size, and it is not
 * simply the photo we sent. A rejected output fails the attempt with a reason an admin can read.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { RestorationPermanentError } from './restoration-provider';

export class RestoredOutputRejectedError extends RestorationPermanentError {
  override name = 'RestoredOutputRejectedError';
}

export interface OutputLimits {
  maxBytes: number;
  maxPixels: number;
}

export interface ValidatedOutput {
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

const KEPT_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export async function validateRestoredOutput(
  output: Buffer,
  original: { sha256: string | null; width: number | null; height: number | null },
  limits: OutputLimits,
): Promise<ValidatedOutput> {
  if (output.length === 0)
    throw new RestoredOutputRejectedError('The model returned an empty file.');
  if (output.length > limits.maxBytes) {
    throw new RestoredOutputRejectedError(
      `The model returned ${output.length} bytes, more than the ${limits.maxBytes}-byte limit.`,
    );
  }
  const sha256 = createHash('sha256').update(output).digest('hex');
  if (original.sha256 && sha256 === original.sha256) {
    throw new RestoredOutputRejectedError('The model returned the photo unchanged.');
  }
  const type = await fileTypeFromBuffer(output);
  if (!type || !KEPT_TYPES.has(type.mime)) {
    throw new RestoredOutputRejectedError(
      `The model returned something that is not an image${type ? ` (${type.mime})` : ''}.`,
    );
  }
  let width: number | undefined;
  let height: number | undefined;
  try {
    const metadata = await sharp(output, { limitInputPixels: limits.maxPixels }).metadata();
    width = metadata.autoOrient?.width ?? metadata.width;
    height = metadata.autoOrient?.height ?? metadata.height;
  } catch {
    throw new RestoredOutputRejectedError('The model returned an image that cannot be decoded.');
  }
  if (!width || !height) {
    throw new RestoredOutputRejectedError('The model returned an image without dimensions.');
  }
  // A restoration keeps the picture: no smaller than half the original, no odd aspect change.
  if (original.width && original.height) {
    const tooSmall = width < original.width / 2 || height < original.height / 2;
    const originalRatio = original.width / original.height;
    const ratioDrift = Math.abs(width / height - originalRatio) / originalRatio;
    if (tooSmall || ratioDrift > 0.1) {
      throw new RestoredOutputRejectedError(
        `The model returned a ${width}×${height} image for a ${original.width}×${original.height} photo.`,
      );
    }
  }
  return {
    contentType: type.mime as ValidatedOutput['contentType'],
    width,
    height,
    bytes: output.length,
    sha256,
  };
}
