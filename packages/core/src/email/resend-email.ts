/**
 * A customer asks for an email again (the confirmation, or the restored photos): a new message row, rendered
 * afresh, through the email queue. Only emails that make sense for the order's state; limited per order.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Kysely, Order } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import { PAID_STATUSES } from '../orders/order-status';
import type { RateLimiter } from '../security/rate-limiter';

export const RESENDABLE_EMAILS = ['order_confirmation', 'restoration_complete'] as const;
export type ResendableEmail = (typeof RESENDABLE_EMAILS)[number];

export async function resendOrderEmail(
  db: Kysely<Database>,
  deps: { jobs: JobQueue; rateLimiter: RateLimiter },
  input: { order: Order; kind: ResendableEmail; actor?: 'customer' | `admin:${string}` },
): Promise<{ emailMessageId: string }> {
  const { order, kind } = input;
  const allowed =
    kind === 'order_confirmation'
      ? PAID_STATUSES.includes(order.status)
      : order.status === 'completed' || order.status === 'completed_with_errors';
  if (!allowed) {
    throw new AppError(
      'PRECONDITION_FAILED',
      kind === 'order_confirmation'
        ? 'There is no confirmation to send until the order is paid.'
        : 'Your photos are not restored yet; we will email them as soon as they are.',
    );
  }
  if (kind === 'restoration_complete') {
    const kept = await db
      .selectFrom('order_images')
      .select('id')
      .where('order_id', '=', order.id)
      .where('status', '!=', 'purged')
      .executeTakeFirst();
    if (!kept) {
      throw new AppError(
        'PRECONDITION_FAILED',
        'The photos of this order have been deleted, so there is nothing to send again.',
      );
    }
  }
  if (input.actor === undefined || input.actor === 'customer') {
    await deps.rateLimiter.consume('resend-per-order', order.id);
  }
  return db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select('email')
      .where('id', '=', order.customer_id)
      .executeTakeFirstOrThrow();
    const email = await trx
      .insertInto('email_messages')
      .values({
        order_id: order.id,
        customer_id: order.customer_id,
        kind,
        to_address: order.customer_email ?? customer.email,
        template: kind.replace('_', '-'),
        data: JSON.stringify({ orderId: order.id, resend: true }),
        idempotency_key: `${kind}:resend:${order.id}:${randomUUID()}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: email.id });
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'email.resend_requested',
      actor: input.actor ?? 'customer',
      data: { kind, emailMessageId: email.id },
    });
    return { emailMessageId: email.id };
  });
}
