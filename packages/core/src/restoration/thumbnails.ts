/**
 * Small previews for the order page: a 480 px JPEG of the original and of the restored photo, stored beside
 * them. A preview that cannot be made is skipped: the page falls back to the full image.
 */
import sharp from 'sharp';
import type { Database, Kysely } from '@restoreclick/db';
import { thumbnailKeyFor } from '../storage/keys';
import type { ObjectStore } from '../storage/object-store';

const THUMBNAIL_SIZE = 480;

export async function storeThumbnail(
  db: Kysely<Database>,
  storage: ObjectStore,
  image: { id: string; order_id: string },
  variant: 'original' | 'restored',
  source: Buffer,
): Promise<void> {
  let preview: Buffer;
  try {
    preview = await sharp(source, { limitInputPixels: 200_000_000 })
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 78 })
      .toBuffer();
  } catch {
    return;
  }
  const key = thumbnailKeyFor(image.order_id, image.id, variant);
  await storage.put(key, preview, { contentType: 'image/jpeg' });
  await db
    .updateTable('order_images')
    .set(variant === 'original' ? { thumbnail_key: key } : { restored_thumbnail_key: key })
    .where('id', '=', image.id)
    .execute();
}
