/**
 * `privacy.purge-expired` (daily): deletes the files whose retention period is over — originals
 * ORIGINALS_RETENTION_DAYS and restored photos RESTORED_RETENTION_DAYS after their order finished — and marks
 * the photos; the rows, the order and its history stay. Each order's change and its `photos.purged` event are
 * one transaction, guarded by the order's status; deletions a crash interrupted are finished here too.
 * `now` comes from the caller, so tests can move the clock.
 */
import { sql } from 'kysely';
import type { Database, Kysely } from '@restoreclick/db';
import { recordOrderEvent } from '../orders/order-events';
import type { ObjectStore } from '../storage/object-store';
import {
  deleteMarkedFiles,
  hasRestoredFiles,
  markFilesDeleted,
  type PhotoFileHalf,
  sweepOrderFolders,
} from './photo-files';
import {
  deletionDatesFrom,
  RETENTION_ORDER_STATUSES,
  retentionCutoff,
  type RetentionPolicy,
  retentionStartOf,
} from './retention';

export interface PhotoPurgeDeps {
  storage: ObjectStore;
  retention: RetentionPolicy;
}

export interface PhotoPurgeResult {
  /** Orders whose files (some or all) were due. */
  orders: number;
  /** Photos whose original was deleted now. */
  originals: number;
  /** Photos whose restored version was deleted now. */
  restored: number;
  /** Objects deleted from the bucket, deletions finished from earlier runs included. */
  objectsDeleted: number;
}

const ORDERS_PER_PASS = 100;

/**
 * When the order's current status began: for paid orders refunded before they completed, their retention
 * period starts then. SQL twin of `retentionStartOf`'s `statusSince`.
 */
const statusSince = sql<Date | null>`(
  select max(e.at) from order_events e where e.order_id = orders.id and e.to_status = orders.status
)`;

interface DueOrder {
  id: string;
  upload_session_id: string | null;
}

/** Orders with at least one half of a photo past its period, the oldest first. */
async function dueOrders(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
): Promise<DueOrder[]> {
  const originalsCutoff = retentionCutoff(now, policy.originalsDays);
  const restoredCutoff = retentionCutoff(now, policy.restoredDays);
  const start = sql<Date>`coalesce(orders.completed_at, ${statusSince})`;
  const { rows } = await sql<DueOrder>`
    select orders.id, orders.upload_session_id
    from orders
    where orders.status in (${sql.join([...RETENTION_ORDER_STATUSES])})
      and orders.paid_at is not null
      and ${start} <= ${originalsCutoff > restoredCutoff ? originalsCutoff : restoredCutoff}
      and exists (
        select 1 from order_images i
        where i.order_id = orders.id and i.purged_at is null and (
          (i.original_purged_at is null and ${start} <= ${originalsCutoff})
          or (
            i.restored_purged_at is null
            and (i.restored_key is not null or i.restored_thumbnail_key is not null)
            and ${start} <= ${restoredCutoff}
          )
        )
      )
    order by ${start}, orders.id
    limit ${ORDERS_PER_PASS}
  `.execute(db);
  return rows;
}

/** Stamps the order's due halves with their event; returns what was due and whether any file is left. */
async function markDueFiles(
  db: Kysely<Database>,
  deps: PhotoPurgeDeps,
  orderId: string,
  now: Date,
): Promise<{ originals: number; restored: number; everythingGone: boolean }> {
  return db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .select(['id', 'status', 'paid_at', 'completed_at'])
      .select(statusSince.as('status_since'))
      .where('id', '=', orderId)
      .forUpdate()
      .executeTakeFirst();
    const start = order && retentionStartOf(order, order.status_since);
    if (!order || !start) return { originals: 0, restored: 0, everythingGone: false };
    const due = deletionDatesFrom(start, deps.retention);
    const images = await trx
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('position')
      .forUpdate()
      .execute();

    const originals: string[] = [];
    const restored: string[] = [];
    let left = 0;
    for (const image of images) {
      const halves: PhotoFileHalf[] = [];
      if (!image.original_purged_at && due.originals <= now) halves.push('original');
      if (!image.restored_purged_at && hasRestoredFiles(image) && due.restored <= now) {
        halves.push('restored');
      }
      const changed = halves.length > 0 && (await markFilesDeleted(trx, image, halves, now));
      if (changed && halves.includes('original')) originals.push(image.id);
      if (changed && halves.includes('restored')) restored.push(image.id);
      const originalGone = image.original_purged_at !== null || halves.includes('original');
      const restoredGone =
        image.restored_purged_at !== null ||
        halves.includes('restored') ||
        !hasRestoredFiles(image);
      if (!image.purged_at && !(originalGone && restoredGone)) left += 1;
    }
    if (originals.length + restored.length > 0) {
      await recordOrderEvent(trx, {
        orderId,
        type: 'photos.purged',
        actor: 'system',
        data: {
          files:
            originals.length > 0 && restored.length > 0
              ? 'all'
              : originals.length > 0
                ? 'originals'
                : 'restored',
          originals: originals.length,
          restored: restored.length,
          imageIds: [...new Set([...originals, ...restored])],
          originalsRetentionDays: deps.retention.originalsDays,
          restoredRetentionDays: deps.retention.restoredDays,
          retentionStartedAt: start.toISOString(),
          orderStatus: order.status,
        },
      });
    }
    return { originals: originals.length, restored: restored.length, everythingGone: left === 0 };
  });
}

export async function purgeExpiredPhotos(
  db: Kysely<Database>,
  deps: PhotoPurgeDeps,
  input: { now: Date },
): Promise<PhotoPurgeResult> {
  const result: PhotoPurgeResult = { orders: 0, originals: 0, restored: 0, objectsDeleted: 0 };
  const emptied: DueOrder[] = [];
  // Each pass stamps what it finds, so the next one finds the following orders. An order looked at once is not
  // looked at again in this run (a concurrent run took its files, or it went back to processing meanwhile).
  const seen = new Set<string>();
  for (;;) {
    const orders = (await dueOrders(db, deps.retention, input.now)).filter(
      (order) => !seen.has(order.id),
    );
    if (orders.length === 0) break;
    for (const order of orders) {
      seen.add(order.id);
      const marked = await markDueFiles(db, deps, order.id, input.now);
      if (marked.originals + marked.restored === 0) continue;
      result.orders += 1;
      result.originals += marked.originals;
      result.restored += marked.restored;
      if (marked.everythingGone) emptied.push(order);
    }
  }
  const deleted = await deleteMarkedFiles(db, deps.storage);
  result.objectsDeleted += deleted.objects;
  for (const order of emptied) {
    result.objectsDeleted += await sweepOrderFolders(deps.storage, {
      id: order.id,
      uploadSessionId: order.upload_session_id,
    });
  }
  return result;
}
