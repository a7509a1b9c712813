/**
 * Payment intents and their charges, moved through Stripe's states with Stripe's events: a card that
 * succeeds or is declined at once, and a bank debit that is pending until it settles or fails.
 */
import type Stripe from 'stripe';
import type { AccountContext } from './context';
import type { EventOrigin } from './events';
import { LIST_PARAMS, paginate } from './list';
import {
  type ChargeObject,
  type ListObject,
  type Metadata,
  newId,
  nowSeconds,
  type PaymentIntentObject,
} from './objects';
import type { FormParams } from './params';

export type PaymentMethodKind = 'card' | 'us_bank_account';
export type ChargeResult = 'succeeded' | 'pending' | 'failed';

const DECLINE = {
  code: 'card_declined',
  declineCode: 'generic_decline',
  message: 'Your card was declined.',
};
const BANK_FAILURE = {
  code: 'insufficient_funds',
  message: "The customer's account has insufficient funds to cover this payment.",
};

export function createPaymentIntent(
  context: AccountContext,
  input: {
    amount: number;
    currency: string;
    metadata: Metadata;
    description: string | null;
    receiptEmail: string | null;
  },
  origin: EventOrigin,
): PaymentIntentObject {
  const intent: PaymentIntentObject = {
    id: newId('pi'),
    object: 'payment_intent',
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    confirmation_method: 'automatic',
    created: nowSeconds(),
    currency: input.currency,
    customer: null,
    description: input.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...input.metadata },
    payment_method_types: ['card', 'us_bank_account'],
    receipt_email: input.receiptEmail,
    status: 'requires_payment_method',
  };
  context.store.paymentIntents.add(intent);
  context.events.emit('payment_intent.created', intent, origin);
  return intent;
}

/** One payment attempt on the intent: a new charge that succeeded, failed, or is pending (bank debit). */
export function chargePaymentIntent(
  context: AccountContext,
  intent: PaymentIntentObject,
  input: {
    result: ChargeResult;
    method: PaymentMethodKind;
    billingDetails: Stripe.Charge.BillingDetails;
  },
  origin: EventOrigin,
): ChargeObject {
  const failed = input.result === 'failed';
  const charge: ChargeObject = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: input.result === 'succeeded' ? intent.amount : 0,
    amount_refunded: 0,
    billing_details: input.billingDetails,
    captured: input.result === 'succeeded',
    created: nowSeconds(),
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_code: failed ? DECLINE.code : null,
    failure_message: failed ? DECLINE.message : null,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: input.result === 'succeeded',
    payment_intent: intent.id,
    payment_method_details: { type: input.method },
    receipt_email: intent.receipt_email,
    refunded: false,
    status: input.result,
  };
  context.store.charges.add(charge);
  intent.latest_charge = charge.id;

  if (input.result === 'succeeded') {
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    context.events.emit('charge.succeeded', charge, origin);
    context.events.emit('payment_intent.succeeded', intent, origin);
  } else if (input.result === 'pending') {
    intent.status = 'processing';
    context.events.emit('charge.pending', charge, origin);
    context.events.emit('payment_intent.processing', intent, origin);
  } else {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      type: 'card_error',
      code: DECLINE.code,
      decline_code: DECLINE.declineCode,
      message: DECLINE.message,
      charge: charge.id,
    };
    context.events.emit('charge.failed', charge, origin);
    context.events.emit('payment_intent.payment_failed', intent, origin);
  }
  return charge;
}

/** The bank says yes or no to a pending debit. */
export function settlePendingCharge(
  context: AccountContext,
  intent: PaymentIntentObject,
  outcome: 'succeeded' | 'failed',
  origin: EventOrigin,
): ChargeObject {
  if (!intent.latest_charge) {
    throw new Error(`Payment intent ${intent.id} has no pending charge to settle`);
  }
  const charge = context.store.charges.get(intent.latest_charge);
  if (charge.status !== 'pending') {
    throw new Error(`Charge ${charge.id} is ${charge.status}, not pending`);
  }
  if (outcome === 'succeeded') {
    Object.assign(charge, { status: 'succeeded', paid: true, captured: true });
    charge.amount_captured = charge.amount;
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    context.events.emit('charge.succeeded', charge, origin);
    context.events.emit('payment_intent.succeeded', intent, origin);
  } else {
    Object.assign(charge, {
      status: 'failed',
      failure_code: BANK_FAILURE.code,
      failure_message: BANK_FAILURE.message,
    });
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      type: 'invalid_request_error',
      code: BANK_FAILURE.code,
      message: BANK_FAILURE.message,
      charge: charge.id,
    };
    context.events.emit('charge.failed', charge, origin);
    context.events.emit('payment_intent.payment_failed', intent, origin);
  }
  return charge;
}

export function cancelPaymentIntent(
  context: AccountContext,
  intent: PaymentIntentObject,
  reason: 'abandoned' | 'expired',
  origin: EventOrigin,
): void {
  Object.assign(intent, {
    status: 'canceled',
    canceled_at: nowSeconds(),
    cancellation_reason: reason,
  });
  context.events.emit('payment_intent.canceled', intent, origin);
}

export function listPaymentIntents(
  context: AccountContext,
  params: FormParams,
): ListObject<PaymentIntentObject> {
  params.allowOnly([...LIST_PARAMS, 'customer']);
  const customer = params.string('customer');
  const intents = context.store.paymentIntents
    .all()
    .filter((intent) => customer === undefined || intent.customer === customer);
  return paginate(intents, params, {
    url: '/v1/payment_intents',
    objectName: 'payment_intent',
    idOf: (intent) => intent.id,
    createdOf: (intent) => intent.created,
  });
}

export function listCharges(context: AccountContext, params: FormParams): ListObject<ChargeObject> {
  params.allowOnly([...LIST_PARAMS, 'customer', 'payment_intent']);
  const customer = params.string('customer');
  const paymentIntent = params.string('payment_intent');
  const charges = context.store.charges
    .all()
    .filter(
      (charge) =>
        (customer === undefined || charge.customer === customer) &&
        (paymentIntent === undefined || charge.payment_intent === paymentIntent),
    );
  return paginate(charges, params, {
    url: '/v1/charges',
    objectName: 'charge',
    idOf: (charge) => charge.id,
    createdOf: (charge) => charge.created,
  });
}
