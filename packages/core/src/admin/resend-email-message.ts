/**
 * An admin sends an email again: a new `email_messages` row of the same kind to the same address, rendered
 * afresh (new links) and delivered through the `email.send` queue like every other email. Asking again for the
 * same email within `repeatWindowSeconds` (a double click) answers with the copy already queued.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import { adminActorOf, type AdminActor, recordAudit } from './audit-log';

export interface ResendEmailDeps {
  jobs: JobQueue;
  repeatWindowSeconds: number;
  now?: () => Date;
}

/** What rendering adds to a message's data; a new copy renders its own. */
const RENDERED_KEYS = ['templateData', 'attachments'];

export async function resendEmailMessage(
  db: Kysely<Database>,
  deps: ResendEmailDeps,
  input: { admin: AdminActor; emailMessageId: string; orderId?: string },
): Promise<{ emailMessageId: string }> {
  return db.transaction().execute(async (trx) => {
    const original = await trx
      .selectFrom('email_messages')
      .selectAll()
      .where('id', '=', input.emailMessageId)
      .forUpdate()
      .executeTakeFirst();
    if (!original || (input.orderId !== undefined && original.order_id !== input.orderId)) {
      throw new AppError(
        'NOT_FOUND',
        input.orderId
          ? `Email ${input.emailMessageId} is not one of this order's emails.`
          : `There is no email with id ${input.emailMessageId}.`,
      );
    }
    if (!original.order_id) {
      throw new AppError(
        'CONFLICT',
        'Only emails about an order can be sent again; this one has no order.',
      );
    }
    const now = deps.now?.() ?? new Date();
    const repeated = await trx
      .selectFrom('email_messages')
      .select('id')
      .where('order_id', '=', original.order_id)
      .where('created_at', '>', new Date(now.getTime() - deps.repeatWindowSeconds * 1000))
      .where(sql<boolean>`data->>'resendOf' = ${original.id}`)
      .where('status', 'in', ['queued', 'sending', 'sent'])
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (repeated) return { emailMessageId: repeated.id };

    const data = Object.fromEntries(
      Object.entries(original.data).filter(([key]) => !RENDERED_KEYS.includes(key)),
    );
    const copy = await trx
      .insertInto('email_messages')
      .values({
        order_id: original.order_id,
        customer_id: original.customer_id,
        kind: original.kind,
        to_address: original.to_address,
        template: original.template,
        data: JSON.stringify({ ...data, resend: true, resendOf: original.id }),
        idempotency_key: `admin-resend:${original.id}:${randomUUID()}`,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: copy.id });
    await recordOrderEvent(trx, {
      orderId: original.order_id,
      type: 'email.resend_requested',
      actor: adminActorOf(input.admin),
      data: { kind: original.kind, emailMessageId: copy.id, resendOf: original.id },
    });
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: input.orderId ? 'order.resend_email' : 'email.resend',
      // On the order, so the order's timeline shows it.
      entityType: 'order',
      entityId: original.order_id,
      before: { emailMessageId: original.id, kind: original.kind, status: original.status },
      after: { emailMessageId: copy.id, to: original.to_address },
      ip: input.admin.ip,
    });
    return { emailMessageId: copy.id };
  });
}
