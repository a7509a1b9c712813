/**
 * Customer-visible notifications (the bell on the order page): written in the transaction of the change they
 * announce, read and marked read with the order's token.
 */
import type { Database, Kysely } from '@restoreclick/db';

export interface CustomerNotificationInput {
  orderId: string;
  type: 'payment_received' | 'photo_failed' | 'order_ready';
  title: string;
  body?: string;
  data?: Record<string, unknown>;
}

export async function notifyCustomer(
  db: Kysely<Database>,
  notification: CustomerNotificationInput,
): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      order_id: notification.orderId,
      type: notification.type,
      title: notification.title,
      body: notification.body ?? null,
      data: JSON.stringify(notification.data ?? {}),
    })
    .execute();
}

export interface CustomerNotification {
  id: string;
  type: string;
  title: string;
  body: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export async function listCustomerNotifications(
  db: Kysely<Database>,
  orderId: string,
  options: { limit?: number } = {},
): Promise<{ items: CustomerNotification[]; unreadCount: number }> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'type', 'title', 'body', 'created_at', 'read_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .execute();
  const unread = await db
    .selectFrom('notifications')
    .select(db.fn.countAll<string>().as('count'))
    .where('order_id', '=', orderId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    items: rows.map((row) => ({
      id: row.id,
      type: row.type,
      title: row.title,
      body: row.body,
      createdAt: row.created_at,
      readAt: row.read_at,
    })),
    unreadCount: Number(unread.count),
  };
}

/** Marks the given notifications of the order read (all of them when `ids` is omitted). */
export async function markNotificationsRead(
  db: Kysely<Database>,
  orderId: string,
  ids?: string[],
): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('order_id', '=', orderId)
    .where('read_at', 'is', null);
  if (ids) {
    if (ids.length === 0) return 0;
    query = query.where('id', 'in', ids);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
