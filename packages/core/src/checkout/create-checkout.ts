/**
 * Checkout, database first: the customer, the order (`pending_payment`) and its images are stored in one
 * transaction before the payment processor hears of them; the processor's session carries our order id only.
 * Calling it again for the same upload session returns the same unpaid order and checkout page.
 */
import { z } from 'zod';
import type { Database, Kysely, Order } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { recordOrderEvent } from '../orders/order-events';
import { type PriceTable, priceOrder } from '../orders/pricing';
import { type PaymentProvider, PaymentProviderPermanentError } from '../payments/payment-provider';
import { generateToken, hashToken } from '../security/tokens';

export const ZCreateCheckoutInput = z.object({
  uploadSessionId: z.uuid({
    message: 'uploadSessionId must be the id returned by uploads.createSession',
  }),
  email: z
    .string()
    .trim()
    .max(254, 'Email addresses are at most 254 characters')
    .pipe(z.email({ message: 'Enter a valid email address, like name@example.com' })),
  name: z.string().trim().min(1, 'Enter your name').max(200, 'Names are at most 200 characters'),
  options: z
    .object({ product: z.string().min(1).max(50).default('standard') })
    .default({ product: 'standard' }),
});
export type CreateCheckoutInput = z.input<typeof ZCreateCheckoutInput>;

export interface CheckoutDeps {
  payments: PaymentProvider;
  prices: PriceTable;
  /** Storefront page Stripe sends the customer back to; `{CHECKOUT_SESSION_ID}` is substituted. */
  successUrl: string;
  cancelUrl: string;
  /** How long the hosted checkout page stays open (Stripe allows 30 min to 24 h). */
  checkoutTtlMinutes: number;
  now?: () => Date;
}

export interface CheckoutResult {
  orderId: string;
  orderNumber: string;
  checkoutUrl: string;
  /** Lets the storefront read this order; a repeated call issues a fresh one and retires the last. */
  accessToken: string;
  totalAmount: number;
  currency: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === constraint;
}

export async function createCheckout(
  db: Kysely<Database>,
  deps: CheckoutDeps,
  rawInput: CreateCheckoutInput,
): Promise<CheckoutResult> {
  const input = ZCreateCheckoutInput.parse(rawInput);
  const now = deps.now?.() ?? new Date();

  const session = await db
    .selectFrom('upload_sessions')
    .select(['id', 'expires_at'])
    .where('id', '=', input.uploadSessionId)
    .executeTakeFirst();
  if (!session) {
    throw new AppError(
      'NOT_FOUND',
      'This upload session does not exist. Upload your photos again.',
    );
  }

  let order = await reusableOrder(db, input.uploadSessionId);
  if (!order) {
    if (session.expires_at <= now) {
      throw new AppError('GONE', 'This upload session has expired. Upload your photos again.');
    }
    order = await createOrder(db, deps, input);
  }

  const accessToken = generateToken();
  await db
    .updateTable('orders')
    .set({ access_token_hash: hashToken(accessToken) })
    .where('id', '=', order.id)
    .where('status', '=', 'pending_payment')
    .execute();

  const checkoutUrl =
    order.checkout_url && order.checkout_expires_at && order.checkout_expires_at > now
      ? order.checkout_url
      : await openCheckoutSession(db, deps, order, now);

  return {
    orderId: order.id,
    orderNumber: order.order_number,
    checkoutUrl,
    accessToken,
    totalAmount: order.total_amount,
    currency: order.currency,
  };
}

/** The unpaid order already made from this upload session, if any; a closed one is detached. */
async function reusableOrder(
  db: Kysely<Database>,
  uploadSessionId: string,
): Promise<Order | undefined> {
  const existing = await db
    .selectFrom('orders')
    .selectAll()
    .where('upload_session_id', '=', uploadSessionId)
    .executeTakeFirst();
  if (!existing) return undefined;
  if (existing.status === 'pending_payment') return existing;
  if (existing.status === 'expired' || existing.status === 'cancelled') {
    // The customer comes back after the checkout page expired: a new order, same photos.
    await db
      .updateTable('orders')
      .set({ upload_session_id: null })
      .where('id', '=', existing.id)
      .execute();
    return undefined;
  }
  throw new AppError(
    'CONFLICT',
    `These photos were already ordered (order ${existing.order_number}). Check your email for the order link.`,
    { orderNumber: existing.order_number },
  );
}

async function createOrder(
  db: Kysely<Database>,
  deps: CheckoutDeps,
  input: z.output<typeof ZCreateCheckoutInput>,
): Promise<Order> {
  const uploads = await db
    .selectFrom('uploads')
    .selectAll()
    .where('upload_session_id', '=', input.uploadSessionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (uploads.length === 0) {
    throw new AppError('INVALID_INPUT', 'Upload at least one photo before checking out.');
  }
  const price = priceOrder(deps.prices, input.options.product, uploads.length);

  try {
    return await db.transaction().execute(async (trx) => {
      const customer = await trx
        .insertInto('customers')
        .values({
          email: input.email,
          email_normalized: normalizeEmail(input.email),
          name: input.name,
        })
        .onConflict((conflict) =>
          conflict.column('email_normalized').doUpdateSet({ email: input.email, name: input.name }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();

      const order = await trx
        .insertInto('orders')
        .values({
          customer_id: customer.id,
          upload_session_id: input.uploadSessionId,
          product_option: price.option,
          currency: price.currency,
          unit_amount: price.unitAmount,
          subtotal_amount: price.subtotalAmount,
          total_amount: price.totalAmount,
          // Replaced right after with the token handed to the caller.
          access_token_hash: hashToken(generateToken()),
          customer_email: input.email,
          customer_name: input.name,
        })
        .returningAll()
        .executeTakeFirstOrThrow();

      await trx
        .insertInto('order_images')
        .values(
          uploads.map((upload, index) => ({
            order_id: order.id,
            upload_id: upload.id,
            position: index + 1,
            original_filename: upload.original_filename,
            mime_type: upload.mime_type,
            temp_key: upload.temp_key,
            width: upload.width,
            height: upload.height,
            bytes: upload.bytes,
            checksum_sha256: upload.sha256,
          })),
        )
        .execute();

      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'order.created',
        actor: 'customer',
        toStatus: 'pending_payment',
        data: {
          photos: uploads.length,
          product: price.option,
          totalAmount: price.totalAmount,
          currency: price.currency,
        },
      });
      return order;
    });
  } catch (error) {
    // Two checkouts for the same upload session at once: the other one made the order; use it.
    if (isUniqueViolation(error, 'orders_upload_session_id_key')) {
      const existing = await reusableOrder(db, input.uploadSessionId);
      if (existing) return existing;
    }
    throw error;
  }
}

async function openCheckoutSession(
  db: Kysely<Database>,
  deps: CheckoutDeps,
  order: Order,
  now: Date,
): Promise<string> {
  const images = await db
    .selectFrom('order_images')
    .select(db.fn.countAll<string>().as('count'))
    .where('order_id', '=', order.id)
    .executeTakeFirstOrThrow();
  const quantity = Number(images.count);
  const product = deps.prices.options[order.product_option];
  const expiresAt = new Date(now.getTime() + deps.checkoutTtlMinutes * 60_000);

  let session;
  try {
    session = await deps.payments.createCheckoutSession({
      orderId: order.id,
      orderNumber: order.order_number,
      currency: order.currency,
      lineItems: [
        {
          name: product?.label ?? 'Photo restoration',
          description: `Order ${order.order_number}`,
          unitAmount: order.unit_amount,
          quantity,
        },
      ],
      customerEmail: order.customer_email ?? '',
      successUrl: deps.successUrl,
      cancelUrl: deps.cancelUrl,
      // One processor session per order and expiry window, even if this call is repeated or raced.
      idempotencyKey: `checkout-session:${order.id}:${expiresAt.toISOString().slice(0, 13)}`,
      expiresAt,
    });
  } catch (error) {
    if (error instanceof PaymentProviderPermanentError) {
      throw new AppError('INTERNAL', 'The payment processor refused this checkout.', undefined, {
        cause: error,
      });
    }
    throw new AppError(
      'UNAVAILABLE',
      'The payment processor is not reachable right now. Your order is saved; try again in a minute.',
      { orderNumber: order.order_number },
      { cause: error },
    );
  }
  if (!session.url)
    throw new AppError('INTERNAL', 'The payment processor returned no checkout page.');

  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('orders')
      .set({
        stripe_checkout_session_id: session.id,
        checkout_url: session.url,
        checkout_expires_at: session.expiresAt ?? expiresAt,
      })
      .where('id', '=', order.id)
      .where('status', '=', 'pending_payment')
      .returning('id')
      .executeTakeFirst();
    if (updated) {
      await recordOrderEvent(trx, {
        orderId: order.id,
        type: 'checkout.session_created',
        actor: 'customer',
        data: {
          checkoutSessionId: session.id,
          expiresAt: (session.expiresAt ?? expiresAt).toISOString(),
        },
      });
    }
  });
  return session.url;
}
