import { describe, expect, it } from 'vitest';
import { parseFormBody } from './form-body';

describe('Stripe form bodies', () => {
  it('nest bracket paths into objects and indexed arrays', () => {
    const body = new URLSearchParams([
      ['mode', 'payment'],
      ['metadata[order_id]', 'abc'],
      ['metadata[v]', '1'],
      ['line_items[0][quantity]', '3'],
      ['line_items[0][price_data][currency]', 'usd'],
      ['line_items[0][price_data][unit_amount]', '900'],
      ['line_items[0][price_data][product_data][name]', 'Standard restoration'],
      ['line_items[1][quantity]', '1'],
      ['expand[]', 'payment_intent'],
      ['expand[]', 'line_items'],
      ['created[gte]', '1700000000'],
    ]).toString();

    expect(parseFormBody(body)).toEqual({
      mode: 'payment',
      metadata: { order_id: 'abc', v: '1' },
      line_items: [
        {
          quantity: '3',
          price_data: {
            currency: 'usd',
            unit_amount: '900',
            product_data: { name: 'Standard restoration' },
          },
        },
        { quantity: '1' },
      ],
      expand: ['payment_intent', 'line_items'],
      created: { gte: '1700000000' },
    });
  });

  it('keeps reserved characters in values intact', () => {
    const url = 'http://shop.test/success?session_id={CHECKOUT_SESSION_ID}&a=b';
    expect(parseFormBody(new URLSearchParams({ success_url: url }).toString())).toEqual({
      success_url: url,
    });
  });
});
