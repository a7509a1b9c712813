/**
 * When an order settles with photos no model could restore, each such photo gets a pending automatic refund
 * and one delayed `refunds.issue-automatic` job is queued for the end of the grace period — in the settling
 * transaction, so neither can exist without the other. An admin may stop or hurry them meanwhile.
 */
import type { Database, Kysely } from '@restoreclick/db';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import {
  AUTOMATIC_REFUND_REASON,
  type AutomaticRefundPolicy,
  automaticRefundKeyFor,
} from './automatic-refund-policy';

export interface ScheduleAutomaticRefundsDeps {
  jobs: JobQueue;
  automaticRefunds?: AutomaticRefundPolicy;
  now?: () => Date;
}

/**
 * Schedules a refund for every failed photo of the order that has none yet (one an admin stopped stays
 * stopped). Call it inside the transaction that settles the order. Returns how many were scheduled.
 */
export async function scheduleAutomaticRefunds(
  trx: Kysely<Database>,
  deps: ScheduleAutomaticRefundsDeps,
  input: { orderId: string },
): Promise<number> {
  const policy = deps.automaticRefunds;
  if (!policy?.enabled) return 0;
  const order = await trx
    .selectFrom('orders')
    .select(['currency', 'amount_paid'])
    .where('id', '=', input.orderId)
    .executeTakeFirstOrThrow();
  // A free order (a 100 % coupon) has nothing to give back.
  if (!order.amount_paid) return 0;

  const dueAt = new Date((deps.now?.() ?? new Date()).getTime() + policy.graceSeconds * 1000);
  const failed = await trx
    .selectFrom('order_images')
    .leftJoin('automatic_refunds', 'automatic_refunds.order_image_id', 'order_images.id')
    .select(['order_images.id', 'order_images.original_filename'])
    .where('order_images.order_id', '=', input.orderId)
    .where('order_images.status', '=', 'failed')
    .where('automatic_refunds.id', 'is', null)
    .orderBy('order_images.position')
    .execute();
  if (failed.length === 0) return 0;

  const scheduled = await trx
    .insertInto('automatic_refunds')
    .values(
      failed.map((image) => ({
        order_id: input.orderId,
        order_image_id: image.id,
        reason: AUTOMATIC_REFUND_REASON,
        due_at: dueAt,
        currency: order.currency,
        idempotency_key: automaticRefundKeyFor(image.id),
      })),
    )
    .onConflict((conflict) => conflict.column('order_image_id').doNothing())
    .returning('order_image_id')
    .execute();
  if (scheduled.length === 0) return 0;

  const ids = new Set(scheduled.map((row) => row.order_image_id));
  await recordOrderEvent(trx, {
    orderId: input.orderId,
    type: 'refund.automatic_scheduled',
    actor: 'worker',
    data: {
      images: failed
        .filter((image) => ids.has(image.id))
        .map((image) => ({ imageId: image.id, filename: image.original_filename })),
      dueAt: dueAt.toISOString(),
    },
  });
  await deps.jobs.enqueue(
    trx,
    'refunds.issue-automatic',
    { orderId: input.orderId },
    { startAfter: dueAt },
  );
  return scheduled.length;
}
