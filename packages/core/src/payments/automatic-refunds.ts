/**
 * The automatic refunds of an order as an admin sees them: per photo, what was or will be refunded, when, and
 * who decided otherwise. A pending refund's amount is what it would refund if it were issued now. Timestamps are
 * ISO strings, as everything the admin API returns.
 */
import type { AutomaticRefundStatus, Database, Kysely } from '@restoreclick/db';
import { refundedSoFar } from './issue-automatic-refunds';
import { planPhotoRefunds } from './photo-refund-amounts';

export interface AutomaticRefundView {
  id: string;
  imageId: string;
  filename: string;
  status: AutomaticRefundStatus;
  /** Why the photo is refunded, as the customer's email says it. */
  reason: string;
  /** When the grace period ends (or ended). */
  dueAt: string;
  /** Minor units: fixed once issuing begins; for a pending refund, what it would refund now. */
  amount: number;
  amountFixed: boolean;
  currency: string;
  providerRefundId: string | null;
  emailMessageId: string | null;
  /** `admin:<id>` or `worker` when someone stopped or hurried it. */
  decidedBy: string | null;
  cancelReason: string | null;
  error: string | null;
  issuedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

export async function getAutomaticRefunds(
  db: Kysely<Database>,
  orderId: string,
): Promise<AutomaticRefundView[]> {
  const rows = await db
    .selectFrom('automatic_refunds')
    .innerJoin('order_images', 'order_images.id', 'automatic_refunds.order_image_id')
    .selectAll('automatic_refunds')
    .select('order_images.original_filename as filename')
    .where('automatic_refunds.order_id', '=', orderId)
    .orderBy('order_images.position')
    .execute();
  if (rows.length === 0) return [];

  const order = await db
    .selectFrom('orders')
    .select(['id', 'amount_paid', 'amount_refunded'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const photos = await db
    .selectFrom('order_images')
    .select('id')
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
  const indexOf = new Map(photos.map((photo, index) => [photo.id, index]));
  const pending = rows.filter((row) => row.status === 'pending');
  const planned = planPhotoRefunds({
    amountPaid: order.amount_paid ?? 0,
    alreadyRefunded: await refundedSoFar(db, order),
    photoCount: photos.length,
    photoIndexes: pending.map((row) => indexOf.get(row.order_image_id) ?? 0),
  });
  const plannedOf = new Map(pending.map((row, index) => [row.id, planned[index] ?? 0]));

  return rows.map((row) => ({
    id: row.id,
    imageId: row.order_image_id,
    filename: row.filename,
    status: row.status,
    reason: row.reason,
    dueAt: row.due_at.toISOString(),
    amount: row.amount ?? plannedOf.get(row.id) ?? 0,
    amountFixed: row.amount !== null,
    currency: row.currency,
    providerRefundId: row.provider_refund_id,
    emailMessageId: row.email_message_id,
    decidedBy: row.decided_by,
    cancelReason: row.cancel_reason,
    error: row.error,
    issuedAt: iso(row.issued_at),
    cancelledAt: iso(row.cancelled_at),
    createdAt: row.created_at.toISOString(),
  }));
}
