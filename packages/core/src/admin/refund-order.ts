/**
 * An admin refunds an order, in part or in full, through the payment processor. The request is a
 * `refund_requests` row first (with its audit row, in one transaction); its id is the processor's idempotency
 * key, so sending it again can never refund twice. Requests for one order run one at a time (an advisory lock),
 * and the same request repeated within `repeatWindowSeconds` (a double click, a retry after a timeout) answers
 * with the refund already made instead of making another. The order's status follows later, from Stripe's
 * `charge.refunded` webhook, like any refund made in Stripe's dashboard.
 */
import { sql } from 'kysely';
import type { Database, Kysely, RefundRequest } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { recordOrderEvent } from '../orders/order-events';
import {
  type CreateRefundInput,
  type PaymentProvider,
  PaymentProviderPermanentError,
} from '../payments/payment-provider';
import { adminActorOf, type AdminActor, recordAudit } from './audit-log';
import { findOrderOrFail } from './admin-order-detail';
import { REFUNDABLE_ORDER_STATUSES } from './order-statuses';
import { withPaymentProviderErrors } from './payment-provider-errors';
import { refundableAmountOf } from './refundable-amount';

export interface RefundOrderDeps {
  payments: PaymentProvider;
  /** An identical request within this many seconds answers with the earlier refund. */
  repeatWindowSeconds: number;
  now?: () => Date;
}

export interface RefundOrderResult {
  refundId: string;
  amount: number;
  status: string;
}

const STRIPE_REASONS: ReadonlyArray<NonNullable<CreateRefundInput['reason']>> = [
  'requested_by_customer',
  'duplicate',
  'fraudulent',
];

function money(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** Runs `work` on one connection holding a session advisory lock on `key`, waiting for it if need be. */
async function withAdvisoryLock<T>(
  db: Kysely<Database>,
  key: string,
  work: (connection: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(connection);
    }
  });
}

export async function refundOrder(
  db: Kysely<Database>,
  deps: RefundOrderDeps,
  input: { admin: AdminActor; orderId: string; amount?: number; reason?: string },
): Promise<RefundOrderResult> {
  return withAdvisoryLock(db, `refund:${input.orderId}`, async (connection) => {
    const order = await findOrderOrFail(connection, input.orderId);
    const paymentIntentId = order.stripe_payment_intent_id;
    if (!REFUNDABLE_ORDER_STATUSES.includes(order.status) || !paymentIntentId) {
      throw new AppError(
        'CONFLICT',
        `Only paid orders can be refunded; order ${order.order_number} is ${order.status}.`,
        { status: order.status },
      );
    }

    const now = deps.now?.() ?? new Date();
    const repeatedSince = new Date(now.getTime() - deps.repeatWindowSeconds * 1000);
    const earlier = await connection
      .selectFrom('refund_requests')
      .selectAll()
      .where('order_id', '=', order.id)
      .where((eb) =>
        input.amount === undefined
          ? eb('requested_amount', 'is', null)
          : eb('requested_amount', '=', input.amount),
      )
      .where('status', 'in', ['pending', 'succeeded'])
      .where('created_at', '>', repeatedSince)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (earlier?.status === 'succeeded' && earlier.provider_refund_id) {
      return {
        refundId: earlier.provider_refund_id,
        amount: earlier.amount,
        status: earlier.provider_status ?? 'succeeded',
      };
    }

    // A pending request here was cut off before it heard back: sent again under its own key, it is answered
    // with the refund it made, if it made one.
    const request = earlier ?? (await createRequest(connection, input, order, now));
    return sendRequest(connection, deps, request, paymentIntentId, input.admin);
  });
}

async function createRequest(
  db: Kysely<Database>,
  input: { admin: AdminActor; orderId: string; amount?: number; reason?: string },
  order: Awaited<ReturnType<typeof findOrderOrFail>>,
  now: Date,
): Promise<RefundRequest> {
  const refundable = await refundableAmountOf(db, order);
  if (refundable <= 0) {
    throw new AppError(
      'CONFLICT',
      `Nothing is left to refund on order ${order.order_number}: ${money(order.amount_refunded, order.currency)} of ${money(order.amount_paid ?? 0, order.currency)} is refunded or on its way.`,
    );
  }
  const amount = input.amount ?? refundable;
  if (amount > refundable) {
    throw new AppError(
      'CONFLICT',
      `At most ${money(refundable, order.currency)} can still be refunded on order ${order.order_number}.`,
      { refundable },
    );
  }
  return db.transaction().execute(async (trx) => {
    const request = await trx
      .insertInto('refund_requests')
      .values({
        order_id: order.id,
        admin_user_id: input.admin.id,
        requested_amount: input.amount ?? null,
        amount,
        currency: order.currency,
        reason: input.reason ?? null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'refund.requested',
      actor: adminActorOf(input.admin),
      data: { refundRequestId: request.id, amount, currency: order.currency },
    });
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'order.refund',
      entityType: 'order',
      entityId: order.id,
      before: {
        status: order.status,
        amountPaid: order.amount_paid,
        amountRefunded: order.amount_refunded,
        refundable,
      },
      after: {
        refundRequestId: request.id,
        amount,
        currency: order.currency,
        note: input.reason ?? null,
      },
      ip: input.admin.ip,
    });
    return request;
  });
}

async function sendRequest(
  db: Kysely<Database>,
  deps: RefundOrderDeps,
  request: RefundRequest,
  paymentIntentId: string,
  admin: AdminActor,
): Promise<RefundOrderResult> {
  const stripeReason = STRIPE_REASONS.find((reason) => reason === request.reason);
  let refund;
  try {
    refund = await withPaymentProviderErrors(() =>
      deps.payments.createRefund({
        paymentIntentId,
        amount: request.amount,
        ...(stripeReason ? { reason: stripeReason } : {}),
        idempotencyKey: `refund-request:${request.id}`,
        metadata: {
          order_id: request.order_id,
          refund_request_id: request.id,
          ...(request.reason && !stripeReason ? { note: request.reason.slice(0, 500) } : {}),
        },
      }),
    );
  } catch (error) {
    // Refused for good: this request is over. A processor that did not answer leaves it pending, and the
    // same request sent again retries it under the same idempotency key.
    if (error instanceof AppError && error.cause instanceof PaymentProviderPermanentError) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('refund_requests')
          .set({ status: 'failed', error: error.message })
          .where('id', '=', request.id)
          .execute();
        await recordOrderEvent(trx, {
          orderId: request.order_id,
          type: 'refund.failed',
          actor: adminActorOf(admin),
          data: { refundRequestId: request.id, amount: request.amount, reason: error.message },
        });
      });
    }
    throw error;
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('refund_requests')
      .set({
        status: 'succeeded',
        provider_refund_id: refund.id,
        provider_status: refund.status,
        error: null,
      })
      .where('id', '=', request.id)
      .execute();
    await recordOrderEvent(trx, {
      orderId: request.order_id,
      type: 'refund.created',
      actor: adminActorOf(admin),
      data: {
        refundRequestId: request.id,
        refundId: refund.id,
        amount: refund.amount,
        status: refund.status,
      },
    });
  });
  return { refundId: refund.id, amount: refund.amount, status: refund.status };
}
