/**
 * Metadata out of a photo by re-encoding it with sharp, its EXIF orientation applied to the pixels first (sharp
 * writes no metadata unless told to). For the restored photos we keep, and for formats the lossless filters do
 * not read. A photo that carries no metadata is returned as it is, byte for byte.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';

export function carriesMetadata(metadata: Metadata): boolean {
  return Boolean(
    metadata.exif ||
    metadata.xmp ||
    metadata.iptc ||
    (metadata.comments && metadata.comments.length > 0) ||
    (metadata.orientation !== undefined && metadata.orientation !== 1),
  );
}

/** The same format again, at a quality where re-encoding adds no visible loss. */
function encodeAs(image: Sharp, format: string | undefined): { image: Sharp; contentType: string } {
  switch (format) {
    case 'png':
      return { image: image.png(), contentType: 'image/png' };
    case 'webp':
      return { image: image.webp({ quality: 95 }), contentType: 'image/webp' };
    case 'tiff':
      return { image: image.tiff({ compression: 'lzw' }), contentType: 'image/tiff' };
    case 'heif':
      return { image: image.avif({ quality: 80 }), contentType: 'image/avif' };
    default:
      return {
        image: image.jpeg({ quality: 95, chromaSubsampling: '4:4:4', mozjpeg: false }),
        contentType: 'image/jpeg',
      };
  }
}

export interface MetadataFreeImage {
  image: Buffer;
  contentType: string;
  /** False when the photo carried no metadata and is returned unchanged. */
  reencoded: boolean;
}

export async function reencodeWithoutMetadata(
  image: Buffer,
  options: { contentType: string; maxPixels: number },
): Promise<MetadataFreeImage> {
  const input = { limitInputPixels: options.maxPixels };
  const metadata = await sharp(image, input).metadata();
  if (!carriesMetadata(metadata)) {
    return { image, contentType: options.contentType, reencoded: false };
  }
  const encoder = encodeAs(sharp(image, input).autoOrient().keepIccProfile(), metadata.format);
  return {
    image: await encoder.image.toBuffer(),
    contentType: encoder.contentType,
    reencoded: true,
  };
}
