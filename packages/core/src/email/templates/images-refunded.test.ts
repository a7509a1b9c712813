/** The refund email: which photos and why, the amount, and whether the whole order was refunded. */
import { describe, expect, it } from 'vitest';
import { type EmailTemplateInput, renderEmail } from '../render-email';

type ImagesRefundedInput = Extract<EmailTemplateInput, { kind: 'images_refunded' }>;

function imagesRefunded(overrides: Partial<ImagesRefundedInput> = {}): ImagesRefundedInput {
  return {
    kind: 'images_refunded',
    customerName: 'Ada',
    orderNumber: 'RC-4004',
    orderUrl: 'https://restoreclick.test/orders/tok_refund',
    refundedPhotos: [{ filename: 'torn.jpg', reason: 'The photo is too damaged to restore.' }],
    amountRefunded: 899,
    currency: 'usd',
    fullRefund: false,
    supportEmail: 'help@restoreclick.test',
    ...overrides,
  };
}

describe('images refunded email', () => {
  it('states the refunded amount and each refunded photo with its reason', async () => {
    const email = await renderEmail(imagesRefunded());

    expect(email.subject).toBe('Refund of $8.99 for 1 photo in order RC-4004');
    for (const body of [email.html, email.text]) {
      expect(body).toContain('We have refunded $8.99 for 1 photo we could not restore.');
      expect(body).toContain('torn.jpg: The photo is too damaged to restore.');
      expect(body).toContain('The rest of your order is not affected');
      expect(body).toContain('help@restoreclick.test');
    }
    expect(email.html).toContain('href="https://restoreclick.test/orders/tok_refund"');
  });

  it('says the whole order was refunded for a full refund', async () => {
    const email = await renderEmail(
      imagesRefunded({
        fullRefund: true,
        amountRefunded: 2_697,
        refundedPhotos: [
          { filename: 'a.jpg', reason: 'Too damaged.' },
          { filename: 'b.jpg', reason: 'Not a photo.' },
        ],
      }),
    );

    expect(email.subject).toBe('Your RestoreClick order RC-4004 has been refunded');
    expect(email.text).toContain('We have refunded your order in full: $26.97');
    expect(email.text).toContain(
      'The refunded photos:\n- a.jpg: Too damaged.\n- b.jpg: Not a photo.',
    );
    expect(email.text).not.toContain('The rest of your order');
  });
});
