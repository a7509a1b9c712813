/**
 * How much of an order's payment can still be given back: what was paid, less what Stripe reports refunded
 * or what admins have asked for (whichever is more, since Stripe's total arrives by webhook a moment later).
 */
import type { Database, Kysely, Order } from '@restoreclick/db';
import { REFUNDABLE_ORDER_STATUSES } from './order-statuses';

export async function refundableAmountOf(db: Kysely<Database>, order: Order): Promise<number> {
  if (!REFUNDABLE_ORDER_STATUSES.includes(order.status) || !order.stripe_payment_intent_id)
    return 0;
  const requested = await db
    .selectFrom('refund_requests')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.lit(0)).as('total'))
    .where('order_id', '=', order.id)
    .where('status', 'in', ['pending', 'succeeded'])
    .executeTakeFirstOrThrow();
  const refunded = Math.max(order.amount_refunded, Number(requested.total));
  return Math.max(0, (order.amount_paid ?? 0) - refunded);
}
