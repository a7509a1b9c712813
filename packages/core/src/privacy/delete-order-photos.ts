/**
 * `orders.deletePhotos`: the customer deletes every photo of their order at once — originals, restored photos,
 * previews — before the retention period would. Their download and share links stop working in the same
 * transaction that stamps the files and writes the `photos.deleted` event; the objects go right after. The order
 * and its history stay. Asking again changes nothing and answers with the first deletion.
 */
import type { Database, Kysely, Order } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { recordOrderEvent } from '../orders/order-events';
import type { ObjectStore } from '../storage/object-store';
import { deleteMarkedFiles, markFilesDeleted, sweepOrderFolders } from './photo-files';
import { photosInUse } from './photo-deletion-rules';

export interface OrderPhotoDeletionDeps {
  storage: ObjectStore;
  now?: () => Date;
}

export interface OrderPhotosDeleted {
  /** When the photos were deleted (the first time, when asked again). */
  deletedAt: Date;
  /** Photos whose files were deleted by this request (0 when asked again). */
  photos: number;
  alreadyDeleted: boolean;
}

const IN_USE_MESSAGES = {
  awaiting_payment:
    'This order is still waiting for payment. If you do not pay, its photos are deleted by themselves once the payment page has expired.',
  restoring:
    'Your photos are being restored right now. You can delete them as soon as every photo is done.',
} as const;

export async function deleteOrderPhotos(
  db: Kysely<Database>,
  deps: OrderPhotoDeletionDeps,
  input: { order: Pick<Order, 'id'> },
): Promise<OrderPhotosDeleted> {
  const now = deps.now?.() ?? new Date();
  const marked = await db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['id', 'status', 'upload_session_id'])
      .where('id', '=', input.order.id)
      .forUpdate()
      .executeTakeFirst();
    if (!order) throw new AppError('NOT_FOUND', 'This order does not exist.');
    const images = await trx
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('position')
      .forUpdate()
      .execute();
    const kept = images.filter((image) => image.purged_at === null);
    if (kept.length === 0) {
      const last = images.reduce<Date | null>(
        (latest, image) =>
          image.purged_at && (!latest || image.purged_at > latest) ? image.purged_at : latest,
        null,
      );
      return { order, photos: 0, deletedAt: last ?? now };
    }
    const inUse = photosInUse(
      order,
      images.map((image) => image.status),
    );
    if (inUse) throw new AppError('CONFLICT', IN_USE_MESSAGES[inUse], { reason: inUse });

    for (const image of kept) await markFilesDeleted(trx, image, ['original', 'restored'], now);
    const links = await trx
      .updateTable('download_links')
      .set({ revoked_at: now })
      .where('order_id', '=', order.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'photos.deleted',
      actor: 'customer',
      data: {
        photos: kept.length,
        imageIds: kept.map((image) => image.id),
        linksRevoked: Number(links.numUpdatedRows),
      },
    });
    return { order, photos: kept.length, deletedAt: now };
  });

  // Also finishes a deletion an earlier request began but did not complete.
  await deleteMarkedFiles(db, deps.storage, { orderIds: [marked.order.id] });
  await sweepOrderFolders(deps.storage, {
    id: marked.order.id,
    uploadSessionId: marked.order.upload_session_id,
  });
  return {
    deletedAt: marked.deletedAt,
    photos: marked.photos,
    alreadyDeleted: marked.photos === 0,
  };
}
