/**
 * `PaymentProvider` over the official `stripe` client. The client is built in the composition root: pointed at
 * api.stripe.com with a real key, or at the local Stripe-compatible server in development and tests.
 */
import type Stripe from 'stripe';
import {
  type ChargeRefundState,
  type CheckoutSessionInfo,
  type CreateCheckoutSessionInput,
  type CreateRefundInput,
  type PaymentEvent,
  type PaymentProvider,
  PaymentProviderPermanentError,
  PaymentProviderRetryableError,
  type RefundInfo,
  WebhookVerificationError,
} from './payment-provider';

/** Stripe's recommended tolerance for webhook timestamps. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export function toCheckoutSessionInfo(session: Stripe.Checkout.Session): CheckoutSessionInfo {
  const details = session.customer_details;
  const address = details?.address;
  return {
    id: session.id,
    url: session.url ?? null,
    status: (session.status ?? 'open') as CheckoutSessionInfo['status'],
    paymentStatus: session.payment_status as CheckoutSessionInfo['paymentStatus'],
    orderId: session.metadata?.order_id ?? session.client_reference_id ?? null,
    currency: session.currency ?? null,
    amountSubtotal: session.amount_subtotal ?? null,
    amountTotal: session.amount_total ?? null,
    amountDiscount: session.total_details?.amount_discount ?? 0,
    amountTax: session.total_details?.amount_tax ?? 0,
    paymentIntentId: idOf(session.payment_intent),
    customerId: idOf(session.customer),
    customerEmail: details?.email ?? session.customer_email ?? null,
    customerName: details?.name ?? null,
    billingAddress: address
      ? {
          name: details?.name ?? null,
          line1: address.line1 ?? null,
          line2: address.line2 ?? null,
          city: address.city ?? null,
          state: address.state ?? null,
          postalCode: address.postal_code ?? null,
          country: address.country ?? null,
        }
      : null,
    createdAt: new Date(session.created * 1000),
    expiresAt: session.expires_at ? new Date(session.expires_at * 1000) : null,
  };
}

/** Maps the client's errors onto permanent (4xx) and retryable (network, 429, 5xx) failures. */
function classify(error: unknown, what: string): never {
  const status = (error as { statusCode?: number }).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 429) {
    throw new PaymentProviderPermanentError(`${what} was refused by Stripe: ${message}`, {
      cause: error,
    });
  }
  throw new PaymentProviderRetryableError(`${what} failed: ${message}`, { cause: error });
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';

  constructor(
    private readonly stripe: Stripe,
    private readonly webhookSecret: string,
  ) {}

  async createCheckoutSession(input: CreateCheckoutSessionInput): Promise<CheckoutSessionInfo> {
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: input.orderId,
          // Ids only: every other fact about the order lives in our database.
          metadata: { order_id: input.orderId, v: '1' },
          payment_intent_data: { metadata: { order_id: input.orderId, v: '1' } },
          customer_email: input.customerEmail,
          customer_creation: 'always',
          allow_promotion_codes: true,
          billing_address_collection: 'required',
          line_items: input.lineItems.map((item) => ({
            quantity: item.quantity,
            price_data: {
              currency: input.currency,
              unit_amount: item.unitAmount,
              product_data: {
                name: item.name,
                ...(item.description ? { description: item.description } : {}),
              },
            },
          })),
          success_url: input.successUrl,
          cancel_url: input.cancelUrl,
          ...(input.expiresAt ? { expires_at: Math.floor(input.expiresAt.getTime() / 1000) } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return toCheckoutSessionInfo(session);
    } catch (error) {
      classify(error, `Creating the checkout session for order ${input.orderNumber}`);
    }
  }

  async retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionInfo> {
    try {
      return toCheckoutSessionInfo(await this.stripe.checkout.sessions.retrieve(sessionId));
    } catch (error) {
      classify(error, `Retrieving checkout session ${sessionId}`);
    }
  }

  async *listCheckoutSessions(options: { createdAfter: Date }): AsyncIterable<CheckoutSessionInfo> {
    const created = { gte: Math.floor(options.createdAfter.getTime() / 1000) };
    try {
      for await (const session of this.stripe.checkout.sessions.list({ created, limit: 100 })) {
        yield toCheckoutSessionInfo(session);
      }
    } catch (error) {
      classify(error, 'Listing checkout sessions');
    }
  }

  async expireCheckoutSession(sessionId: string): Promise<void> {
    try {
      const session = await this.stripe.checkout.sessions.retrieve(sessionId);
      if (session.status === 'open') await this.stripe.checkout.sessions.expire(sessionId);
    } catch (error) {
      classify(error, `Expiring checkout session ${sessionId}`);
    }
  }

  async createRefund(input: CreateRefundInput): Promise<RefundInfo> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: input.paymentIntentId,
          ...(input.amount !== undefined ? { amount: input.amount } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.metadata ? { metadata: input.metadata } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return {
        id: refund.id,
        amount: refund.amount,
        currency: refund.currency,
        status: refund.status ?? 'pending',
      };
    } catch (error) {
      classify(error, `Refunding payment ${input.paymentIntentId}`);
    }
  }

  async retrieveCharge(chargeId: string): Promise<ChargeRefundState> {
    try {
      const charge = await this.stripe.charges.retrieve(chargeId);
      const intent = charge.payment_intent;
      return {
        id: charge.id,
        amount: charge.amount,
        amountRefunded: charge.amount_refunded,
        paymentIntentId: typeof intent === 'string' ? intent : (intent?.id ?? null),
      };
    } catch (error) {
      classify(error, `Fetching charge ${chargeId}`);
    }
  }

  verifyWebhook(rawBody: string | Buffer, signatureHeader: string | undefined): PaymentEvent {
    if (!signatureHeader)
      throw new WebhookVerificationError('The Stripe-Signature header is missing.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signatureHeader,
        this.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (error) {
      throw new WebhookVerificationError(
        error instanceof Error ? error.message : 'The webhook signature does not match.',
      );
    }
    // Signed is not enough to be usable: refuse what has no id, type or object like a forged body.
    const shape = event as Partial<Stripe.Event> | null;
    if (
      typeof shape?.id !== 'string' ||
      typeof shape.type !== 'string' ||
      typeof shape.data?.object !== 'object' ||
      shape.data.object === null
    ) {
      throw new WebhookVerificationError('The signed payload is not a Stripe event.');
    }
    return {
      id: event.id,
      type: event.type,
      livemode: event.livemode,
      createdAt: new Date(event.created * 1000),
      object: event.data.object as unknown as Record<string, unknown>,
      payload: event,
    };
  }
}
