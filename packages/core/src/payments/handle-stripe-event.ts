/**
 * The `stripe.event` job: acts on one stored event. Paid sessions go through the one fulfilment; failures and
 * expiries are guarded transitions that never move a paid order backwards; refunds follow the charge's
 * `amount_refunded` as Stripe has it when the event is handled, so duplicates, late arrivals and refunds that
 * fail afterwards all settle on the right amount and status.
 */
import type { Database, Kysely, Order, OrderStatus } from '@restoreclick/db';
import { type FulfilmentDeps, fulfilOrder } from '../fulfilment/fulfil-order';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import type { ChargeRefundState, PaymentProvider } from './payment-provider';

export type StripeEventOutcome = 'processed' | 'ignored' | 'duplicate';

interface CheckoutSessionObject {
  id: string;
  payment_status?: string;
  metadata?: Record<string, string> | null;
  client_reference_id?: string | null;
}

interface ChargeObject {
  id: string;
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
      await applyRefund(db, deps.payments, object as unknown as ChargeObject);
      return true;
    case 'refund.failed':
    case 'refund.updated':
    case 'charge.refund.updated': {
      const refund = object as unknown as RefundObject;
      if (refund.status !== 'failed' && refund.status !== 'canceled') return false;
      await applyRefundFailure(db, deps.payments, refund);
      return true;
    }
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

/** The refund behind `refund.*` and `charge.refund.updated` events. */
interface RefundObject {
  id: string;
  amount: number;
  status?: string | null;
  failure_reason?: string | null;
  charge?: string | { id: string } | null;
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : value?.id;

/**
 * A refund that failed or was cancelled after it had been made (a closed card, days later): its request is
 * marked failed, and the order follows the charge's money back (`syncRefunds`).
 */
async function applyRefundFailure(
  db: Kysely<Database>,
  payments: PaymentProvider,
  refund: RefundObject,
): Promise<void> {
  const chargeId = idOf(refund.charge);
  if (!chargeId) return;
  const charge = await payments.retrieveCharge(chargeId);
  const reason = refund.failure_reason ?? refund.status ?? 'failed';
  await syncRefunds(db, charge, async (trx) => {
    const error = `Stripe could not complete the refund: ${reason}`;
    const requests = await trx
      .updateTable('refund_requests')
      .set({ status: 'failed', provider_status: refund.status ?? 'failed', error })
      .where('provider_refund_id', '=', refund.id)
      .where('status', '!=', 'failed')
      .returning('id')
      .execute();
    const automatic = await trx
      .updateTable('automatic_refunds')
      .set({ status: 'failed', error })
      .where('provider_refund_id', '=', refund.id)
      .where('status', '!=', 'failed')
      .returning('id')
      .execute();
    return {
      refundId: refund.id,
      amount: refund.amount,
      reason,
      newlyFailed: requests.length + automatic.length > 0,
    };
  });
}

/** `charge.refunded`: the order follows the charge's refunds as Stripe has them now. */
async function applyRefund(
  db: Kysely<Database>,
  payments: PaymentProvider,
  charge: ChargeObject,
): Promise<void> {
  // The event's snapshot may be older than another we already applied (events come in any order, and a refund
  // can fail after it succeeded): the charge as it is now decides.
  await syncRefunds(db, await payments.retrieveCharge(charge.id), async () => undefined);
}

interface RefundFailure {
  refundId: string;
  amount: number;
  reason: string;
  /** Whether this call marked our own refund request as failed (false: Stripe's event came again). */
  newlyFailed: boolean;
}

const describeFailure = ({ refundId, amount, reason }: RefundFailure) => ({
  refundId,
  amount,
  reason,
});

/**
 * Brings the order's refunded amount and status to the charge's: up when refunds succeed, down when one failed.
 * Runs `onLocked` first, in the same transaction and under the order's lock. Repeated and late events change
 * nothing, and the timeline gets one event per change.
 */
async function syncRefunds(
  db: Kysely<Database>,
  charge: ChargeRefundState,
  onLocked: (trx: Kysely<Database>) => Promise<RefundFailure | undefined>,
): Promise<void> {
  if (!charge.paymentIntentId) return;
  const paymentIntentId = charge.paymentIntentId;
  await db.transaction().execute(async (trx) => {
    const order = await trx
      .selectFrom('orders')
      .selectAll()
      .where('stripe_payment_intent_id', '=', paymentIntentId)
      .forUpdate()
      .executeTakeFirst();
    if (!order) return;
    const failure = await onLocked(trx);
    const refunded = charge.amountRefunded;
    if (refunded < order.amount_refunded) {
      await refundWentBack(trx, order, refunded, failure);
      return;
    }
    if (failure?.newlyFailed) {
      // Our request failed but the order's amount was already right (Stripe's charge moved first).
      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'refund.failed',
        actor: 'stripe',
        data: { ...describeFailure(failure), amountRefunded: refunded },
      });
    }
    if (refunded === 0 || refunded === order.amount_refunded) return;
    const paid = order.amount_paid ?? charge.amount;
    const to: OrderStatus = refunded >= paid ? 'refunded' : 'partially_refunded';
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
      await setRefundedAmount(trx, order.id, refunded, 'payment.refund_recorded', {
        ...data,
        automatic: true,
      });
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
    } else {
      // Already refunded in full: keep the amount right without changing the status.
      await setRefundedAmount(trx, order.id, refunded, 'payment.refund_recorded', data);
    }
  });
}

/** The order's refunded amount changes, its status does not: the timeline says why. */
async function setRefundedAmount(
  trx: Kysely<Database>,
  orderId: string,
  refunded: number,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ amount_refunded: refunded })
    .where('id', '=', orderId)
    .execute();
  await recordOrderEvent(trx, { orderId, type, actor: 'stripe', data });
}

/**
 * Less is refunded than the order says: a refund failed and its money is back with us. A refunded order whose
 * other refunds still stand becomes partially refunded; one with nothing refunded any more, or a partially
 * refunded one, needs an admin (refund again, or settle it with the customer). Other statuses keep theirs.
 */
async function refundWentBack(
  trx: Kysely<Database>,
  order: Order,
  refunded: number,
  failure: RefundFailure | undefined,
): Promise<void> {
  const data = {
    ...(failure ? describeFailure(failure) : { reason: 'a refund no longer stands at Stripe' }),
    amountRefunded: refunded,
    previouslyRefunded: order.amount_refunded,
  };
  const to: OrderStatus | undefined =
    order.status === 'refunded' && refunded > 0
      ? 'partially_refunded'
      : order.status === 'refunded' || order.status === 'partially_refunded'
        ? 'needs_attention'
        : undefined;
  if (to) {
    await transitionOrder(trx, {
      orderId: order.id,
      from: [order.status],
      to,
      actor: 'stripe',
      eventType: 'refund.failed',
      data,
      set: { amount_refunded: refunded },
    });
    return;
  }
  await setRefundedAmount(trx, order.id, refunded, 'refund.failed', data);
}
