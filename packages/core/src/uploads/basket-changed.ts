/**
 * When photos are added to or removed from a basket that already has an unpaid order, that order no longer
 * matches: it is cancelled (and its checkout page closed) so the next checkout makes a fresh one.
 */
import type { Database, Kysely } from '@restoreclick/db';
import { transitionOrder } from '../orders/transition-order';
import type { PaymentProvider } from '../payments/payment-provider';

export async function cancelStaleCheckout(
  db: Kysely<Database>,
  payments: PaymentProvider | undefined,
  uploadSessionId: string,
): Promise<void> {
  const pending = await db
    .selectFrom('orders')
    .select(['id', 'stripe_checkout_session_id'])
    .where('upload_session_id', '=', uploadSessionId)
    .where('status', '=', 'pending_payment')
    .executeTakeFirst();
  if (!pending) return;
  const cancelled = await db.transaction().execute((trx) =>
    transitionOrder(trx, {
      orderId: pending.id,
      from: ['pending_payment'],
      to: 'cancelled',
      actor: 'customer',
      eventType: 'order.basket_changed',
      data: { reason: 'The photos changed before payment; a new checkout replaces this order.' },
      set: { upload_session_id: null, checkout_url: null, cancelled_at: new Date() },
    }),
  );
  if (cancelled && pending.stripe_checkout_session_id && payments) {
    // Best effort: were it still paid, fulfilment records the payment against the cancelled order for admins.
    await payments.expireCheckoutSession(pending.stripe_checkout_session_id).catch(() => {});
  }
}
