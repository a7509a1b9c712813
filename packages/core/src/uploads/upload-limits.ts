/** The limits an upload session enforces, named settings with sensible defaults (see the api's env). */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** Decompression-bomb guard: width × height above this is refused before decoding. */
  maxPixels: number;
  sessionTtlHours: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  maxFiles: 20,
  maxPixels: 50_000_000,
  sessionTtlHours: 24,
};

/** Image types we take, recognised by their magic bytes (never by the name or the declared type). */
export const ACCEPTED_IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/tiff': 'TIFF',
  'image/avif': 'AVIF',
  'image/heic': 'HEIC',
};

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export function describePixels(pixels: number): string {
  return `${Math.round((pixels / 1_000_000) * 10) / 10} MP`;
}
