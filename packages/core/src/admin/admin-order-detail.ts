/**
 * One order as an admin sees it: customer, money (with a link to the payment in Stripe's dashboard), every
 * photo with presigned URLs and each restoration attempt, the merged timeline, the emails, and what can be
 * done to it now.
 */
import {
  type Database,
  type ImageStatus,
  type Kysely,
  type Order,
  type OrderStatus,
  type RestorationJobStatus,
  type EmailStatus,
} from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import type { ObjectStore } from '../storage/object-store';
import { loadOrderTimeline, type AdminTimelineEntry } from './admin-timeline';
import { manualTransitionsFrom } from './manual-transitions';
import {
  REFUNDABLE_ORDER_STATUSES,
  RETRYABLE_ORDER_STATUSES,
  UNPAID_ORDER_STATUSES,
} from './order-statuses';
import { refundableAmountOf } from './refundable-amount';

export interface AdminOrderDetailDeps {
  storage: ObjectStore;
  urlExpirySeconds: number;
  /** `https://dashboard.stripe.com` (or `/test`); null when payments go to a local server. */
  stripeDashboardUrl: string | null;
}

export interface AdminRestorationAttempt {
  id: string;
  provider: string;
  model: string | null;
  /** 0-based step of the product option's fallback chain of models this attempt ran. */
  chainStep: number;
  status: RestorationJobStatus;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  costCents: number | null;
  error: string | null;
}

export interface AdminOrderImage {
  id: string;
  position: number;
  filename: string;
  status: ImageStatus;
  width: number | null;
  height: number | null;
  error: string | null;
  originalUrl: string | null;
  restoredUrl: string | null;
  attempts: AdminRestorationAttempt[];
}

export interface AdminOrderEmail {
  id: string;
  kind: string;
  to: string;
  status: EmailStatus;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export interface AdminOrderDetail {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  createdAt: string;
  paidAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  customer: { id: string; email: string; name: string | null };
  payment: {
    currency: string;
    totalAmount: number;
    amountPaid: number | null;
    amountRefunded: number;
    stripeCheckoutSessionId: string | null;
    stripePaymentIntentId: string | null;
    stripeDashboardUrl: string | null;
  };
  images: AdminOrderImage[];
  timeline: AdminTimelineEntry[];
  emails: AdminOrderEmail[];
  allowedTransitions: OrderStatus[];
  actions: {
    canRetryFailed: boolean;
    canRefund: boolean;
    refundableAmount: number;
    canCancel: boolean;
    canRerunFulfilment: boolean;
  };
}

export async function findOrderOrFail(db: Kysely<Database>, orderId: string): Promise<Order> {
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!order) throw new AppError('NOT_FOUND', `There is no order with id ${orderId}.`);
  return order;
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

export async function getAdminOrder(
  db: Kysely<Database>,
  deps: AdminOrderDetailDeps,
  orderId: string,
): Promise<AdminOrderDetail> {
  const order = await findOrderOrFail(db, orderId);
  const [customer, images, jobs, timeline, emails, refundable] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['id', 'email', 'name'])
      .where('id', '=', order.customer_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('order_images')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('restoration_jobs')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('attempt')
      .execute(),
    loadOrderTimeline(db, order.id),
    db
      .selectFrom('email_messages')
      .select([
        'id',
        'kind',
        'to_address',
        'status',
        'attempts',
        'sent_at',
        'last_error',
        'created_at',
      ])
      .where('order_id', '=', order.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    refundableAmountOf(db, order),
  ]);

  const presign = (key: string | null) =>
    key
      ? deps.storage.presignGet(key, { expiresInSeconds: deps.urlExpirySeconds })
      : Promise.resolve(null);
  const adminImages = await Promise.all(
    images.map(async (image): Promise<AdminOrderImage> => {
      const files = image.status !== 'purged';
      return {
        id: image.id,
        position: image.position,
        filename: image.original_filename,
        status: image.status,
        width: image.width,
        height: image.height,
        error: image.error,
        originalUrl: files ? await presign(image.original_key ?? image.temp_key) : null,
        restoredUrl: files ? await presign(image.restored_key) : null,
        attempts: jobs
          .filter((job) => job.order_image_id === image.id)
          .map((job) => ({
            id: job.id,
            provider: job.provider,
            model: job.model,
            chainStep: job.chain_step,
            status: job.status,
            attempt: job.attempt,
            startedAt: iso(job.started_at),
            finishedAt: iso(job.finished_at),
            durationMs:
              job.started_at && job.finished_at
                ? job.finished_at.getTime() - job.started_at.getTime()
                : null,
            // cost_micros are millionths of a dollar; a cent is ten thousand of them.
            costCents: job.cost_micros === null ? null : job.cost_micros / 10_000,
            error: job.error,
          })),
      };
    }),
  );

  const paymentIntent = order.stripe_payment_intent_id;
  const unpaid = UNPAID_ORDER_STATUSES.includes(order.status);
  return {
    id: order.id,
    orderNumber: order.order_number,
    status: order.status,
    createdAt: order.created_at.toISOString(),
    paidAt: iso(order.paid_at),
    completedAt: iso(order.completed_at),
    cancelledAt: iso(order.cancelled_at),
    customer: {
      id: customer.id,
      email: order.customer_email ?? customer.email,
      name: order.customer_name ?? customer.name,
    },
    payment: {
      currency: order.currency,
      totalAmount: order.total_amount,
      amountPaid: order.amount_paid,
      amountRefunded: order.amount_refunded,
      stripeCheckoutSessionId: order.stripe_checkout_session_id,
      stripePaymentIntentId: paymentIntent,
      stripeDashboardUrl:
        deps.stripeDashboardUrl && paymentIntent
          ? `${deps.stripeDashboardUrl}/payments/${paymentIntent}`
          : null,
    },
    images: adminImages,
    timeline,
    emails: emails.map((email) => ({
      id: email.id,
      kind: email.kind,
      to: email.to_address,
      status: email.status,
      attempts: email.attempts,
      sentAt: iso(email.sent_at),
      lastError: email.last_error,
      createdAt: email.created_at.toISOString(),
    })),
    allowedTransitions: [...manualTransitionsFrom(order.status)],
    actions: {
      canRetryFailed:
        RETRYABLE_ORDER_STATUSES.includes(order.status) &&
        images.some((image) => image.status === 'failed'),
      canRefund:
        REFUNDABLE_ORDER_STATUSES.includes(order.status) &&
        paymentIntent !== null &&
        refundable > 0,
      refundableAmount: refundable,
      canCancel: unpaid,
      canRerunFulfilment: unpaid && order.stripe_checkout_session_id !== null,
    },
  };
}
