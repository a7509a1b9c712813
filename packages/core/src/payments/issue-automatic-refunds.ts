/**
 * `refunds.issue-automatic`: issues the automatic refunds of an order whose grace period is over, then writes
 * the one email that tells the customer which photos were refunded and why. Safe to run twice or at once:
 * a refund is claimed (`pending` → `issuing`, with its amount fixed) under the order's row lock, sent to the
 * processor under its own idempotency key (`auto-refund:{imageId}`), and marked `issued` by a guarded update;
 * a run after a crash sends the same request again and the processor answers with the same refund.
 *
 * The order's refunded status and `amount_refunded` follow from the processor's `charge.refunded` webhook, as
 * for every refund (see `handle-stripe-event.ts`).
 */
import type { AutomaticRefund, Database, Kysely, Order } from '@restoreclick/db';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import { type PaymentProvider, PaymentProviderPermanentError } from './payment-provider';
import { planPhotoRefunds } from './photo-refund-amounts';

export interface AutomaticRefundDeps {
  payments: PaymentProvider;
  jobs: JobQueue;
  now?: () => Date;
}

export interface AutomaticRefundRun {
  issued: number;
  /** Minor units refunded by this run. */
  amountIssued: number;
  cancelled: number;
  failed: number;
  /** The refund email this run queued, if it queued one. */
  emailMessageId: string | null;
  /** When the next refund of the order falls due, if one is still in its grace period. */
  nextDueAt: Date | null;
}

async function lockOrder(trx: Kysely<Database>, orderId: string): Promise<Order | undefined> {
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Refunded so far: the processor's total from its webhook, or — while that lags behind — the automatic refunds
 * on their way plus the refunds admins asked for, whichever is more. The processor itself refuses anything
 * beyond the charge, so a refund this estimate lets through by mistake fails visibly instead of overpaying.
 */
export async function refundedSoFar(
  db: Kysely<Database>,
  order: Pick<Order, 'id' | 'amount_refunded'>,
): Promise<number> {
  const automatic = await db
    .selectFrom('automatic_refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.val('0')).as('total'))
    .where('order_id', '=', order.id)
    .where('status', 'in', ['issuing', 'issued'])
    .executeTakeFirstOrThrow();
  const requested = await db
    .selectFrom('refund_requests')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.val('0')).as('total'))
    .where('order_id', '=', order.id)
    .where('status', 'in', ['pending', 'succeeded'])
    .executeTakeFirstOrThrow();
  return Math.max(order.amount_refunded, Number(automatic.total) + Number(requested.total));
}

async function cancelByWorker(
  trx: Kysely<Database>,
  orderId: string,
  cancellations: Array<{ refund: AutomaticRefund; filename: string; reason: string }>,
  now: Date,
): Promise<number> {
  let cancelled = 0;
  for (const { refund, filename, reason } of cancellations) {
    const row = await trx
      .updateTable('automatic_refunds')
      .set({ status: 'cancelled', cancel_reason: reason, decided_by: 'worker', cancelled_at: now })
      .where('id', '=', refund.id)
      .where('status', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    cancelled += 1;
    await recordOrderEvent(trx, {
      orderId,
      type: 'refund.automatic_cancelled',
      actor: 'worker',
      data: { imageId: refund.order_image_id, filename, reason },
    });
  }
  return cancelled;
}

/**
 * Claims the due refunds: fixes each one's amount and marks it `issuing`, or cancels it when there is nothing
 * to refund any more (the photo is being restored again, the order was refunded meanwhile).
 */
async function claimDueRefunds(
  db: Kysely<Database>,
  deps: AutomaticRefundDeps,
  orderId: string,
  now: Date,
): Promise<{ cancelled: number; nextDueAt: Date | null }> {
  return db.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, orderId);
    if (!order) return { cancelled: 0, nextDueAt: null };
    const pending = await trx
      .selectFrom('automatic_refunds')
      .innerJoin('order_images', 'order_images.id', 'automatic_refunds.order_image_id')
      .selectAll('automatic_refunds')
      .select(['order_images.status as imageStatus', 'order_images.original_filename as filename'])
      .where('automatic_refunds.order_id', '=', orderId)
      .where('automatic_refunds.status', '=', 'pending')
      .orderBy('order_images.position')
      .execute();
    const due = pending.filter((refund) => refund.due_at <= now);
    const later = pending.filter((refund) => refund.due_at > now);
    const nextDueAt = later.length
      ? new Date(Math.min(...later.map((refund) => refund.due_at.getTime())))
      : null;
    // This run came early (clocks differ): the refunds still in their grace period get a run of their own.
    if (nextDueAt) {
      await deps.jobs.enqueue(
        trx,
        'refunds.issue-automatic',
        { orderId },
        { startAfter: nextDueAt },
      );
    }

    const cancellations: Array<{ refund: AutomaticRefund; filename: string; reason: string }> = [];
    const toIssue: typeof due = [];
    for (const refund of due) {
      if (refund.imageStatus !== 'failed') {
        cancellations.push({
          refund,
          filename: refund.filename,
          reason: `The photo is ${refund.imageStatus} again, so it is not refunded.`,
        });
      } else if (order.status === 'refunded') {
        cancellations.push({
          refund,
          filename: refund.filename,
          reason: 'The order was refunded in full.',
        });
      } else {
        toIssue.push(refund);
      }
    }

    const photos = await trx
      .selectFrom('order_images')
      .select('id')
      .where('order_id', '=', orderId)
      .orderBy('position')
      .execute();
    const indexOf = new Map(photos.map((photo, index) => [photo.id, index]));
    const amounts = planPhotoRefunds({
      amountPaid: order.amount_paid ?? 0,
      alreadyRefunded: await refundedSoFar(trx, order),
      photoCount: photos.length,
      photoIndexes: toIssue.map((refund) => indexOf.get(refund.order_image_id) ?? 0),
    });
    for (const [position, refund] of toIssue.entries()) {
      const amount = amounts[position] ?? 0;
      if (amount === 0) {
        cancellations.push({
          refund,
          filename: refund.filename,
          reason: 'Nothing is left to refund on this order.',
        });
        continue;
      }
      await trx
        .updateTable('automatic_refunds')
        .set({ status: 'issuing', amount })
        .where('id', '=', refund.id)
        .where('status', '=', 'pending')
        .execute();
    }
    const cancelled = await cancelByWorker(trx, orderId, cancellations, now);
    return { cancelled, nextDueAt };
  });
}

type IssueResult = { result: 'issued'; amount: number } | { result: 'failed' } | { result: 'lost' };

/** Sends one claimed refund to the processor and records the answer. */
async function issueOne(
  db: Kysely<Database>,
  deps: AutomaticRefundDeps,
  order: Order,
  refund: AutomaticRefund & { filename: string },
  now: Date,
): Promise<IssueResult> {
  const amount = refund.amount ?? 0;
  const facts = { imageId: refund.order_image_id, filename: refund.filename, amount };
  if (!order.stripe_payment_intent_id) {
    return markFailed(db, order, refund, 'The order has no card payment to refund.', facts);
  }
  let issued;
  try {
    issued = await deps.payments.createRefund({
      paymentIntentId: order.stripe_payment_intent_id,
      amount,
      idempotencyKey: refund.idempotency_key,
      metadata: {
        order_id: order.id,
        order_image_id: refund.order_image_id,
        automatic_refund_id: refund.id,
      },
    });
  } catch (error) {
    // Refused (nothing left on the charge, a disputed payment): retrying will not help; an admin must look.
    if (error instanceof PaymentProviderPermanentError) {
      return markFailed(db, order, refund, error.message, facts);
    }
    throw error; // unreachable or 5xx: the job retries with the same amount and key
  }
  return db.transaction().execute(async (trx) => {
    const marked = await trx
      .updateTable('automatic_refunds')
      .set({ status: 'issued', provider_refund_id: issued.id, issued_at: now, error: null })
      .where('id', '=', refund.id)
      .where('status', '=', 'issuing')
      .returning('id')
      .executeTakeFirst();
    if (!marked) return { result: 'lost' } as const; // another run recorded it first
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'refund.automatic_issued',
      actor: 'worker',
      data: { ...facts, currency: issued.currency, refundId: issued.id, status: issued.status },
    });
    return { result: 'issued', amount } as const;
  });
}

async function markFailed(
  db: Kysely<Database>,
  order: Order,
  refund: AutomaticRefund,
  error: string,
  facts: Record<string, unknown>,
): Promise<IssueResult> {
  return db.transaction().execute(async (trx) => {
    const marked = await trx
      .updateTable('automatic_refunds')
      .set({ status: 'failed', error })
      .where('id', '=', refund.id)
      .where('status', '=', 'issuing')
      .returning('id')
      .executeTakeFirst();
    if (!marked) return { result: 'lost' } as const;
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'refund.automatic_failed',
      actor: 'worker',
      data: { ...facts, error },
    });
    // A settled order keeps its status; this event is the admin's alert.
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'order.needs_attention',
      actor: 'worker',
      data: { reason: `The automatic refund of ${String(facts.filename)} failed: ${error}` },
    });
    return { result: 'failed' } as const;
  });
}

/**
 * Queues the email for the refunds issued and not yet announced, once none of the order's refunds is still
 * on its way (so a run that issues three refunds sends one email, not three).
 */
async function queueRefundEmail(
  db: Kysely<Database>,
  deps: AutomaticRefundDeps,
  orderId: string,
): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, orderId);
    if (!order) return null;
    const inFlight = await trx
      .selectFrom('automatic_refunds')
      .select('id')
      .where('order_id', '=', orderId)
      .where('status', '=', 'issuing')
      .executeTakeFirst();
    if (inFlight) return null;
    const unannounced = await trx
      .selectFrom('automatic_refunds')
      .innerJoin('order_images', 'order_images.id', 'automatic_refunds.order_image_id')
      .select(['automatic_refunds.id', 'automatic_refunds.amount'])
      .where('automatic_refunds.order_id', '=', orderId)
      .where('automatic_refunds.status', '=', 'issued')
      .where('automatic_refunds.email_message_id', 'is', null)
      .orderBy('order_images.position')
      .execute();
    const first = unannounced[0];
    if (!first) return null;
    const customer = await trx
      .selectFrom('customers')
      .select('email')
      .where('id', '=', order.customer_id)
      .executeTakeFirstOrThrow();
    const ids = unannounced.map((refund) => refund.id);
    const email = await trx
      .insertInto('email_messages')
      .values({
        order_id: orderId,
        customer_id: order.customer_id,
        kind: 'images_refunded',
        to_address: order.customer_email ?? customer.email,
        template: 'images-refunded',
        data: JSON.stringify({ orderId, automaticRefundIds: ids }),
        idempotency_key: `images-refunded:${first.id}`,
      })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!email) return null;
    await trx
      .updateTable('automatic_refunds')
      .set({ email_message_id: email.id })
      .where('id', 'in', ids)
      .execute();
    await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: email.id });
    await recordOrderEvent(trx, {
      orderId,
      type: 'email.queued',
      actor: 'worker',
      data: {
        kind: 'images_refunded',
        emailMessageId: email.id,
        amount: unannounced.reduce((sum, refund) => sum + (refund.amount ?? 0), 0),
      },
    });
    return email.id;
  });
}

export async function issueDueAutomaticRefunds(
  db: Kysely<Database>,
  deps: AutomaticRefundDeps,
  input: { orderId: string },
): Promise<AutomaticRefundRun> {
  const now = deps.now?.() ?? new Date();
  const claimed = await claimDueRefunds(db, deps, input.orderId, now);
  const run: AutomaticRefundRun = {
    issued: 0,
    amountIssued: 0,
    cancelled: claimed.cancelled,
    failed: 0,
    emailMessageId: null,
    nextDueAt: claimed.nextDueAt,
  };
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', input.orderId)
    .executeTakeFirst();
  if (!order) return run;
  // Claimed now, or by an earlier run that did not get to finish.
  const issuing = await db
    .selectFrom('automatic_refunds')
    .innerJoin('order_images', 'order_images.id', 'automatic_refunds.order_image_id')
    .selectAll('automatic_refunds')
    .select('order_images.original_filename as filename')
    .where('automatic_refunds.order_id', '=', input.orderId)
    .where('automatic_refunds.status', '=', 'issuing')
    .orderBy('order_images.position')
    .execute();
  for (const refund of issuing) {
    const outcome = await issueOne(db, deps, order, refund, now);
    if (outcome.result === 'issued') {
      run.issued += 1;
      run.amountIssued += outcome.amount;
    } else if (outcome.result === 'failed') {
      run.failed += 1;
    }
  }
  run.emailMessageId = await queueRefundEmail(db, deps, input.orderId);
  return run;
}
