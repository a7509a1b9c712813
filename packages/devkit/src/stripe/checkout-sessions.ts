/**
 * Checkout sessions in payment mode, from creation to one of their endings: paid by card, declined (still
 * open), paid by a bank transfer that settles later either way, or expired. The hosted page, the test
 * controls and `POST /v1/checkout/sessions/:id/expire` all come through here.
 */
import type Stripe from 'stripe';
import type { AccountContext } from './context';
import { createCustomer } from './customers';
import { invalidParam, invalidRequest } from './errors';
import { type EventOrigin, NOT_AN_API_REQUEST } from './events';
import { LIST_PARAMS, paginate } from './list';
import {
  type CheckoutSessionObject,
  type LineItemObject,
  type ListObject,
  newId,
  nowSeconds,
} from './objects';
import type { FormParams } from './params';
import {
  cancelPaymentIntent,
  chargePaymentIntent,
  createPaymentIntent,
  settlePendingCharge,
} from './payments';
import type { AsyncOutcome, CheckoutSessionRecord } from './store';

export type CheckoutOutcome = 'pay' | 'decline' | 'async_success' | 'async_failure' | 'expire';

export const CHECKOUT_OUTCOMES: readonly CheckoutOutcome[] = [
  'pay',
  'decline',
  'async_success',
  'async_failure',
  'expire',
];

/** What the person types on the checkout page. */
export interface CheckoutDetails {
  email?: string;
  name?: string;
}

/** Used when a test completes a checkout that has no email anywhere, as if the person had typed it. */
const FALLBACK_EMAIL = 'customer@example.com';

const SESSION_PARAMS = [
  'mode',
  'line_items',
  'success_url',
  'cancel_url',
  'client_reference_id',
  'customer',
  'customer_email',
  'customer_creation',
  'metadata',
  'payment_intent_data',
  'allow_promotion_codes',
  'billing_address_collection',
  'expires_at',
  'locale',
  'submit_type',
  'payment_method_types',
  'expand',
] as const;

const MIN_LIFETIME_SECONDS = 30 * 60;
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

function lineItemsFrom(params: FormParams): LineItemObject[] {
  const items = params.objects('line_items');
  if (!items || items.length === 0) {
    throw invalidParam(
      'line_items',
      'line_items is required in payment mode.',
      'parameter_missing',
    );
  }
  if (items.length > 100) {
    throw invalidParam('line_items', 'A Checkout Session can have at most 100 line items.');
  }
  const created = nowSeconds();
  return items.map((item) => {
    item.allowOnly(['price_data', 'quantity', 'price']);
    if (item.has('price')) {
      throw invalidParam(
        item.nameOf('price'),
        'The local Stripe server has no Price objects; describe the item with price_data.',
      );
    }
    const quantity = item.requiredInteger('quantity', { min: 1, max: 999_999 });
    const priceData = item.object('price_data');
    if (!priceData)
      throw invalidParam(
        item.nameOf('price_data'),
        'Missing required param: price_data.',
        'parameter_missing',
      );
    priceData.allowOnly(['currency', 'unit_amount', 'product_data', 'tax_behavior']);
    const currency = priceData.requiredString('currency').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) {
      throw invalidParam(priceData.nameOf('currency'), `Invalid currency: ${currency}`);
    }
    const unitAmount = priceData.requiredInteger('unit_amount', { min: 0 });
    const product = priceData.object('product_data');
    if (!product)
      throw invalidParam(
        priceData.nameOf('product_data'),
        'Missing required param: product_data.',
        'parameter_missing',
      );
    product.allowOnly(['name', 'description', 'metadata', 'images']);
    const name = product.requiredString('name');
    return {
      id: newId('li'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: unitAmount * quantity,
      amount_tax: 0,
      amount_total: unitAmount * quantity,
      currency,
      description: name,
      metadata: {},
      quantity,
      price: {
        id: newId('price'),
        object: 'price',
        active: false,
        billing_scheme: 'per_unit',
        created,
        currency,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product: newId('prod', 14),
        recurring: null,
        tax_behavior: 'unspecified',
        type: 'one_time',
        unit_amount: unitAmount,
      },
    };
  });
}

export function createCheckoutSession(
  context: AccountContext,
  params: FormParams,
): CheckoutSessionRecord {
  params.allowOnly(SESSION_PARAMS);
  const mode = params.oneOf('mode', ['payment', 'setup', 'subscription']);
  if (mode === undefined)
    throw invalidParam('mode', 'Missing required param: mode.', 'parameter_missing');
  if (mode !== 'payment') {
    throw invalidParam('mode', 'The local Stripe server supports mode=payment only.');
  }
  const customerId = params.string('customer');
  const customerEmail = params.string('customer_email');
  if (customerId && customerEmail) {
    throw invalidParam(
      'customer_email',
      'You may only specify one of these parameters: customer, customer_email.',
    );
  }
  if (customerId) context.store.customers.getForParam(customerId, 'customer');

  const lineItems = lineItemsFrom(params);
  const currencies = new Set(lineItems.map((item) => item.currency));
  const [currency] = currencies;
  if (currencies.size > 1 || currency === undefined) {
    throw invalidParam('line_items', 'All line items must use the same currency.');
  }
  const amount = lineItems.reduce((sum, item) => sum + item.amount_total, 0);

  const created = nowSeconds();
  const expiresAt = params.integer('expires_at');
  if (expiresAt !== undefined && expiresAt < created + MIN_LIFETIME_SECONDS) {
    throw invalidParam(
      'expires_at',
      'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
    );
  }
  if (expiresAt !== undefined && expiresAt > created + MAX_LIFETIME_SECONDS) {
    throw invalidParam(
      'expires_at',
      'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
    );
  }
  const paymentIntentData = params.object('payment_intent_data');
  paymentIntentData?.allowOnly(['metadata', 'description', 'receipt_email']);

  const id = newId('cs_test', 58);
  const session: CheckoutSessionObject = {
    id,
    object: 'checkout.session',
    allow_promotion_codes: params.boolean('allow_promotion_codes') ?? null,
    amount_subtotal: amount,
    amount_total: amount,
    billing_address_collection:
      params.oneOf('billing_address_collection', ['auto', 'required']) ?? null,
    cancel_url: params.url('cancel_url') ?? null,
    client_reference_id: params.string('client_reference_id') ?? null,
    created,
    currency,
    customer: customerId ?? null,
    customer_creation:
      params.oneOf('customer_creation', ['always', 'if_required']) ?? 'if_required',
    customer_details: null,
    customer_email: customerEmail ?? null,
    expires_at: expiresAt ?? created + MAX_LIFETIME_SECONDS,
    livemode: false,
    locale: (params.string('locale') as Stripe.Checkout.Session.Locale | undefined) ?? null,
    metadata: params.metadata(),
    mode,
    payment_intent: null,
    payment_method_types: params.strings('payment_method_types') ?? ['card', 'us_bank_account'],
    payment_status: 'unpaid',
    status: 'open',
    submit_type: params.oneOf('submit_type', ['auto', 'book', 'donate', 'pay']) ?? null,
    success_url: params.url('success_url') ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: context.hostedPageUrl(id),
  };
  const record: CheckoutSessionRecord = {
    session,
    lineItems,
    paymentIntentData: {
      metadata: paymentIntentData?.metadata() ?? {},
      description: paymentIntentData?.string('description') ?? null,
    },
    paymentIntentId: null,
    pendingSettlement: null,
  };
  context.store.checkoutSessions.add(record);
  return record;
}

export function listCheckoutSessions(
  context: AccountContext,
  params: FormParams,
): ListObject<CheckoutSessionObject> {
  params.allowOnly([...LIST_PARAMS, 'status', 'payment_intent', 'customer']);
  const status = params.oneOf('status', ['open', 'complete', 'expired']);
  const paymentIntent = params.string('payment_intent');
  const customer = params.string('customer');
  const sessions = context.store.checkoutSessions
    .all()
    .map((record) => record.session)
    .filter(
      (session) =>
        (status === undefined || session.status === status) &&
        (paymentIntent === undefined || session.payment_intent === paymentIntent) &&
        (customer === undefined || session.customer === customer),
    );
  return paginate(sessions, params, {
    url: '/v1/checkout/sessions',
    objectName: 'checkout.session',
    idOf: (session) => session.id,
    createdOf: (session) => session.created,
  });
}

export function listLineItems(
  context: AccountContext,
  sessionId: string,
  params: FormParams,
): ListObject<LineItemObject> {
  params.allowOnly(['limit', 'starting_after', 'ending_before', 'expand']);
  const record = context.store.checkoutSessions.get(sessionId);
  // Line items are listed in the order they were given, unlike other lists.
  return paginate([...record.lineItems].reverse(), params, {
    url: `/v1/checkout/sessions/${sessionId}/line_items`,
    objectName: 'line_item',
    idOf: (item) => item.id,
  });
}

function assertOpen(record: CheckoutSessionRecord): void {
  if (record.session.status !== 'open') {
    throw invalidRequest(
      `This Checkout Session is no longer open: its status is "${String(record.session.status)}".`,
      { code: 'checkout_session_not_open' },
    );
  }
}

function billingDetailsFor(
  record: CheckoutSessionRecord,
  email: string,
  name: string | null,
): Stripe.Charge.BillingDetails {
  // With `required`, Checkout collects a full address; otherwise a card payment asks for country and ZIP.
  const fullAddress = record.session.billing_address_collection === 'required';
  return {
    email,
    name,
    phone: null,
    tax_id: null,
    address: {
      city: fullAddress ? 'San Francisco' : null,
      country: 'US',
      line1: fullAddress ? '510 Townsend Street' : null,
      line2: null,
      postal_code: '94103',
      state: fullAddress ? 'CA' : null,
    },
  };
}

export function expireCheckoutSession(
  context: AccountContext,
  sessionId: string,
  origin: EventOrigin,
): CheckoutSessionRecord {
  const record = context.store.checkoutSessions.get(sessionId);
  if (record.session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(record.session.status)}".`,
    );
  }
  Object.assign(record.session, { status: 'expired', url: null });
  if (record.paymentIntentId) {
    // A declined attempt left an intent behind; Stripe cancels it with the session.
    const intent = context.store.paymentIntents.get(record.paymentIntentId);
    cancelPaymentIntent(context, intent, 'expired', origin);
  }
  context.events.emit('checkout.session.expired', record.session, origin);
  return record;
}

/** Expires open sessions whose `expires_at` has passed, as Stripe does shortly after that time. */
export function expireOverdueSessions(context: AccountContext): void {
  const now = nowSeconds();
  for (const record of context.store.checkoutSessions.all()) {
    if (record.session.status === 'open' && record.session.expires_at <= now) {
      expireCheckoutSession(context, record.session.id, NOT_AN_API_REQUEST);
    }
  }
}

/**
 * What happens when the person on the hosted page picks an outcome (and what the test controls do).
 * A decline leaves the session open; every other outcome ends it.
 */
export function completeCheckout(
  context: AccountContext,
  sessionId: string,
  outcome: CheckoutOutcome,
  details: CheckoutDetails = {},
  origin: EventOrigin = NOT_AN_API_REQUEST,
): CheckoutSessionRecord {
  if (outcome === 'expire') return expireCheckoutSession(context, sessionId, origin);
  const record = context.store.checkoutSessions.get(sessionId);
  assertOpen(record);
  const { session } = record;
  const existingCustomer = session.customer
    ? context.store.customers.get(session.customer)
    : undefined;
  const email =
    details.email?.trim() || existingCustomer?.email || session.customer_email || FALLBACK_EMAIL;
  const name = details.name?.trim() || existingCustomer?.name || null;

  const intent = record.paymentIntentId
    ? context.store.paymentIntents.get(record.paymentIntentId)
    : createPaymentIntent(
        context,
        {
          amount: session.amount_total ?? 0,
          currency: session.currency ?? 'usd',
          metadata: record.paymentIntentData.metadata,
          description: record.paymentIntentData.description,
          receiptEmail: email,
        },
        origin,
      );
  record.paymentIntentId = intent.id;
  const billingDetails = billingDetailsFor(record, email, name);

  if (outcome === 'decline') {
    chargePaymentIntent(
      context,
      intent,
      { result: 'failed', method: 'card', billingDetails },
      origin,
    );
    return record;
  }

  // The customer exists before the charge, so the charge and the intent carry it.
  const customer = existingCustomer ?? createCustomer(context, { email, name }, origin);
  intent.customer = customer.id;
  if (outcome === 'pay') {
    chargePaymentIntent(
      context,
      intent,
      { result: 'succeeded', method: 'card', billingDetails },
      origin,
    );
  } else {
    chargePaymentIntent(
      context,
      intent,
      { result: 'pending', method: 'us_bank_account', billingDetails },
      origin,
    );
    record.pendingSettlement = outcome;
  }
  Object.assign(session, {
    status: 'complete',
    payment_status: outcome === 'pay' ? 'paid' : 'unpaid',
    url: null,
    customer: customer.id,
    payment_intent: intent.id,
    customer_details: {
      address: billingDetails.address,
      business_name: null,
      email,
      individual_name: null,
      name,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
  } satisfies Partial<CheckoutSessionObject>);
  context.events.emit('checkout.session.completed', session, origin);

  if (record.pendingSettlement) {
    context.settlements.schedule(sessionId, () => settleAsyncPayment(context, sessionId));
  }
  return record;
}

/** The bank answers now instead of after the configured delay. */
export function settleAsyncPayment(
  context: AccountContext,
  sessionId: string,
): CheckoutSessionRecord {
  const record = context.store.checkoutSessions.get(sessionId);
  const outcome: AsyncOutcome | null = record.pendingSettlement;
  if (!outcome || !record.paymentIntentId) {
    throw invalidRequest(
      `Checkout Session ${sessionId} has no bank transfer waiting to settle (complete it with async_success or async_failure first).`,
    );
  }
  context.settlements.cancel(sessionId);
  record.pendingSettlement = null;
  const intent = context.store.paymentIntents.get(record.paymentIntentId);
  const origin = NOT_AN_API_REQUEST;
  if (outcome === 'async_success') {
    settlePendingCharge(context, intent, 'succeeded', origin);
    record.session.payment_status = 'paid';
    context.events.emit('checkout.session.async_payment_succeeded', record.session, origin);
  } else {
    settlePendingCharge(context, intent, 'failed', origin);
    context.events.emit('checkout.session.async_payment_failed', record.session, origin);
  }
  return record;
}
