/** The order confirmation: subject, HTML and text carry the order number, photo count, amount and link. */
import { describe, expect, it } from 'vitest';
import { type EmailTemplateInput, renderEmail } from '../render-email';

function orderConfirmation(
  overrides: Partial<Extract<EmailTemplateInput, { kind: 'order_confirmation' }>> = {},
): EmailTemplateInput {
  return {
    kind: 'order_confirmation',
    customerName: 'Ada Lovelace',
    orderNumber: 'RC-1001',
    orderUrl: 'https://restoreclick.test/orders/tok_123',
    photoCount: 3,
    amountPaid: 2_697,
    currency: 'usd',
    supportEmail: 'help@restoreclick.test',
    ...overrides,
  };
}

describe('order confirmation email', () => {
  it('states the order number, photo count and amount paid in subject, HTML and text', async () => {
    const email = await renderEmail(orderConfirmation());

    expect(email.subject).toBe('Your RestoreClick order RC-1001 is confirmed');
    for (const body of [email.html, email.text]) {
      expect(body).toContain('Hi Ada Lovelace,');
      expect(body).toContain('RC-1001');
      expect(body).toContain('3 photos');
      expect(body).toContain('$26.97');
      expect(body).toContain('help@restoreclick.test');
    }
    expect(email.html).toContain('href="https://restoreclick.test/orders/tok_123"');
    expect(email.html).toContain('View your order');
    expect(email.text).toContain('https://restoreclick.test/orders/tok_123');
    expect(email.html).toMatch(/^<!doctype html>/i);
    expect(email.html).toContain('<title>Your RestoreClick order RC-1001 is confirmed</title>');
  });

  it('formats the amount from minor units in the currency of the order', async () => {
    const yen = await renderEmail(orderConfirmation({ amountPaid: 4_500, currency: 'jpy' }));
    const euro = await renderEmail(orderConfirmation({ amountPaid: 999, currency: 'EUR' }));

    expect(yen.text).toContain('¥4,500');
    expect(euro.text).toContain('€9.99');
  });

  it('greets without a name when the customer gave none, and says "1 photo" for one', async () => {
    const email = await renderEmail(orderConfirmation({ customerName: null, photoCount: 1 }));

    expect(email.text).toContain('Hi there,');
    expect(email.text).toContain('restoring your 1 photo.');
  });
});
