/**
 * What the local "model" does with a photo: fetches the input over HTTP (a presigned S3 URL in our tests), and
 * makes an output that is recognisably the same picture but not the same bytes — 2× larger, mildly sharpened.
 */
import sharp from 'sharp';

/** Fields restoration models commonly take the photo in; any other URL-valued field is the fallback. */
const IMAGE_INPUT_KEYS = ['image', 'img', 'input_image', 'input', 'photo'];
/** The output's long side stays under this, so a large photo does not make a huge PNG. */
const MAX_OUTPUT_SIDE = 8192;

const isUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^(https?|data):/i.test(value);

export function findImageUrl(input: Record<string, unknown>): string | undefined {
  for (const key of IMAGE_INPUT_KEYS) {
    const value = input[key];
    if (isUrl(value)) return value;
  }
  return Object.values(input).find(isUrl);
}

/** The URL without its query, for logs: a presigned URL's query is a credential. */
export function withoutQuery(url: string): string {
  if (url.startsWith('data:')) return 'a data: URI';
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'an unparseable URL';
  }
}

export class ModelRunError extends Error {
  override name = 'ModelRunError';
}

export async function downloadInput(
  url: string,
  options: { maxBytes: number; timeoutMs: number; signal: AbortSignal },
): Promise<Buffer> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const response = await fetch(url, { signal });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ModelRunError(
      `Could not download the input ${withoutQuery(url)}: HTTP ${response.status}.`,
    );
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body) {
    received += chunk.byteLength;
    if (received > options.maxBytes) {
      throw new ModelRunError(`The input is larger than ${options.maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

const MIME_BY_FORMAT: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
};

async function readImage(image: Buffer, maxPixels: number) {
  try {
    return await sharp(image, { limitInputPixels: maxPixels }).metadata();
  } catch (error) {
    throw new ModelRunError(
      `The input is not an image the model can read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function contentTypeOf(image: Buffer, maxPixels: number): Promise<string> {
  const metadata = await readImage(image, maxPixels);
  return (metadata.format && MIME_BY_FORMAT[metadata.format]) ?? 'application/octet-stream';
}

/** The "restoration": upright, 2× larger (within `MAX_OUTPUT_SIDE`), mildly sharpened, as PNG. */
export async function restoreImage(image: Buffer, maxPixels: number): Promise<Buffer> {
  const metadata = await readImage(image, maxPixels);
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw new ModelRunError('The input image has no dimensions.');
  const scale = Math.max(1, Math.min(2, MAX_OUTPUT_SIDE / Math.max(width, height)));
  return sharp(image, { limitInputPixels: maxPixels })
    .autoOrient()
    .resize({ width: Math.round(width * scale), height: Math.round(height * scale) })
    .sharpen({ sigma: 0.6 })
    .png()
    .toBuffer();
}

/**
 * The same restoration as a model that ignores metadata would make it: the stored pixels 2× larger as JPEG, with
 * the input's EXIF (camera, GPS position, orientation) copied over.
 */
export async function restoreImageKeepingMetadata(
  image: Buffer,
  maxPixels: number,
): Promise<Buffer> {
  const metadata = await readImage(image, maxPixels);
  if (!metadata.width || !metadata.height)
    throw new ModelRunError('The input image has no dimensions.');
  const scale = Math.max(
    1,
    Math.min(2, MAX_OUTPUT_SIDE / Math.max(metadata.width, metadata.height)),
  );
  return sharp(image, { limitInputPixels: maxPixels, autoOrient: false })
    .resize({
      width: Math.round(metadata.width * scale),
      height: Math.round(metadata.height * scale),
    })
    .sharpen({ sigma: 0.6 })
    .keepMetadata()
    .jpeg({ quality: 90 })
    .toBuffer();
}
