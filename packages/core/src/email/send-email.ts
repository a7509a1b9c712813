/**
 * `email.send`: delivers one `email_messages` row. The message is rendered once (subject, HTML, text and the
 * list of attachments are stored on the row, so every retry and the outbox show the same thing), then handed
 * to the transport. A 429/5xx is retried later by queueing the job again with backoff; a 4xx fails the row
 * for good. Rows are claimed by status, so a replayed job never sends a sent message again.
 *
 * Exactly once across crashes: an attempt holds a transaction-scoped advisory lock on the message while it
 * sends, and marks the row `sending` (with `sending_since`) before the request leaves. A later run that finds
 * the row `sending` and the lock free knows the earlier sender is gone (Postgres released its lock with its
 * connection) or timed out, so the provider may or may not have the message: it asks the provider
 * (`findAccepted`) before sending again, and waits out the provider's reporting lag first. Only a provider
 * that cannot answer (SendGrid without Email Activity access) leaves a possible duplicate, which the
 * timeline records as `email.outcome_unknown`.
 */
import type { Database, EmailMessage, Kysely } from '@restoreclick/db';
import { sql } from 'kysely';
import { AppError } from '../errors/app-error';
import type { JobQueue } from '../jobs/job-queue';
import { issueOrderAccessToken } from '../orders/order-access';
import { recordOrderEvent } from '../orders/order-events';
import { deliveryCopyOf } from '../privacy/delivery-copy';
import {
  deletionDatesFrom,
  firstDeletionDate,
  type RetentionPolicy,
  retentionStartOf,
} from '../privacy/retention';
import { restoredFilename } from '../storage/keys';
import type { ObjectStore } from '../storage/object-store';
import {
  type EmailAddress,
  type EmailAttachment,
  EmailPermanentError,
  EmailRetryableError,
  type EmailTransport,
} from './email-transport';
import { type EmailTemplateInput, renderEmail } from './render-email';

export interface EmailDeps {
  transport: EmailTransport;
  storage: ObjectStore;
  jobs: JobQueue;
  from: EmailAddress;
  replyTo?: EmailAddress;
  supportEmail: string;
  /** The storefront's base URL: order pages are `{storefrontUrl}/orders/{token}`. */
  storefrontUrl: string;
  /** Photos are attached while their total stays under this; otherwise the email links to them. */
  attachmentLimitBytes: number;
  /** Delay before the first resend after a 429/5xx; doubled each time, or the provider's Retry-After. */
  retryDelayMs: number;
  maxAttempts: number;
  /** SendGrid dynamic template ids by email kind, when configured. */
  providerTemplates: Partial<Record<string, string>>;
  /** How long photos are kept: the completion email says until when. */
  retention: RetentionPolicy;
  now?: () => Date;
}

export type EmailSendOutcome =
  | { result: 'sent'; providerMessageId: string | null }
  | { result: 'retry_scheduled'; at: Date; reason: string }
  | { result: 'failed'; reason: string }
  | { result: 'skipped'; status: string };

interface PlannedAttachment {
  key: string;
  filename: string;
  contentType: string;
  bytes: number;
}

interface PreparedData {
  templateData: Record<string, unknown>;
  attachments: PlannedAttachment[];
}

export async function sendEmailMessage(
  db: Kysely<Database>,
  deps: EmailDeps,
  input: { emailMessageId: string },
): Promise<EmailSendOutcome> {
  let message = await findMessage(db, input.emailMessageId);
  if (message.status !== 'queued' && message.status !== 'sending') {
    return { result: 'skipped', status: message.status };
  }
  if (message.subject === null) {
    try {
      message = await prepareMessage(db, deps, message);
    } catch (error) {
      if (error instanceof AppError && error.code === 'INVALID_INPUT') {
        return markFailed(db, message, error.message);
      }
      throw error;
    }
  }
  const outcome = await withSendLock(db, message.id, (connection) =>
    sendLocked(connection, deps, message.id),
  );
  // Another run holds the lock and is sending right now; its own job finishes (or retries) the message.
  return outcome ?? { result: 'skipped', status: 'sending' };
}

/**
 * Runs `work` on one connection that holds a session advisory lock on the message, or returns null at once
 * when another session holds it. The lock lives no longer than its connection, so a sender that dies frees
 * it; everything `work` does runs on that same connection, so a send never waits for a second one.
 */
async function withSendLock<T>(
  db: Kysely<Database>,
  emailMessageId: string,
  work: (connection: Kysely<Database>) => Promise<T>,
): Promise<T | null> {
  const lockKey = `email.send:${emailMessageId}`;
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(hashtextextended(${lockKey}, 0)) as locked
    `.execute(connection);
    if (!rows[0]?.locked) return null;
    try {
      return await work(connection);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(connection);
    }
  });
}

async function sendLocked(
  db: Kysely<Database>,
  deps: EmailDeps,
  emailMessageId: string,
): Promise<EmailSendOutcome> {
  const message = await findMessage(db, emailMessageId);
  if (message.status !== 'queued' && message.status !== 'sending') {
    return { result: 'skipped', status: message.status };
  }
  if (message.status === 'sending') {
    const resolved = await resolveSendInDoubt(db, deps, message);
    if (resolved) return resolved;
  }
  const claimed = await db
    .updateTable('email_messages')
    .set((eb) => ({
      status: 'sending',
      attempts: eb('attempts', '+', 1),
      sending_since: deps.now?.() ?? new Date(),
    }))
    .where('id', '=', message.id)
    .where('status', 'in', ['queued', 'sending'])
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return { result: 'skipped', status: 'sent' };

  const prepared = claimed.data as unknown as PreparedData;
  const attachments: EmailAttachment[] = [];
  for (const planned of prepared.attachments ?? []) {
    // A photo deleted since the email was written (by its owner, say) is not sent.
    if (!(await deps.storage.head(planned.key))) continue;
    attachments.push({
      filename: planned.filename,
      contentType: planned.contentType,
      // Without GPS position, camera or any other metadata, whatever the stored file holds.
      content: await deliveryCopyOf(await deps.storage.getBuffer(planned.key), planned.contentType),
    });
  }
  const templateId = deps.providerTemplates[claimed.kind];
  try {
    const result = await deps.transport.send({
      messageId: claimed.id,
      kind: claimed.kind,
      from: deps.from,
      to: { email: claimed.to_address },
      ...(deps.replyTo ? { replyTo: deps.replyTo } : {}),
      subject: claimed.subject ?? '',
      html: claimed.html ?? '',
      text: claimed.text ?? '',
      ...(templateId ? { providerTemplate: { id: templateId, data: prepared.templateData } } : {}),
      attachments,
    });
    await markSent(db, deps, claimed, result.providerMessageId);
    return { result: 'sent', providerMessageId: result.providerMessageId };
  } catch (error) {
    if (error instanceof EmailPermanentError) return markFailed(db, claimed, error.message);
    if (error instanceof EmailRetryableError) return scheduleRetry(db, deps, claimed, error);
    throw error;
  }
}

/**
 * The row says `sending` but nobody holds its lock: the earlier attempt died or timed out after its request
 * may have reached the provider. Returns the outcome when the provider has the message (or it is too early
 * to tell); null when the message should be sent.
 */
async function resolveSendInDoubt(
  db: Kysely<Database>,
  deps: EmailDeps,
  message: EmailMessage,
): Promise<EmailSendOutcome | null> {
  const transport = deps.transport;
  if (!transport.findAccepted) return null;
  const now = deps.now?.() ?? new Date();
  const lookup = await transport.findAccepted(message.id);
  if (lookup.accepted === true) {
    await markSent(db, deps, message, lookup.providerMessageId, { foundWithProvider: true });
    return { result: 'sent', providerMessageId: lookup.providerMessageId };
  }
  if (lookup.accepted === 'unknown') {
    await recordEmailEvent(db, message, 'email.outcome_unknown', { reason: lookup.reason });
    return null;
  }
  const lagMs = transport.acceptanceLagMs ?? 0;
  const trustedAfter = new Date((message.sending_since ?? now).getTime() + lagMs);
  if (trustedAfter <= now) return null;
  // The provider may not list the message yet: ask again once its records have caught up.
  await deps.jobs.enqueue(
    db,
    'email.send',
    { emailMessageId: message.id },
    { startAfter: trustedAfter },
  );
  return {
    result: 'retry_scheduled',
    at: trustedAfter,
    reason:
      'the last attempt has no known outcome; checking with the provider once its records catch up',
  };
}

async function recordEmailEvent(
  db: Kysely<Database>,
  message: EmailMessage,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  if (!message.order_id) return;
  await db.transaction().execute((trx) =>
    recordOrderEvent(trx, {
      orderId: message.order_id as string,
      type,
      actor: 'worker',
      data: { kind: message.kind, emailMessageId: message.id, ...data },
    }),
  );
}

async function findMessage(db: Kysely<Database>, id: string): Promise<EmailMessage> {
  const message = await db
    .selectFrom('email_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!message) throw new AppError('NOT_FOUND', `Email message ${id} does not exist.`);
  return message;
}

/** Renders the message and plans its attachments, once: a concurrent run keeps whichever rendering won. */
async function prepareMessage(
  db: Kysely<Database>,
  deps: EmailDeps,
  message: EmailMessage,
): Promise<EmailMessage> {
  return db.transaction().execute(async (trx) => {
    const { template, attachments } = await buildTemplate(trx, deps, message);
    const rendered = await renderEmail(template);
    const data: PreparedData & Record<string, unknown> = {
      ...message.data,
      templateData: template as unknown as Record<string, unknown>,
      attachments,
    };
    const updated = await trx
      .updateTable('email_messages')
      .set({
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        data: JSON.stringify(data),
      })
      .where('id', '=', message.id)
      .where('subject', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return updated ?? findMessage(trx, message.id);
  });
}

async function buildTemplate(
  db: Kysely<Database>,
  deps: EmailDeps,
  message: EmailMessage,
): Promise<{ template: EmailTemplateInput; attachments: PlannedAttachment[] }> {
  if (!message.order_id) {
    throw new AppError('INVALID_INPUT', `Email kind ${message.kind} needs an order.`);
  }
  const order = await db
    .selectFrom('orders')
    .innerJoin('customers', 'customers.id', 'orders.customer_id')
    .selectAll('orders')
    .select([
      'customers.name as customerName',
      'customers.email as customerEmail',
      'customers.erased_at as customerErasedAt',
    ])
    .where('orders.id', '=', message.order_id)
    .executeTakeFirstOrThrow();
  if (order.customerErasedAt) {
    throw new AppError('INVALID_INPUT', 'The customer was erased: nothing is sent about them.');
  }
  const images = await db
    .selectFrom('order_images')
    .selectAll()
    .where('order_id', '=', order.id)
    .orderBy('position')
    .execute();
  const customerName = order.customer_name ?? order.customerName;
  const restored = images.filter(
    (image) => image.status === 'restored' && image.restored_key && !image.restored_purged_at,
  );
  const restoredBytes = restored.reduce((sum, image) => sum + (image.restored_bytes ?? 0), 0);
  const attachRestored = restored.length > 0 && restoredBytes <= deps.attachmentLimitBytes;
  const restoredAttachments = (): PlannedAttachment[] =>
    attachRestored
      ? restored.map((image) => ({
          key: image.restored_key as string,
          filename: restoredFilename(
            image.original_filename,
            image.restored_mime_type ?? 'image/png',
          ),
          contentType: image.restored_mime_type ?? 'image/png',
          bytes: image.restored_bytes ?? 0,
        }))
      : [];

  if (message.kind === 'share') {
    // To someone else: their own download link (in the data), never a token to the order itself.
    const data = message.data as { shareMessage?: string | null; viewUrl?: string | null };
    return {
      template: {
        kind: 'share',
        senderName: customerName,
        senderEmail: order.customer_email ?? order.customerEmail,
        message: data.shareMessage ?? null,
        orderNumber: order.order_number,
        viewUrl: data.viewUrl ?? null,
        photoCount: restored.length,
        attachmentsIncluded: attachRestored,
      },
      attachments: restoredAttachments(),
    };
  }

  // Each email to the customer carries a link of its own, so one can be revoked without breaking the others.
  const token = await issueOrderAccessToken(db, order.id, 'email');
  const orderUrl = `${deps.storefrontUrl.replace(/\/+$/, '')}/orders/${token}`;

  switch (message.kind) {
    case 'order_confirmation':
      return {
        template: {
          kind: 'order_confirmation',
          customerName,
          orderNumber: order.order_number,
          orderUrl,
          photoCount: images.length,
          amountPaid: order.amount_paid ?? order.total_amount,
          currency: order.currency,
          supportEmail: deps.supportEmail,
        },
        attachments: [],
      };
    case 'restoration_complete':
      return {
        template: {
          kind: 'restoration_complete',
          customerName,
          orderNumber: order.order_number,
          orderUrl,
          downloadUrl: null,
          photos: images.map((image) => ({
            filename: image.original_filename,
            status: image.status === 'restored' ? 'restored' : 'failed',
            reason: image.status === 'restored' ? null : image.error,
          })),
          attachmentsIncluded: attachRestored,
          deleteAfter: deleteAfterOf(order, deps.retention),
          supportEmail: deps.supportEmail,
        },
        attachments: restoredAttachments(),
      };
    case 'images_refunded': {
      const { automaticRefundIds = [] } = message.data as { automaticRefundIds?: string[] };
      const refunds = automaticRefundIds.length
        ? await db
            .selectFrom('automatic_refunds')
            .innerJoin('order_images', 'order_images.id', 'automatic_refunds.order_image_id')
            .select([
              'order_images.original_filename as filename',
              'automatic_refunds.reason',
              'automatic_refunds.amount',
            ])
            .where('automatic_refunds.id', 'in', automaticRefundIds)
            .orderBy('order_images.position')
            .execute()
        : [];
      if (refunds.length === 0) {
        throw new AppError('INVALID_INPUT', 'This refund email names no refund.');
      }
      return {
        template: {
          kind: 'images_refunded',
          customerName,
          orderNumber: order.order_number,
          orderUrl,
          refundedPhotos: refunds.map((refund) => ({
            filename: refund.filename,
            reason: refund.reason,
          })),
          amountRefunded: refunds.reduce((sum, refund) => sum + (refund.amount ?? 0), 0),
          currency: order.currency,
          fullRefund: restored.length === 0,
          supportEmail: deps.supportEmail,
        },
        attachments: [],
      };
    }
    default:
      throw new AppError('INVALID_INPUT', `No template for email kind ${message.kind}.`);
  }
}

/** The first day any of the order's files is deleted; null while no retention period runs. */
function deleteAfterOf(
  order: Parameters<typeof retentionStartOf>[0],
  policy: RetentionPolicy,
): Date | null {
  const start = retentionStartOf(order, null);
  return start ? firstDeletionDate(deletionDatesFrom(start, policy)) : null;
}

async function markSent(
  db: Kysely<Database>,
  deps: EmailDeps,
  message: EmailMessage,
  providerMessageId: string | null,
  how: { foundWithProvider?: boolean } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('email_messages')
      .set({
        status: 'sent',
        provider: deps.transport.name,
        provider_message_id: providerMessageId,
        sent_at: deps.now?.() ?? new Date(),
        last_error: null,
      })
      .where('id', '=', message.id)
      .execute();
    if (message.order_id) {
      await recordOrderEvent(trx, {
        orderId: message.order_id,
        type: 'email.sent',
        actor: 'worker',
        data: {
          kind: message.kind,
          emailMessageId: message.id,
          provider: deps.transport.name,
          attempts: message.attempts,
          ...(how.foundWithProvider ? { foundWithProvider: true } : {}),
        },
      });
    }
  });
}

async function markFailed(
  db: Kysely<Database>,
  message: EmailMessage,
  reason: string,
): Promise<EmailSendOutcome> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('email_messages')
      .set({ status: 'failed', last_error: reason })
      .where('id', '=', message.id)
      .execute();
    if (message.order_id) {
      await recordOrderEvent(trx, {
        orderId: message.order_id,
        type: 'email.failed',
        actor: 'worker',
        data: { kind: message.kind, emailMessageId: message.id, reason },
      });
    }
  });
  return { result: 'failed', reason };
}

async function scheduleRetry(
  db: Kysely<Database>,
  deps: EmailDeps,
  message: EmailMessage,
  error: EmailRetryableError,
): Promise<EmailSendOutcome> {
  if (message.attempts >= deps.maxAttempts) {
    return markFailed(db, message, `${error.message} (gave up after ${message.attempts} attempts)`);
  }
  const backoff = deps.retryDelayMs * 2 ** (message.attempts - 1);
  // An attempt that may have reached the provider stays `sending`: the next run asks the provider first.
  const inDoubt = error.mayHaveBeenAccepted;
  const at = new Date(
    (deps.now?.() ?? new Date()).getTime() +
      Math.max(
        backoff,
        error.retryAfterMs ?? 0,
        inDoubt ? (deps.transport.acceptanceLagMs ?? 0) : 0,
      ),
  );
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('email_messages')
      .set({ status: inDoubt ? 'sending' : 'queued', last_error: error.message })
      .where('id', '=', message.id)
      .execute();
    await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: message.id }, { startAfter: at });
    if (message.order_id) {
      await recordOrderEvent(trx, {
        orderId: message.order_id,
        type: 'email.retry_scheduled',
        actor: 'worker',
        data: {
          kind: message.kind,
          emailMessageId: message.id,
          attempt: message.attempts,
          reason: error.message,
          at: at.toISOString(),
        },
      });
    }
  });
  return { result: 'retry_scheduled', at, reason: error.message };
}
