/**
 * The `stripe.event` job: acts on one stored event. Paid sessions go through the one fulfilment; failures and
 * expiries are guarded transitions that never move a paid order backwards; refunds follow the charge's
 * cumulative `amount_refunded`, so duplicates and late arrivals settle on the right status.
 */
import type { Database, Kysely, OrderStatus } from '@restoreclick/db';
import { type FulfilmentDeps, fulfilOrder } from '../fulfilment/fulfil-order';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';

export type StripeEventOutcome = 'processed' | 'ignored' | 'duplicate';

interface CheckoutSessionObject {
  id: string;
  payment_status?: string;
  metadata?: Record<string, string> | null;
  client_reference_id?: string | null;
}

interface ChargeObject {
  id: string;
  amount: number;
  amount_refunded: number;
  payment_intent?: string | { id: string } | null;
}

const REFUNDABLE: OrderStatus[] = [
  'paid',
  'processing',
  'completed',
  'completed_with_errors',
  'needs_attention',
  'partially_refunded',
];

export async function handleStripeEvent(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  eventId: string,
): Promise<StripeEventOutcome> {
  const event = await db
    .selectFrom('stripe_events')
    .selectAll()
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) return 'ignored';
  if (event.status === 'processed' || event.status === 'ignored') return 'duplicate';

  const payload = event.payload as { data?: { object?: unknown } };
  const object = (payload.data?.object ?? {}) as Record<string, unknown>;

  await db
    .updateTable('stripe_events')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', eventId)
    .execute();

  let handled: boolean;
  try {
    handled = await route(db, deps, event.type, object);
  } catch (error) {
    await db
      .updateTable('stripe_events')
      .set({ status: 'failed', error: error instanceof Error ? error.message : String(error) })
      .where('id', '=', eventId)
      .execute();
    throw error;
  }
  await db
    .updateTable('stripe_events')
    .set({ status: handled ? 'processed' : 'ignored', processed_at: new Date(), error: null })
    .where('id', '=', eventId)
    .execute();
  return handled ? 'processed' : 'ignored';
}

async function route(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  type: string,
  object: Record<string, unknown>,
): Promise<boolean> {
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = object as unknown as CheckoutSessionObject;
      await fulfilOrder(db, deps, { checkoutSessionId: session.id, actor: 'stripe' });
      return true;
    }
    case 'checkout.session.async_payment_failed':
      await closeUnpaid(
        db,
        object as unknown as CheckoutSessionObject,
        'payment_failed',
        'payment.failed',
      );
      return true;
    case 'checkout.session.expired':
      await closeUnpaid(
        db,
        object as unknown as CheckoutSessionObject,
        'expired',
        'checkout.expired',
      );
      return true;
    case 'charge.refunded':
      await applyRefund(db, object as unknown as ChargeObject);
      return true;
    default:
      return false;
  }
}

async function orderIdOf(
  db: Kysely<Database>,
  session: CheckoutSessionObject,
): Promise<string | undefined> {
  const fromMetadata = session.metadata?.order_id ?? session.client_reference_id;
  if (fromMetadata) return fromMetadata;
  const order = await db
    .selectFrom('orders')
    .select('id')
    .where('stripe_checkout_session_id', '=', session.id)
    .executeTakeFirst();
  return order?.id;
}

async function closeUnpaid(
  db: Kysely<Database>,
  session: CheckoutSessionObject,
  to: 'payment_failed' | 'expired',
  eventType: string,
): Promise<void> {
  const orderId = await orderIdOf(db, session);
  if (!orderId) return;
  await db.transaction().execute(async (trx) => {
    // Guarded: an order that was paid meanwhile (events out of order) stays paid.
    await transitionOrder(trx, {
      orderId,
      from: to === 'expired' ? ['pending_payment', 'payment_failed'] : ['pending_payment'],
      to,
      actor: 'stripe',
      eventType,
      data: { checkoutSessionId: session.id },
      set: { checkout_url: null, ...(to === 'expired' ? { cancelled_at: new Date() } : {}) },
    });
  });
}

/** Automatic refunds issued or being issued (their amounts are fixed before the processor is asked). */
async function automaticRefundsOnTheirWay(trx: Kysely<Database>, orderId: string) {
  const row = await trx
    .selectFrom('automatic_refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.val('0')).as('total'))
    .where('order_id', '=', orderId)
    .where('status', 'in', ['issuing', 'issued'])
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

async function applyRefund(db: Kysely<Database>, charge: ChargeObject): Promise<void> {
  const paymentIntentId =
    typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!paymentIntentId) return;
  await db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .selectAll()
      .where('stripe_payment_intent_id', '=', paymentIntentId)
      .forUpdate()
      .executeTakeFirst();
    if (!order) return;
    // Refund events carry the charge's running total; the largest one seen is the truth.
    const refunded = Math.max(order.amount_refunded, charge.amount_refunded);
    if (refunded === 0) return;
    const paid = order.amount_paid ?? charge.amount;
    const to: OrderStatus = refunded >= paid ? 'refunded' : 'partially_refunded';
    if (order.status === to && order.amount_refunded === refunded) return; // already applied
    const data = { chargeId: charge.id, amountRefunded: refunded, amountPaid: paid };
    // A partial refund made only of the automatic refunds of photos no model could restore keeps the order
    // `completed_with_errors`: that status already says "some photos failed", and it still lets an admin
    // retry those photos (`partially_refunded` would not). Anything beyond them — an admin's refund — makes
    // the order partially_refunded as before; a refund of everything makes it refunded.
    const keepsSettledStatus =
      to === 'partially_refunded' &&
      order.status === 'completed_with_errors' &&
      refunded <= (await automaticRefundsOnTheirWay(trx, order.id));
    if (keepsSettledStatus) {
      if (refunded > order.amount_refunded) {
        await trx
          .updateTable('orders')
          .set({ amount_refunded: refunded })
          .where('id', '=', order.id)
          .execute();
        await recordOrderEvent(trx, {
          orderId: order.id,
          type: 'payment.refund_recorded',
          actor: 'stripe',
          data: { ...data, automatic: true },
        });
      }
      return;
    }
    if (REFUNDABLE.includes(order.status)) {
      await transitionOrder(trx, {
        orderId: order.id,
        from: [order.status],
        to,
        actor: 'stripe',
        eventType: to === 'refunded' ? 'payment.refunded' : 'payment.partially_refunded',
        data,
        set: { amount_refunded: refunded },
      });
    } else if (refunded > order.amount_refunded) {
      // Already final (refunded): keep the amount right without changing the status.
      await trx
        .updateTable('orders')
        .set({ amount_refunded: refunded })
        .where('id', '=', order.id)
        .execute();
      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'payment.refund_recorded',
        actor: 'stripe',
        data,
      });
    }
  });
}
