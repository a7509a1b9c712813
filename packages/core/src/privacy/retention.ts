/**
 * How long photos are kept: the retention periods, when an order's period starts, and the dates each half of
 * its files is deleted. Pure, so the order page, the completion email and the daily purge always agree.
 */
import type { Order, OrderStatus } from '@restoreclick/db';

export interface RetentionPolicy {
  /** Days the originals (with their previews and temporary copies) are kept after the order finishes. */
  originalsDays: number;
  /** Days the restored photos (with their previews) are kept after the order finishes. */
  restoredDays: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { originalsDays: 30, restoredDays: 30 };

/** Paid orders that nothing more happens to by itself: the retention period of their photos runs. */
export const RETENTION_ORDER_STATUSES: readonly OrderStatus[] = [
  'completed',
  'completed_with_errors',
  'refunded',
  'partially_refunded',
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the order's retention period started: its completion, or — for a paid order refunded before it
 * completed — when it reached its current status (`statusSince`). Undefined while the photos may still be
 * worked on (unpaid, restoring, waiting for an admin): nothing is deleted by the clock then.
 */
export function retentionStartOf(
  order: Pick<Order, 'status' | 'paid_at' | 'completed_at'>,
  statusSince: Date | null,
): Date | undefined {
  if (!order.paid_at || !RETENTION_ORDER_STATUSES.includes(order.status)) return undefined;
  return order.completed_at ?? statusSince ?? undefined;
}

export interface DeletionDates {
  originals: Date;
  restored: Date;
}

export function deletionDatesFrom(start: Date, policy: RetentionPolicy): DeletionDates {
  return {
    originals: new Date(start.getTime() + policy.originalsDays * DAY_MS),
    restored: new Date(start.getTime() + policy.restoredDays * DAY_MS),
  };
}

/** The first day any of the order's files goes: what a customer must download before. */
export function firstDeletionDate(dates: DeletionDates): Date {
  return dates.originals < dates.restored ? dates.originals : dates.restored;
}

/** The moment a retention period of `days` that ends by `now` must have started: `now − days`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
