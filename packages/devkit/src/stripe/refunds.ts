/**
 * Refunds of a succeeded charge, whole or in parts, never more than what remains: each one updates the
 * charge's `amount_refunded`/`refunded` and emits `refund.created` and `charge.refunded`. A refund can fail
 * later, as card refunds do when the card was closed: the money goes back to the charge and Stripe emits
 * `refund.updated`, `charge.refund.updated` and `refund.failed`.
 */
import type { AccountContext } from './context';
import { invalidParam, invalidRequest } from './errors';
import { type EventOrigin, NOT_AN_API_REQUEST } from './events';
import { LIST_PARAMS, paginate } from './list';
import { formatMoney } from './money';
import {
  type ChargeObject,
  type ListObject,
  newId,
  nowSeconds,
  type RefundObject,
} from './objects';
import type { FormParams } from './params';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

function chargeToRefund(context: AccountContext, params: FormParams): ChargeObject {
  const chargeId = params.string('charge');
  const paymentIntentId = params.string('payment_intent');
  if (!chargeId && !paymentIntentId) {
    throw invalidRequest(
      'One of the following params should be provided for this request: payment_intent or charge.',
      {
        code: 'parameter_missing',
      },
    );
  }
  if (chargeId && paymentIntentId) {
    throw invalidParam(
      'charge',
      'You may only specify one of these parameters: charge, payment_intent.',
    );
  }
  if (chargeId) return context.store.charges.getForParam(chargeId, 'charge');

  const intentId = paymentIntentId ?? '';
  const intent = context.store.paymentIntents.getForParam(intentId, 'payment_intent');
  const charge = intent.latest_charge
    ? context.store.charges.find(intent.latest_charge)
    : undefined;
  if (!charge || charge.status !== 'succeeded') {
    throw invalidRequest(
      `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      { param: 'payment_intent', code: 'charge_not_refundable' },
    );
  }
  return charge;
}

export function createRefund(
  context: AccountContext,
  params: FormParams,
  origin: EventOrigin,
): RefundObject {
  params.allowOnly(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
  const requestedAmount = params.integer('amount', { min: 1 });
  const reason = params.oneOf('reason', REASONS) ?? null;
  const metadata = params.metadata();
  const charge = chargeToRefund(context, params);
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, {
      param: 'charge',
      code: 'charge_not_refundable',
    });
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = requestedAmount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      { param: 'amount', code: 'amount_too_large' },
    );
  }

  const refund: RefundObject = {
    id: newId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: nowSeconds(),
    currency: charge.currency,
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    status: 'succeeded',
  };
  context.store.refunds.add(refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  context.events.emit('refund.created', refund, origin);
  context.events.emit('charge.refunded', charge, origin);
  return refund;
}

/** Fails a succeeded refund after the fact, as the card network would: its amount is no longer refunded. */
export function failRefund(
  context: AccountContext,
  refundId: string,
  failureReason = 'expired_or_canceled_card',
): RefundObject {
  const refund = context.store.refunds.get(refundId);
  if (refund.status !== 'succeeded') {
    throw invalidRequest(`Refund ${refund.id} is ${refund.status ?? 'unknown'}, not succeeded.`);
  }
  const charge = context.store.charges.get(refund.charge);
  refund.status = 'failed';
  refund.failure_reason = failureReason;
  charge.amount_refunded -= refund.amount;
  charge.refunded = false;
  for (const type of ['refund.updated', 'charge.refund.updated', 'refund.failed'] as const) {
    context.events.emit(type, refund, NOT_AN_API_REQUEST);
  }
  return refund;
}

export function listRefunds(context: AccountContext, params: FormParams): ListObject<RefundObject> {
  params.allowOnly([...LIST_PARAMS, 'payment_intent', 'charge']);
  const paymentIntent = params.string('payment_intent');
  const charge = params.string('charge');
  const refunds = context.store.refunds
    .all()
    .filter(
      (refund) =>
        (paymentIntent === undefined || refund.payment_intent === paymentIntent) &&
        (charge === undefined || refund.charge === charge),
    );
  return paginate(refunds, params, {
    url: '/v1/refunds',
    objectName: 'refund',
    idOf: (refund) => refund.id,
    createdOf: (refund) => refund.created,
  });
}
