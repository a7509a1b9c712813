/** Which admin actions each order status allows. */
import type { OrderStatus } from '@restoreclick/db';

/** Statuses in which failed photos can be sent back to the restorer. */
export const RETRYABLE_ORDER_STATUSES: readonly OrderStatus[] = [
  'paid',
  'processing',
  'needs_attention',
  'completed_with_errors',
];

/** Statuses in which money can be given back. */
export const REFUNDABLE_ORDER_STATUSES: readonly OrderStatus[] = [
  'paid',
  'processing',
  'completed',
  'completed_with_errors',
  'needs_attention',
  'partially_refunded',
];

/** Statuses of orders that wait for payment: they can be cancelled, and fulfilment may find them paid. */
export const UNPAID_ORDER_STATUSES: readonly OrderStatus[] = ['pending_payment', 'payment_failed'];
