/** Retention dates: which orders have a running period, from when, and the dates each half of the files goes. */
import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '@restoreclick/db';
import {
  deletionDatesFrom,
  firstDeletionDate,
  retentionCutoff,
  retentionStartOf,
} from './retention';
import { photosInUse } from './photo-deletion-rules';

const completedAt = new Date('2026-11-01T10:00:00Z');
const paidAt = new Date('2026-10-31T09:00:00Z');
const refundedAt = new Date('2026-11-02T08:00:00Z');

function order(status: OrderStatus, overrides: { paid?: boolean; completed?: boolean } = {}) {
  return {
    status,
    paid_at: overrides.paid === false ? null : paidAt,
    completed_at: overrides.completed === false ? null : completedAt,
  };
}

describe('retention start', () => {
  it('runs from completion for completed orders, whatever happened since', () => {
    expect(retentionStartOf(order('completed'), refundedAt)).toEqual(completedAt);
    expect(retentionStartOf(order('completed_with_errors'), null)).toEqual(completedAt);
    expect(retentionStartOf(order('partially_refunded'), refundedAt)).toEqual(completedAt);
  });

  it('runs from the refund for a paid order refunded before it completed', () => {
    expect(retentionStartOf(order('refunded', { completed: false }), refundedAt)).toEqual(
      refundedAt,
    );
  });

  it('does not run while photos may still be worked on or before payment', () => {
    for (const status of ['paid', 'processing', 'needs_attention', 'pending_payment'] as const) {
      expect(retentionStartOf(order(status), refundedAt), status).toBeUndefined();
    }
    expect(retentionStartOf(order('completed', { paid: false }), null)).toBeUndefined();
    expect(retentionStartOf(order('expired', { paid: false }), refundedAt)).toBeUndefined();
  });
});

describe('deletion dates', () => {
  it('adds each period in whole days to the start', () => {
    const dates = deletionDatesFrom(completedAt, { originalsDays: 7, restoredDays: 30 });
    expect(dates.originals.toISOString()).toBe('2026-11-08T10:00:00.000Z');
    expect(dates.restored.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(firstDeletionDate(dates)).toEqual(dates.originals);
    expect(
      firstDeletionDate(deletionDatesFrom(completedAt, { originalsDays: 30, restoredDays: 3 })),
    ).toEqual(new Date('2026-11-04T10:00:00Z'));
  });

  it('is due exactly when the cutoff reaches the start', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(retentionCutoff(now, 30)).toEqual(completedAt);
    expect(retentionCutoff(now, 31) < completedAt).toBe(true);
  });
});

describe('when photos may be deleted early', () => {
  it('waits for payment and for restoration to finish', () => {
    expect(photosInUse({ status: 'pending_payment' }, ['pending'])).toBe('awaiting_payment');
    expect(photosInUse({ status: 'payment_failed' }, ['pending'])).toBe('awaiting_payment');
    expect(photosInUse({ status: 'processing' }, ['restored', 'processing'])).toBe('restoring');
    expect(photosInUse({ status: 'needs_attention' }, ['failed', 'pending'])).toBe('restoring');
  });

  it('allows settled orders, and final ones whatever their photos last said', () => {
    expect(photosInUse({ status: 'completed' }, ['restored'])).toBeUndefined();
    expect(photosInUse({ status: 'needs_attention' }, ['failed', 'restored'])).toBeUndefined();
    expect(photosInUse({ status: 'refunded' }, ['processing'])).toBeUndefined();
    expect(photosInUse({ status: 'expired' }, ['pending'])).toBeUndefined();
  });
});
