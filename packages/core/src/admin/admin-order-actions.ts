/**
 * What an admin can do to an order besides refunds and emails: set its status by hand (within the state
 * machine), send failed photos back to the restorer, run the one fulfilment again, and cancel an unpaid order.
 * Each writes its `audit_logs` row in the transaction of its change. Fulfilment runs its own transactions, so
 * its audit row follows in one of its own, with the order as fulfilment left it.
 */
import type { Database, Kysely, OrderStatus } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { type FulfilmentDeps, fulfilOrder } from '../fulfilment/fulfil-order';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import { adminActorOf, type AdminActor, recordAudit } from './audit-log';
import { findOrderOrFail } from './admin-order-detail';
import { assertManualTransition } from './manual-transitions';
import { UNPAID_ORDER_STATUSES } from './order-statuses';
import { withPaymentProviderErrors } from './payment-provider-errors';
import { type RetryPhotosDeps, retryFailedPhotos } from './retry-failed-photos';

export async function changeOrderStatus(
  db: Kysely<Database>,
  input: { admin: AdminActor; orderId: string; to: OrderStatus; note: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('orders')
      .select('status')
      .where('id', '=', input.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', `There is no order with id ${input.orderId}.`);
    assertManualTransition(current.status, input.to);
    const completing = input.to === 'completed' || input.to === 'completed_with_errors';
    const changed = await transitionOrder(trx, {
      orderId: input.orderId,
      from: [current.status],
      to: input.to,
      actor: adminActorOf(input.admin),
      eventType: 'order.status_changed',
      data: { note: input.note },
      ...(completing ? { set: { completed_at: new Date() } } : {}),
    });
    if (!changed) {
      throw new AppError('CONFLICT', 'The order changed meanwhile; reload it and try again.');
    }
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'order.change_status',
      entityType: 'order',
      entityId: input.orderId,
      before: { status: current.status },
      after: { status: input.to, note: input.note },
      ip: input.admin.ip,
    });
  });
}

export async function retryOrderRestoration(
  db: Kysely<Database>,
  deps: RetryPhotosDeps,
  input: { admin: AdminActor; orderId: string; imageId?: string },
): Promise<{ retried: number }> {
  return db.transaction().execute(async (trx) => {
    const retried = await retryFailedPhotos(trx, deps, {
      orderId: input.orderId,
      ...(input.imageId ? { imageIds: [input.imageId] } : {}),
      actor: adminActorOf(input.admin),
    });
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'order.retry_restoration',
      entityType: 'order',
      entityId: input.orderId,
      before: {
        status: retried.orderStatusBefore,
        failedPhotos: retried.photos.map((photo) => photo.imageId),
      },
      after: {
        status: retried.orderStatusAfter,
        attempts: retried.photos.map(({ imageId, attempt, restorationJobId }) => ({
          imageId,
          attempt,
          restorationJobId,
        })),
      },
      ip: input.admin.ip,
    });
    return { retried: retried.photos.length };
  });
}

export async function rerunOrderFulfilment(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  input: { admin: AdminActor; orderId: string },
): Promise<{ result: string }> {
  const order = await findOrderOrFail(db, input.orderId);
  if (!order.stripe_checkout_session_id) {
    throw new AppError(
      'CONFLICT',
      `Order ${order.order_number} never reached Stripe's checkout; there is nothing to fulfil.`,
    );
  }
  const checkoutSessionId = order.stripe_checkout_session_id;
  const outcome = await withPaymentProviderErrors(() =>
    fulfilOrder(db, deps, { checkoutSessionId, actor: adminActorOf(input.admin) }),
  );
  await db.transaction().execute(async (trx) => {
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'fulfilment.rerun',
      actor: adminActorOf(input.admin),
      data: { result: outcome.result },
    });
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'order.rerun_fulfilment',
      entityType: 'order',
      entityId: order.id,
      before: { status: order.status },
      after: { status: outcome.order.status, result: outcome.result },
      ip: input.admin.ip,
    });
  });
  return { result: outcome.result };
}

/**
 * Cancels an order that waits for payment. Its checkout page is closed at Stripe first, so the customer can
 * no longer pay; a payment that got in before that wins, and the order is fulfilled instead.
 */
export async function cancelUnpaidOrder(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  input: { admin: AdminActor; orderId: string; note?: string },
): Promise<void> {
  const order = await findOrderOrFail(db, input.orderId);
  if (!UNPAID_ORDER_STATUSES.includes(order.status)) {
    throw new AppError(
      'CONFLICT',
      `Only orders waiting for payment can be cancelled; this one is ${order.status}.` +
        (order.amount_paid ? ' Refund it instead.' : ''),
      { status: order.status },
    );
  }
  const sessionId = order.stripe_checkout_session_id;
  if (sessionId) {
    const session = await withPaymentProviderErrors(async () => {
      await deps.payments.expireCheckoutSession(sessionId);
      return deps.payments.retrieveCheckoutSession(sessionId);
    });
    if (session.paymentStatus !== 'unpaid') {
      await fulfilOrder(db, deps, {
        checkoutSessionId: sessionId,
        actor: adminActorOf(input.admin),
        session,
      });
      throw new AppError(
        'CONFLICT',
        'The customer paid before the checkout could be closed, so the order is paid now and was not cancelled.',
      );
    }
  }
  await db.transaction().execute(async (trx) => {
    const cancelled = await transitionOrder(trx, {
      orderId: order.id,
      from: UNPAID_ORDER_STATUSES,
      to: 'cancelled',
      actor: adminActorOf(input.admin),
      eventType: 'order.cancelled',
      data: { note: input.note ?? null, checkoutSessionId: sessionId },
      set: { cancelled_at: new Date(), checkout_url: null },
    });
    if (!cancelled) {
      const now = await findOrderOrFail(trx, order.id);
      throw new AppError(
        'CONFLICT',
        `The order became ${now.status} meanwhile, so it was not cancelled.`,
        { status: now.status },
      );
    }
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'order.cancel',
      entityType: 'order',
      entityId: order.id,
      before: { status: order.status, checkoutSessionId: sessionId },
      after: { status: 'cancelled', note: input.note ?? null },
      ip: input.admin.ip,
    });
  });
}
