/** Where each kind of file lives in the bucket. Keys hold ids only, never customer-provided names. */
const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tiff',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/avif': 'avif',
};

export function extensionForMime(mime: string): string {
  return EXTENSIONS[mime] ?? 'bin';
}

export function tempUploadKeyFor(uploadSessionId: string, uploadId: string, mime: string): string {
  return `uploads/temp/${uploadSessionId}/${uploadId}.${extensionForMime(mime)}`;
}

export function originalKeyFor(orderId: string, imageId: string, mime: string): string {
  return `uploads/originals/${orderId}/${imageId}.${extensionForMime(mime)}`;
}

export function restoredKeyFor(orderId: string, imageId: string, mime: string): string {
  return `uploads/restored/${orderId}/${imageId}.${extensionForMime(mime)}`;
}

/** A small JPEG preview of the original or the restored photo. */
export function thumbnailKeyFor(
  orderId: string,
  imageId: string,
  variant: 'original' | 'restored',
) {
  return `uploads/thumbnails/${orderId}/${imageId}-${variant}.jpg`;
}

/** The name a restored photo is given to people (attachments, ZIPs): `grandma.tiff` as PNG → `grandma-restored.png`. */
export function restoredFilename(original: string, contentType: string): string {
  const base = original.replace(/\.[^.]+$/, '') || 'photo';
  return `${base}-restored.${extensionForMime(contentType)}`;
}

/** Every folder that holds files of one order (originals, restored photos, previews). */
export function orderFolderPrefixes(orderId: string): string[] {
  return [
    `uploads/originals/${orderId}/`,
    `uploads/restored/${orderId}/`,
    `uploads/thumbnails/${orderId}/`,
  ];
}

/** The folder of an upload session's temporary files. */
export function tempUploadPrefixFor(uploadSessionId: string): string {
  return `uploads/temp/${uploadSessionId}/`;
}
