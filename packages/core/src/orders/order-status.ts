/**
 * The order state machine: which status may follow which. Every status change goes through
 * `assertTransition` and a guarded update (`where status = <from>`), and writes an `order_events` row.
 */
import { ORDER_STATUSES, type OrderStatus } from '@restoreclick/db';
import { AppError } from '../errors/app-error';

export { ORDER_STATUSES, type OrderStatus };

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'payment_failed', 'expired', 'cancelled'],
  payment_failed: ['paid', 'cancelled'],
  expired: [],
  cancelled: [],
  paid: ['processing', 'needs_attention', 'refunded', 'partially_refunded'],
  processing: [
    'completed',
    'completed_with_errors',
    'needs_attention',
    'refunded',
    'partially_refunded',
  ],
  needs_attention: [
    'processing',
    'completed',
    'completed_with_errors',
    'refunded',
    'partially_refunded',
  ],
  completed: ['refunded', 'partially_refunded'],
  completed_with_errors: ['processing', 'refunded', 'partially_refunded'],
  // A refund can fail days later (a closed card): the money is back with us, and an admin has to act.
  partially_refunded: ['refunded', 'partially_refunded', 'needs_attention'],
  refunded: ['partially_refunded', 'needs_attention'],
};

export function allowedNextStatuses(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    const allowed = TRANSITIONS[from];
    throw new AppError(
      'CONFLICT',
      `An order that is ${from} cannot become ${to}` +
        (allowed.length ? ` (it can become ${allowed.join(', ')}).` : ' (it is final).'),
      { from, to },
    );
  }
}

/** Statuses after which nothing more happens to the order on its own. */
export function isFinalStatus(status: OrderStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Statuses in which the customer has paid (money was taken at some point). */
export const PAID_STATUSES: readonly OrderStatus[] = [
  'paid',
  'processing',
  'completed',
  'completed_with_errors',
  'needs_attention',
  'refunded',
  'partially_refunded',
];
