/**
 * What an admin may do about an order's automatic refunds during the grace period: stop them, or issue them
 * now. Both are guarded updates of `pending` refunds, written with their timeline event (and, for an admin,
 * an audit row) in one transaction, so an override racing the delayed job leaves exactly one outcome.
 */
import type { Database, Kysely } from '@restoreclick/db';
import { type AdminActor, adminActorOf, recordAudit } from '../admin/audit-log';
import { AppError } from '../errors/app-error';
import { type Actor, recordOrderEvent } from '../orders/order-events';
import { AUTOMATIC_REFUND_REASON, automaticRefundKeyFor } from './automatic-refund-policy';
import { type AutomaticRefundView, getAutomaticRefunds } from './automatic-refunds';
import { type AutomaticRefundDeps, issueDueAutomaticRefunds } from './issue-automatic-refunds';
import { PaymentProviderRetryableError } from './payment-provider';

/** Seconds before the job behind an admin's "refund now" looks for refunds the request did not finish. */
const SAFETY_NET_DELAY_SECONDS = 60;

export interface RefundNowResult {
  /** Refunds this request hurried that are now issued (by it, or by a job that got there first). */
  issued: number;
  /** Their total, in minor units. */
  amountIssued: number;
  refunds: AutomaticRefundView[];
}

export interface AutomaticRefundOverrideInput {
  orderId: string;
  /** The admin who decided (timeline actor and audit row); `system` (a script) when omitted. */
  admin?: AdminActor;
  /** Only this photo's refund; every refund of the order when omitted. */
  imageId?: string;
  /** Why, for the timeline and the audit log. */
  reason?: string;
}

function actorOf(input: AutomaticRefundOverrideInput): Actor {
  return input.admin ? adminActorOf(input.admin) : 'system';
}

async function requireOrder(trx: Kysely<Database>, orderId: string) {
  const order = await trx
    .selectFrom('orders')
    .select(['id', 'order_number', 'status'])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw new AppError('NOT_FOUND', `Order ${orderId} does not exist.`);
  return order;
}

async function writeAudit(
  trx: Kysely<Database>,
  input: AutomaticRefundOverrideInput,
  action: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): Promise<void> {
  if (!input.admin) return;
  await recordAudit(trx, {
    adminUserId: input.admin.id,
    action,
    entityType: 'order',
    entityId: input.orderId,
    before,
    after,
    ip: input.admin.ip,
  });
}

/**
 * Stops the order's pending automatic refunds (or one photo's). Throws NOT_FOUND when the order has none and
 * CONFLICT when none is pending any more (issued, already stopped, or being issued right now).
 */
export async function cancelAutomaticRefund(
  db: Kysely<Database>,
  deps: { now?: () => Date },
  input: AutomaticRefundOverrideInput & { reason: string },
): Promise<AutomaticRefundView[]> {
  const now = deps.now?.() ?? new Date();
  await db.transaction().execute(async (trx) => {
    const order = await requireOrder(trx, input.orderId);
    let query = trx
      .updateTable('automatic_refunds')
      .set({
        status: 'cancelled',
        cancelled_at: now,
        decided_by: actorOf(input),
        cancel_reason: input.reason,
      })
      .where('order_id', '=', order.id)
      .where('status', '=', 'pending');
    if (input.imageId) query = query.where('order_image_id', '=', input.imageId);
    const cancelled = await query.returning(['id', 'order_image_id', 'amount']).execute();
    if (cancelled.length === 0) await explainNothingPending(trx, input, 'stop');

    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'refund.automatic_cancelled',
      actor: actorOf(input),
      data: { imageIds: cancelled.map((row) => row.order_image_id), reason: input.reason },
    });
    await writeAudit(
      trx,
      input,
      'order.automatic_refund.cancel',
      { automaticRefunds: cancelled.map((row) => ({ id: row.id, status: 'pending' })) },
      {
        automaticRefunds: cancelled.map((row) => ({ id: row.id, status: 'cancelled' })),
        reason: input.reason,
      },
    );
  });
  return getAutomaticRefunds(db, input.orderId);
}

async function explainNothingPending(
  trx: Kysely<Database>,
  input: AutomaticRefundOverrideInput,
  verb: 'stop' | 'issue',
): Promise<never> {
  let query = trx
    .selectFrom('automatic_refunds')
    .select('status')
    .where('order_id', '=', input.orderId);
  if (input.imageId) query = query.where('order_image_id', '=', input.imageId);
  const statuses = (await query.execute()).map((row) => row.status);
  if (statuses.length === 0) {
    throw new AppError(
      'NOT_FOUND',
      input.imageId
        ? 'This photo has no automatic refund: it was not failed when the order settled.'
        : 'This order has no automatic refund: every photo was restored, or it has not settled yet.',
    );
  }
  const described = [...new Set(statuses)].join(', ');
  throw new AppError(
    'CONFLICT',
    `There is no pending automatic refund to ${verb} (${described}). Reload the order to see what happened.`,
    { statuses },
  );
}

/**
 * Issues the order's automatic refunds now instead of at the end of the grace period: pending ones, ones an
 * admin stopped, and failed photos that have none yet (automatic refunds switched off). The refunds go out in
 * this call; a delayed job queued in the same transaction finishes them if the processor cannot be reached.
 */
export async function issueAutomaticRefundNow(
  db: Kysely<Database>,
  deps: AutomaticRefundDeps,
  input: AutomaticRefundOverrideInput,
): Promise<RefundNowResult> {
  const now = deps.now?.() ?? new Date();
  const hurriedIds = await db.transaction().execute(async (trx) => {
    const order = await requireOrder(trx, input.orderId);
    const details = await trx
      .selectFrom('orders')
      .select(['currency', 'amount_paid'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    let failedQuery = trx
      .selectFrom('order_images')
      .select('id')
      .where('order_id', '=', order.id)
      .where('status', '=', 'failed');
    if (input.imageId) failedQuery = failedQuery.where('id', '=', input.imageId);
    const failed = await failedQuery.execute();
    const failedIds = failed.map((image) => image.id);
    if (failed.length > 0 && details.amount_paid) {
      await trx
        .insertInto('automatic_refunds')
        .values(
          failed.map((image) => ({
            order_id: order.id,
            order_image_id: image.id,
            reason: AUTOMATIC_REFUND_REASON,
            due_at: now,
            currency: details.currency,
            idempotency_key: automaticRefundKeyFor(image.id),
          })),
        )
        .onConflict((conflict) => conflict.column('order_image_id').doNothing())
        .execute();
    }
    let hurry = trx
      .updateTable('automatic_refunds')
      .set({ status: 'pending', due_at: now, decided_by: actorOf(input), cancel_reason: null })
      .where('order_id', '=', order.id)
      .where((eb) => {
        const pending = eb('status', '=', 'pending');
        if (failedIds.length === 0) return pending;
        // A stopped refund comes back only while its photo is still failed.
        const stopped = eb.and([
          eb('status', '=', 'cancelled'),
          eb('order_image_id', 'in', failedIds),
        ]);
        return eb.or([pending, stopped]);
      });
    if (input.imageId) hurry = hurry.where('order_image_id', '=', input.imageId);
    const hurried = await hurry.returning(['id', 'order_image_id']).execute();
    if (hurried.length === 0) await explainNothingPending(trx, input, 'issue');

    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'refund.automatic_expedited',
      actor: actorOf(input),
      data: {
        imageIds: hurried.map((row) => row.order_image_id),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    await writeAudit(trx, input, 'order.automatic_refund.issue_now', null, {
      automaticRefunds: hurried.map((row) => ({ id: row.id, status: 'pending', dueAt: now })),
      ...(input.reason ? { reason: input.reason } : {}),
    });
    // The safety net, should this request die before the refunds are out. It starts a little later so that
    // it does not race the request for them; if it did, the refunds' idempotency keys would still hold.
    await deps.jobs.enqueue(
      trx,
      'refunds.issue-automatic',
      { orderId: order.id },
      { startAfter: new Date(now.getTime() + SAFETY_NET_DELAY_SECONDS * 1000) },
    );
    return hurried.map((row) => row.id);
  });

  try {
    await issueDueAutomaticRefunds(db, deps, { orderId: input.orderId });
  } catch (error) {
    // The processor is unreachable: the job queued above retries; the admin sees the refunds as `issuing`.
    if (!(error instanceof PaymentProviderRetryableError)) throw error;
  }
  const refunds = await getAutomaticRefunds(db, input.orderId);
  const issued = refunds.filter(
    (refund) => hurriedIds.includes(refund.id) && refund.status === 'issued',
  );
  return {
    issued: issued.length,
    amountIssued: issued.reduce((sum, refund) => sum + refund.amount, 0),
    refunds,
  };
}
