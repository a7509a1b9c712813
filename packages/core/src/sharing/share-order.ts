/**
 * A customer shares their restored photos with someone: a download link of the restored photos for the
 * recipient (never the order's own token) and a `share` email through the email queue, in one transaction.
 * Completed orders only; limited per order and per sender IP.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Kysely, Order } from '@restoreclick/db';
import { createDownloadLink } from '../downloads/download-links';
import { AppError } from '../errors/app-error';
import type { JobQueue } from '../jobs/job-queue';
import { recordOrderEvent } from '../orders/order-events';
import type { RateLimiter } from '../security/rate-limiter';

export interface ShareDeps {
  jobs: JobQueue;
  rateLimiter: RateLimiter;
  /** How long the recipient's link works. */
  linkTtlDays: number;
  /** The API's public base URL: links are `{apiUrl}/download/{token}`. */
  apiUrl: string;
}

/** Keeps line breaks and tabs, drops every other control character. */
export function cleanShareMessage(message: string | null | undefined): string | null {
  if (!message) return null;
  const cleaned = message
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '')
    .trim();
  return cleaned === '' ? null : cleaned;
}

export async function shareOrder(
  db: Kysely<Database>,
  deps: ShareDeps,
  input: { order: Order; to: string; message?: string | null; ip: string },
): Promise<{ emailMessageId: string; expiresAt: Date }> {
  const { order } = input;
  if (order.status !== 'completed' && order.status !== 'completed_with_errors') {
    throw new AppError(
      'PRECONDITION_FAILED',
      'You can share your photos once they are restored. This order is not finished yet.',
    );
  }
  await deps.rateLimiter.consume('share-per-order', order.id);
  await deps.rateLimiter.consume('share-per-ip', input.ip);
  const message = cleanShareMessage(input.message);

  return db.transaction().execute(async (trx) => {
    const link = await createDownloadLink(trx, {
      order,
      kind: 'restored',
      ttlDays: deps.linkTtlDays,
    });
    const email = await trx
      .insertInto('email_messages')
      .values({
        order_id: order.id,
        customer_id: order.customer_id,
        kind: 'share',
        to_address: input.to,
        template: 'share',
        data: JSON.stringify({
          shareMessage: message,
          viewUrl: `${deps.apiUrl.replace(/\/+$/, '')}/download/${link.token}`,
        }),
        idempotency_key: `share:${order.id}:${randomUUID()}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: email.id });
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'order.shared',
      actor: 'customer',
      data: { emailMessageId: email.id, to: input.to, linkExpiresAt: link.expiresAt.toISOString() },
    });
    return { emailMessageId: email.id, expiresAt: link.expiresAt };
  });
}
