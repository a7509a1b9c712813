import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import {
  allowedNextStatuses,
  assertTransition,
  canTransition,
  isFinalStatus,
  ORDER_STATUSES,
} from './order-status';

describe('order state machine', () => {
  it('lets an unpaid order be paid, fail, expire or be cancelled', () => {
    expect(allowedNextStatuses('pending_payment')).toEqual([
      'paid',
      'payment_failed',
      'expired',
      'cancelled',
    ]);
  });

  it('never lets a paid order go back to unpaid, failed or expired', () => {
    for (const to of ['pending_payment', 'payment_failed', 'expired'] as const) {
      expect(canTransition('paid', to)).toBe(false);
    }
  });

  it('treats expired and cancelled as final', () => {
    expect(ORDER_STATUSES.filter(isFinalStatus)).toEqual(['expired', 'cancelled']);
  });

  it('lets a refunded order move only when a refund fails: to partially refunded or to an admin', () => {
    expect(allowedNextStatuses('refunded')).toEqual(['partially_refunded', 'needs_attention']);
  });

  it('only names known statuses as targets', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of allowedNextStatuses(from)) expect(ORDER_STATUSES).toContain(to);
    }
  });

  it('explains a refused transition with what is allowed', () => {
    expect(() => assertTransition('completed', 'paid')).toThrow(AppError);
    expect(() => assertTransition('completed', 'paid')).toThrow(
      'An order that is completed cannot become paid (it can become refunded, partially_refunded).',
    );
    expect(() => assertTransition('expired', 'paid')).toThrow(/it is final/);
  });
});
