/**
 * Deleting photos' files in three steps that survive a crash anywhere:
 *  1. `markFilesDeleted`, in the caller's transaction (with its order event): stamp the halves that go —
 *     `original_purged_at`, `restored_purged_at`, and status `purged` with `purged_at` once nothing is left;
 *  2. `deleteMarkedFiles`: delete those objects from the bucket;
 *  3. … and clear their keys.
 * A stamp whose key is still set is a deletion under way: `deleteMarkedFiles` finishes it, right after step 1 or
 * in the daily purge after a crash. Pages and links look at the stamps, so a half that is going is never shown.
 */
import pLimit from 'p-limit';
import type { Database, Kysely, OrderImage } from '@restoreclick/db';
import { orderFolderPrefixes, tempUploadPrefixFor } from '../storage/keys';
import type { ObjectStore } from '../storage/object-store';

/** The original with its preview and temporary copy; or the restored photo with its preview. */
export type PhotoFileHalf = 'original' | 'restored';

type ImageFiles = Pick<
  OrderImage,
  | 'id'
  | 'original_key'
  | 'thumbnail_key'
  | 'temp_key'
  | 'restored_key'
  | 'restored_thumbnail_key'
  | 'original_purged_at'
  | 'restored_purged_at'
>;

const FILE_COLUMNS = [
  'id',
  'order_id',
  'original_key',
  'thumbnail_key',
  'temp_key',
  'restored_key',
  'restored_thumbnail_key',
  'original_purged_at',
  'restored_purged_at',
] as const;

/** Deletes from the bucket at once, per batch of photos: S3 answers each DELETE in a few milliseconds. */
const DELETES_AT_ONCE = 8;

function present(keys: Array<string | null>): string[] {
  return keys.filter((key): key is string => key !== null);
}

export function keysOfHalf(image: ImageFiles, half: PhotoFileHalf): string[] {
  return half === 'original'
    ? present([image.original_key, image.thumbnail_key, image.temp_key])
    : present([image.restored_key, image.restored_thumbnail_key]);
}

export function hasRestoredFiles(image: ImageFiles): boolean {
  return keysOfHalf(image, 'restored').length > 0;
}

/**
 * Step 1 for one photo, inside the transaction that records why: stamps `halves` (a half already stamped keeps
 * its first date) and marks the photo `purged` when no file is left. Returns whether anything changed.
 */
export async function markFilesDeleted(
  trx: Kysely<Database>,
  image: ImageFiles & Pick<OrderImage, 'purged_at'>,
  halves: readonly PhotoFileHalf[],
  now: Date,
): Promise<boolean> {
  if (image.purged_at) return false;
  const originalAt = image.original_purged_at ?? (halves.includes('original') ? now : null);
  const restoredAt = image.restored_purged_at ?? (halves.includes('restored') ? now : null);
  if (originalAt === image.original_purged_at && restoredAt === image.restored_purged_at) {
    return false;
  }
  const nothingLeft = originalAt !== null && (restoredAt !== null || !hasRestoredFiles(image));
  const updated = await trx
    .updateTable('order_images')
    .set({
      original_purged_at: originalAt,
      restored_purged_at: restoredAt,
      ...(nothingLeft ? { status: 'purged' as const, purged_at: now } : {}),
    })
    .where('id', '=', image.id)
    .where('purged_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export interface DeletedFiles {
  photos: number;
  /** Originals, restored photos and previews deleted from the bucket. */
  objects: number;
}

/**
 * Steps 2 and 3: deletes the objects of every stamped half that still has keys (of `orderIds`, or of all
 * orders), then clears the keys. Safe to run at any time and any number of times.
 */
export async function deleteMarkedFiles(
  db: Kysely<Database>,
  storage: ObjectStore,
  scope: { orderIds?: string[]; batchSize?: number } = {},
): Promise<DeletedFiles> {
  if (scope.orderIds?.length === 0) return { photos: 0, objects: 0 };
  const limit = pLimit(DELETES_AT_ONCE);
  const result: DeletedFiles = { photos: 0, objects: 0 };
  for (;;) {
    let query = db
      .selectFrom('order_images')
      .select(FILE_COLUMNS)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('original_purged_at', 'is not', null),
            eb.or([
              eb('original_key', 'is not', null),
              eb('thumbnail_key', 'is not', null),
              eb('temp_key', 'is not', null),
            ]),
          ]),
          eb.and([
            eb('restored_purged_at', 'is not', null),
            eb.or([
              eb('restored_key', 'is not', null),
              eb('restored_thumbnail_key', 'is not', null),
            ]),
          ]),
        ]),
      )
      .orderBy('id')
      .limit(scope.batchSize ?? 200);
    if (scope.orderIds) query = query.where('order_id', 'in', scope.orderIds);
    const images = await query.execute();
    if (images.length === 0) return result;

    for (const image of images) {
      const originals = image.original_purged_at ? keysOfHalf(image, 'original') : [];
      const restored = image.restored_purged_at ? keysOfHalf(image, 'restored') : [];
      await Promise.all([...originals, ...restored].map((key) => limit(() => storage.delete(key))));
      await db
        .updateTable('order_images')
        .set({
          ...(image.original_purged_at
            ? { original_key: null, thumbnail_key: null, temp_key: null }
            : {}),
          ...(image.restored_purged_at ? { restored_key: null, restored_thumbnail_key: null } : {}),
        })
        .where('id', '=', image.id)
        .execute();
      result.photos += 1;
      // A temporary copy is normally gone since payment: deleted again to be sure, not counted.
      result.objects += originals.filter((key) => key !== image.temp_key).length + restored.length;
    }
  }
}

/**
 * Deletes whatever is left in an order's folders (and its upload session's temporary folder): files an
 * interrupted write left without a row. Only for orders whose every photo is gone. Returns the objects deleted.
 */
export async function sweepOrderFolders(
  storage: ObjectStore,
  order: { id: string; uploadSessionId?: string | null },
): Promise<number> {
  const prefixes = orderFolderPrefixes(order.id);
  if (order.uploadSessionId) prefixes.push(tempUploadPrefixFor(order.uploadSessionId));
  const limit = pLimit(DELETES_AT_ONCE);
  let deleted = 0;
  for (const prefix of prefixes) {
    const objects = await storage.list(prefix);
    await Promise.all(objects.map((object) => limit(() => storage.delete(object.key))));
    deleted += objects.length;
  }
  return deleted;
}
