/**
 * How much of an order's payment can still be given back: what was paid, less what is refunded or on its way
 * back (Stripe's total, or automatic refunds and admins' refund requests while Stripe's webhook lags behind).
 */
import type { Database, Kysely, Order } from '@restoreclick/db';
import { refundedSoFar } from '../payments/issue-automatic-refunds';
import { REFUNDABLE_ORDER_STATUSES } from './order-statuses';

export async function refundableAmountOf(db: Kysely<Database>, order: Order): Promise<number> {
  if (!REFUNDABLE_ORDER_STATUSES.includes(order.status) || !order.stripe_payment_intent_id)
    return 0;
  return Math.max(0, (order.amount_paid ?? 0) - (await refundedSoFar(db, order)));
}
