/**
 * Verifying Stripe webhooks: the signature over the raw body, then the shape of what was signed. A correctly
 * signed payload that is not an event is refused like a forged one (400, Stripe may retry) instead of failing
 * the request with a 500. Found by the chaos suite's bad-input corpus.
 */
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from './payment-provider';
import { StripePaymentProvider } from './stripe-payment-provider';

const SECRET = 'whsec_unit_test_secret';
const provider = new StripePaymentProvider(new Stripe('sk_test_unit'), SECRET);

function sign(body: string): string {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

describe('StripePaymentProvider.verifyWebhook', () => {
  it('returns the event of a signed event', () => {
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'checkout.session.completed',
      livemode: false,
      created: 1_700_000_000,
      data: { object: { id: 'cs_1' } },
    });
    expect(provider.verifyWebhook(body, sign(body))).toMatchObject({
      id: 'evt_1',
      type: 'checkout.session.completed',
      object: { id: 'cs_1' },
    });
  });

  it.each([
    ['JSON that is not an event', '{"hello":"world"}'],
    ['an event without its object', '{"id":"evt_2","type":"charge.refunded","created":1}'],
    ['a list', '[1,2,3]'],
    ['null', 'null'],
  ])('refuses %s, however well signed', (_name, body) => {
    expect(() => provider.verifyWebhook(body, sign(body))).toThrow(WebhookVerificationError);
    expect(() => provider.verifyWebhook(body, sign(body))).toThrow(/not a Stripe event/);
  });
});
