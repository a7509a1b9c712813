/**
 * Sends failed photos back to the restorer, as fulfilment first sent them: each photo becomes `pending` again
 * with a new attempt row and a `restoration.run` job, in the caller's transaction. The order goes back to
 * `processing`, and the photo's dead letters are removed since their work is queued again. The retried
 * attempt follows the usual rules: if it fails too, the photo fails again and the order settles again.
 */
import type { Database, Kysely, OrderStatus } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { deleteDeadLettersWhere } from '../jobs/dead-letters';
import type { JobQueue } from '../jobs/job-queue';
import { type Actor, recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import { RETRYABLE_ORDER_STATUSES } from './order-statuses';

export interface RetryPhotosDeps {
  jobs: JobQueue;
  /** The provider new attempts are assigned to (the worker records the one that really runs them). */
  restorationProvider: string;
}

export interface RetriedPhotos {
  orderStatusBefore: OrderStatus;
  orderStatusAfter: OrderStatus;
  photos: Array<{ imageId: string; filename: string; attempt: number; restorationJobId: string }>;
}

/**
 * Retries `imageIds` of the order (every failed photo when omitted). Call it inside a transaction; it locks
 * the order row first, as the restoration settlements do.
 */
export async function retryFailedPhotos(
  trx: Kysely<Database>,
  deps: RetryPhotosDeps,
  input: { orderId: string; imageIds?: readonly string[]; actor: Actor },
): Promise<RetriedPhotos> {
  const order = await trx
    .selectFrom('orders')
    .select(['id', 'status', 'order_number'])
    .where('id', '=', input.orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw new AppError('NOT_FOUND', `There is no order with id ${input.orderId}.`);
  if (!RETRYABLE_ORDER_STATUSES.includes(order.status)) {
    throw new AppError(
      'CONFLICT',
      `Photos of an order that is ${order.status} cannot be restored again.`,
      { status: order.status },
    );
  }

  let query = trx
    .selectFrom('order_images')
    .select(['id', 'original_filename', 'status'])
    .where('order_id', '=', order.id);
  if (input.imageIds) query = query.where('id', 'in', [...input.imageIds]);
  const images = await query.orderBy('position').execute();
  if (input.imageIds && images.length < input.imageIds.length) {
    throw new AppError('NOT_FOUND', `That photo is not part of order ${order.order_number}.`);
  }
  const failed = images.filter((image) => image.status === 'failed');
  if (failed.length === 0) {
    throw new AppError(
      'CONFLICT',
      input.imageIds?.length === 1
        ? `That photo is ${images[0]?.status ?? 'gone'}; only failed photos can be restored again.`
        : `No photo of order ${order.order_number} has failed.`,
    );
  }

  const photos: RetriedPhotos['photos'] = [];
  for (const image of failed) {
    const reopened = await trx
      .updateTable('order_images')
      .set({ status: 'pending', error: null })
      .where('id', '=', image.id)
      .where('status', '=', 'failed')
      .returning('id')
      .executeTakeFirst();
    if (!reopened) continue;
    const previous = await trx
      .selectFrom('restoration_jobs')
      .select(['id', 'attempt'])
      .where('order_image_id', '=', image.id)
      .orderBy('attempt', 'desc')
      .execute();
    const attempt = (previous[0]?.attempt ?? 0) + 1;
    const job = await trx
      .insertInto('restoration_jobs')
      .values({
        order_id: order.id,
        order_image_id: image.id,
        provider: deps.restorationProvider,
        attempt,
        status: 'queued',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.jobs.enqueue(trx, 'restoration.run', { restorationJobId: job.id });
    await deleteDeadLettersWhere(
      trx,
      'restoration.run',
      'restorationJobId',
      previous.map((row) => row.id),
    );
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'restoration.retry_requested',
      actor: input.actor,
      data: { imageId: image.id, filename: image.original_filename, attempt },
    });
    photos.push({
      imageId: image.id,
      filename: image.original_filename,
      attempt,
      restorationJobId: job.id,
    });
  }

  let status = order.status;
  if (photos.length > 0 && (status === 'needs_attention' || status === 'completed_with_errors')) {
    const moved = await transitionOrder(trx, {
      orderId: order.id,
      from: [status],
      to: 'processing',
      actor: input.actor,
      eventType: 'restoration.started',
      data: { retried: photos.length },
      set: { completed_at: null },
    });
    if (moved) status = moved.status;
  }
  return { orderStatusBefore: order.status, orderStatusAfter: status, photos };
}
