import { describe, expect, it } from 'vitest';
import type { AutomaticRefund } from '../api-types';
import {
  decidedByWords,
  describeRefundNow,
  describeStopped,
  knownAmount,
} from './automatic-refund-words';

function refund(overrides: Partial<AutomaticRefund>): AutomaticRefund {
  return {
    id: 'refund-1',
    imageId: 'image-1',
    filename: 'wedding.jpg',
    status: 'pending',
    reason: 'None of our restoration models could produce a good result for this photo.',
    dueAt: '2026-11-23T22:00:00.000Z',
    amount: 1900,
    amountFixed: false,
    currency: 'usd',
    providerRefundId: null,
    emailMessageId: null,
    decidedBy: null,
    cancelReason: null,
    error: null,
    issuedAt: null,
    cancelledAt: null,
    createdAt: '2026-11-23T12:00:00.000Z',
    ...overrides,
  };
}

describe('an automatic refund in the panel', () => {
  it('shows the estimate of a pending refund and the fixed amount of an issued one', () => {
    expect(knownAmount(refund({ status: 'pending' }))).toBe(1900);
    expect(knownAmount(refund({ status: 'issued', amountFixed: true, amount: 1850 }))).toBe(1850);
  });

  it('shows no amount for a stopped refund that was never worked out', () => {
    expect(knownAmount(refund({ status: 'cancelled', amount: 0 }))).toBeNull();
  });

  it('names who decided without exposing ids', () => {
    expect(decidedByWords('admin:4f1c')).toBe('an admin');
    expect(decidedByWords('worker')).toBe('the system');
    expect(decidedByWords(null)).toBeNull();
  });
});

describe('what an admin is told after acting on a refund', () => {
  it('names the stopped photo', () => {
    const refunds = [refund({ status: 'cancelled' })];
    expect(describeStopped(refunds, 'image-1')).toBe(
      'The automatic refund of wedding.jpg is stopped.',
    );
  });

  it('says how much went back through Stripe', () => {
    const result = {
      issued: 1,
      amountIssued: 1900,
      refunds: [refund({ status: 'issued', amountFixed: true })],
    };
    expect(describeRefundNow(result, 'usd', 'image-1')).toMatch(
      /^Refunded \$19\.00 for wedding\.jpg through Stripe\./,
    );
  });

  it('says the refund goes out later when Stripe could not be reached', () => {
    const result = { issued: 0, amountIssued: 0, refunds: [refund({ status: 'issuing' })] };
    expect(describeRefundNow(result, 'usd', 'image-1')).toBe(
      'Stripe could not be reached: the refund of wedding.jpg goes out within a minute or so.',
    );
  });

  it('gives the reason when the photo no longer needed a refund', () => {
    const result = {
      issued: 0,
      amountIssued: 0,
      refunds: [
        refund({
          status: 'cancelled',
          decidedBy: 'worker',
          cancelReason: 'The photo is restored again, so it is not refunded.',
        }),
      ],
    };
    expect(describeRefundNow(result, 'usd', 'image-1')).toBe(
      'wedding.jpg was not refunded: The photo is restored again, so it is not refunded.',
    );
  });
});
