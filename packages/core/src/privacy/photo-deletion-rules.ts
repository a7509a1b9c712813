/**
 * When an order's photos may be deleted before their time (by the customer, or by an erasure): not while the
 * order waits for a payment that would need them, nor while a photo is being restored.
 */
import type { ImageStatus, Order } from '@restoreclick/db';
import { isFinalStatus } from '../orders/order-status';

export type PhotosInUse = 'awaiting_payment' | 'restoring';

const ACTIVE_PHOTO_STATUSES: readonly ImageStatus[] = ['pending', 'processing'];

/** Why the files are still needed, or undefined when they may go now. */
export function photosInUse(
  order: Pick<Order, 'status'>,
  photoStatuses: readonly ImageStatus[],
): PhotosInUse | undefined {
  if (order.status === 'pending_payment' || order.status === 'payment_failed') {
    return 'awaiting_payment';
  }
  if (order.status === 'paid' || order.status === 'processing') return 'restoring';
  // A final or refunded order (expired, cancelled, refunded) restores nothing more, whatever its photos last
  // said.
  if (isFinalStatus(order.status) || order.status === 'refunded') return undefined;
  return photoStatuses.some((status) => ACTIVE_PHOTO_STATUSES.includes(status))
    ? 'restoring'
    : undefined;
}
