/**
 * What our services need from a payment processor. One real implementation (Stripe, which also serves the
 * local Stripe-compatible server in development and tests); the interface keeps Stripe's types out of core.
 */
import type { BillingAddress } from '@restoreclick/db';

export interface CheckoutLineItem {
  name: string;
  description?: string;
  unitAmount: number;
  quantity: number;
}

export interface CreateCheckoutSessionInput {
  orderId: string;
  orderNumber: string;
  currency: string;
  lineItems: CheckoutLineItem[];
  customerEmail: string;
  /** Must contain `{CHECKOUT_SESSION_ID}`; the processor substitutes it. */
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
  expiresAt?: Date;
}

export type CheckoutSessionStatus = 'open' | 'complete' | 'expired';
export type CheckoutPaymentStatus = 'paid' | 'unpaid' | 'no_payment_required';

export interface CheckoutSessionInfo {
  id: string;
  url: string | null;
  status: CheckoutSessionStatus;
  paymentStatus: CheckoutPaymentStatus;
  /** Our order id, from the session's metadata (or client_reference_id). */
  orderId: string | null;
  currency: string | null;
  amountSubtotal: number | null;
  amountTotal: number | null;
  amountDiscount: number;
  amountTax: number;
  paymentIntentId: string | null;
  customerId: string | null;
  customerEmail: string | null;
  customerName: string | null;
  billingAddress: BillingAddress | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface CreateRefundInput {
  paymentIntentId: string;
  /** Minor units; the whole remaining amount when omitted. */
  amount?: number;
  reason?: 'requested_by_customer' | 'duplicate' | 'fraudulent';
  idempotencyKey: string;
  metadata?: Record<string, string>;
}

export interface RefundInfo {
  id: string;
  amount: number;
  currency: string;
  status: string;
}

/** A charge's money as the processor has it now: what was paid and how much of it is refunded. */
export interface ChargeRefundState {
  id: string;
  amount: number;
  /** The sum of the charge's refunds that have not failed or been cancelled. */
  amountRefunded: number;
  paymentIntentId: string | null;
}

/** A verified webhook event, reduced to what we store and route on. */
export interface PaymentEvent {
  id: string;
  type: string;
  livemode: boolean;
  createdAt: Date;
  /** The event's object (checkout session, charge, …) as the processor sent it. */
  object: Record<string, unknown>;
  payload: unknown;
}

export interface PaymentProvider {
  readonly name: string;
  createCheckoutSession(input: CreateCheckoutSessionInput): Promise<CheckoutSessionInfo>;
  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionInfo>;
  /** Sessions created since `createdAfter`, newest first, across every page. */
  listCheckoutSessions(options: { createdAfter: Date }): AsyncIterable<CheckoutSessionInfo>;
  /** Closes an open session so it can no longer be paid; a session that is not open is left as it is. */
  expireCheckoutSession(sessionId: string): Promise<void>;
  createRefund(input: CreateRefundInput): Promise<RefundInfo>;
  /** The charge as it is now (refund events are notifications; this is the truth they point at). */
  retrieveCharge(chargeId: string): Promise<ChargeRefundState>;
  /** Verifies the signature over the raw body; throws `WebhookVerificationError` when it does not hold. */
  verifyWebhook(rawBody: string | Buffer, signatureHeader: string | undefined): PaymentEvent;
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** A processor answered 4xx: retrying the same request will not help. */
export class PaymentProviderPermanentError extends Error {
  override name = 'PaymentProviderPermanentError';
}

/** A processor was unreachable, timed out or answered 5xx: try again later. */
export class PaymentProviderRetryableError extends Error {
  override name = 'PaymentProviderRetryableError';
}
