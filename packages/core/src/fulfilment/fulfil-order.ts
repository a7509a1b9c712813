/**
 * The one fulfilment: called by the `stripe.event` job, the success page and reconciliation alike. It asks the
 * processor whether the session is paid, moves the photos out of temporary storage, then — in one transaction
 * guarded by the order's status — marks the order paid, creates a restoration job per photo, writes the
 * confirmation email and enqueues the jobs. Running it again, or many times at once, changes nothing more.
 */
import type { Database, Kysely, Order, OrderImage } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import type { JobQueue } from '../jobs/job-queue';
import { notifyCustomer } from '../notifications/notify-customer';
import { type Actor, recordOrderEvent } from '../orders/order-events';
import { PAID_STATUSES } from '../orders/order-status';
import { transitionOrder } from '../orders/transition-order';
import type { CheckoutSessionInfo, PaymentProvider } from '../payments/payment-provider';
import type { ObjectStore } from '../storage/object-store';
import { originalKeyFor } from '../storage/keys';

export interface FulfilmentDeps {
  payments: PaymentProvider;
  storage: ObjectStore;
  jobs: JobQueue;
  /** Name of the restoration provider new jobs are assigned to (`replicate`, `local`). */
  restorationProvider: string;
  onWarning?: (message: string, context: Record<string, unknown>) => void;
}

export type FulfilmentOutcome =
  | { result: 'fulfilled'; order: Order }
  | { result: 'already_fulfilled'; order: Order }
  | { result: 'not_paid'; order: Order; paymentStatus: string }
  | { result: 'order_closed'; order: Order };

export async function fulfilOrder(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  input: { checkoutSessionId: string; actor: Actor; session?: CheckoutSessionInfo },
): Promise<FulfilmentOutcome> {
  // Always the processor's current word, never a webhook payload's snapshot.
  const session =
    input.session ?? (await deps.payments.retrieveCheckoutSession(input.checkoutSessionId));
  const order = await findOrderForSession(db, session);

  if (PAID_STATUSES.includes(order.status)) {
    // An earlier run may have died between its commit and deleting the temporary copies: finish that.
    await deleteTemporaryCopies(db, deps, await imagesWithTemporaryCopies(db, order.id));
    return { result: 'already_fulfilled', order };
  }
  if (session.paymentStatus === 'unpaid') {
    return { result: 'not_paid', order, paymentStatus: session.paymentStatus };
  }
  if (order.status !== 'pending_payment' && order.status !== 'payment_failed') {
    // Paid for an order that was cancelled or expired meanwhile: keep the money trail visible to admins.
    await recordOrderEvent(db, {
      orderId: order.id,
      type: 'payment.received_for_closed_order',
      actor: input.actor,
      data: { checkoutSessionId: session.id, amountTotal: session.amountTotal },
    });
    return { result: 'order_closed', order };
  }

  const images = await db
    .selectFrom('order_images')
    .selectAll()
    .where('order_id', '=', order.id)
    .orderBy('position')
    .execute();
  const originals = await moveToOriginals(db, deps, order, images);

  const fulfilled = await db.transaction().execute(async (trx) => {
    const paid = await transitionOrder(trx, {
      orderId: order.id,
      from: ['pending_payment', 'payment_failed'],
      to: 'paid',
      actor: input.actor,
      eventType: 'payment.succeeded',
      data: {
        checkoutSessionId: session.id,
        paymentIntentId: session.paymentIntentId,
        amountTotal: session.amountTotal,
        currency: session.currency,
      },
      set: {
        amount_paid: session.amountTotal ?? order.total_amount,
        discount_amount: session.amountDiscount,
        tax_amount: session.amountTax,
        total_amount: session.amountTotal ?? order.total_amount,
        stripe_checkout_session_id: session.id,
        stripe_payment_intent_id: session.paymentIntentId,
        stripe_customer_id: session.customerId,
        billing_address: session.billingAddress ? JSON.stringify(session.billingAddress) : null,
        checkout_url: null,
        paid_at: new Date(),
      },
    });
    if (!paid) return undefined; // another fulfilment won the race

    for (const image of images) {
      const originalKey = originals.get(image.id);
      await trx
        .updateTable('order_images')
        .set({ original_key: originalKey ?? image.original_key })
        .where('id', '=', image.id)
        .execute();
      const job = await trx
        .insertInto('restoration_jobs')
        .values({
          order_id: order.id,
          order_image_id: image.id,
          provider: deps.restorationProvider,
          attempt: 1,
          status: 'queued',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.jobs.enqueue(trx, 'restoration.run', { restorationJobId: job.id });
    }
    await notifyCustomer(trx, {
      orderId: order.id,
      type: 'payment_received',
      title: 'Payment received',
      body: `We are restoring your ${images.length === 1 ? 'photo' : `${images.length} photos`} now.`,
    });
    await recordOrderEvent(trx, {
      orderId: order.id,
      type: 'restoration.queued',
      actor: input.actor,
      data: { photos: images.length, provider: deps.restorationProvider },
    });

    const email = await trx
      .insertInto('email_messages')
      .values({
        order_id: order.id,
        customer_id: order.customer_id,
        kind: 'order_confirmation',
        to_address: session.customerEmail ?? order.customer_email ?? '',
        template: 'order-confirmation',
        data: JSON.stringify({ orderId: order.id }),
        idempotency_key: `order-confirmation:${order.id}`,
      })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (email) {
      await deps.jobs.enqueue(trx, 'email.send', { emailMessageId: email.id });
      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'email.queued',
        actor: input.actor,
        data: { kind: 'order_confirmation', emailMessageId: email.id },
      });
    }
    return paid;
  });

  if (!fulfilled) {
    const current = await db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    return { result: 'already_fulfilled', order: current };
  }
  await deleteTemporaryCopies(db, deps, images);
  return { result: 'fulfilled', order: fulfilled };
}

async function findOrderForSession(
  db: Kysely<Database>,
  session: CheckoutSessionInfo,
): Promise<Order> {
  const order = session.orderId
    ? await db.selectFrom('orders').selectAll().where('id', '=', session.orderId).executeTakeFirst()
    : await db
        .selectFrom('orders')
        .selectAll()
        .where('stripe_checkout_session_id', '=', session.id)
        .executeTakeFirst();
  if (!order) {
    throw new AppError('NOT_FOUND', `No order belongs to checkout session ${session.id}.`, {
      checkoutSessionId: session.id,
    });
  }
  return order;
}

/**
 * Copies each photo from its temporary key to its permanent one. Idempotent: a photo already copied is
 * skipped, so a run that crashed half-way is finished by the next one.
 */
async function moveToOriginals(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  order: Order,
  images: OrderImage[],
): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  for (const image of images) {
    const originalKey = image.original_key ?? originalKeyFor(order.id, image.id, image.mime_type);
    originals.set(image.id, originalKey);
    if (await deps.storage.head(originalKey)) continue;
    if (!image.temp_key) {
      throw new AppError(
        'INTERNAL',
        `Photo ${image.id} of order ${order.order_number} has no file.`,
      );
    }
    try {
      await deps.storage.copy(image.temp_key, originalKey);
    } catch (error) {
      // A concurrent fulfilment may have finished and removed the temporary copy meanwhile.
      const current = await db
        .selectFrom('orders')
        .select('status')
        .where('id', '=', order.id)
        .executeTakeFirst();
      if (current && PAID_STATUSES.includes(current.status)) continue;
      throw error;
    }
  }
  return originals;
}

function imagesWithTemporaryCopies(db: Kysely<Database>, orderId: string) {
  return db
    .selectFrom('order_images')
    .select(['id', 'temp_key'])
    .where('order_id', '=', orderId)
    .where('temp_key', 'is not', null)
    .execute();
}

/** Deletes each photo's temporary copy, then forgets its key: a key still set is a deletion still owed. */
async function deleteTemporaryCopies(
  db: Kysely<Database>,
  deps: FulfilmentDeps,
  images: Array<Pick<OrderImage, 'id' | 'temp_key'>>,
): Promise<void> {
  for (const image of images) {
    if (!image.temp_key) continue;
    try {
      await deps.storage.delete(image.temp_key);
      await db
        .updateTable('order_images')
        .set({ temp_key: null })
        .where('id', '=', image.id)
        .where('temp_key', '=', image.temp_key)
        .execute();
    } catch (error) {
      // The temp-uploads cleanup removes it later; the order is safe either way.
      deps.onWarning?.('Could not delete a temporary upload', {
        key: image.temp_key,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
