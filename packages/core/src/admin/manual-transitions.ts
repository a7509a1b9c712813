/**
 * The status changes an admin may make by hand: the state machine's, minus those that must come from money
 * moving or from the checkout closing. `paid`, `refunded` and `partially_refunded` follow Stripe (refunds go
 * through `orders.refund`), and `cancelled`/`expired`/`payment_failed` through `orders.cancel`, which also
 * closes the checkout page so the customer cannot pay afterwards.
 */
import type { OrderStatus } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { allowedNextStatuses } from '../orders/order-status';

const MANUAL_TARGETS: readonly OrderStatus[] = [
  'processing',
  'needs_attention',
  'completed',
  'completed_with_errors',
];

/** Where refunds put an order, only money moving takes it out again (a refund that fails). */
const MONEY_STATUSES: readonly OrderStatus[] = ['refunded', 'partially_refunded'];

export function manualTransitionsFrom(from: OrderStatus): readonly OrderStatus[] {
  if (MONEY_STATUSES.includes(from)) return [];
  return allowedNextStatuses(from).filter((to) => MANUAL_TARGETS.includes(to));
}

export function assertManualTransition(from: OrderStatus, to: OrderStatus): void {
  const allowed = manualTransitionsFrom(from);
  if (allowed.includes(to)) return;
  const hint =
    to === 'refunded' || to === 'partially_refunded'
      ? ' Refunds change the status themselves once Stripe confirms them.'
      : to === 'cancelled'
        ? ' Use Cancel, which also closes the checkout page.'
        : '';
  throw new AppError(
    'CONFLICT',
    `An order that is ${from} cannot be set to ${to} by hand` +
      (allowed.length
        ? ` (it can be set to ${allowed.join(', ')}).`
        : ' (nothing can be set by hand now).') +
      hint,
    { from, to, allowed },
  );
}
