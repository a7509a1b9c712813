/** The words the order page uses for order and photo statuses. */
import type { OrderImageStatus, OrderStatus } from '@restoreclick/sdk';

export const ORDER_STATUS_TEXT: Record<OrderStatus, { label: string; explanation: string }> = {
  pending_payment: {
    label: 'Waiting for payment',
    explanation: 'We start as soon as the payment arrives. This page updates by itself.',
  },
  paid: { label: 'Paid', explanation: 'Payment received. Restoration starts in a moment.' },
  processing: {
    label: 'Restoring',
    explanation: 'Your photos are being restored. This page updates by itself.',
  },
  completed: {
    label: 'Completed',
    explanation: 'Every photo is restored. We have emailed you too.',
  },
  completed_with_errors: {
    label: 'Completed with problems',
    explanation: 'Some photos could not be restored; see each photo below.',
  },
  needs_attention: {
    label: 'Needs attention',
    explanation: 'Something needs a closer look. Our team has been told and will contact you.',
  },
  payment_failed: {
    label: 'Payment failed',
    explanation: 'The payment did not go through, so nothing was restored.',
  },
  expired: {
    label: 'Checkout expired',
    explanation: 'The payment page closed before payment. Nothing was charged.',
  },
  cancelled: { label: 'Cancelled', explanation: 'This order was cancelled.' },
  refunded: { label: 'Refunded', explanation: 'This order was refunded.' },
  partially_refunded: {
    label: 'Partly refunded',
    explanation: 'Part of this order was refunded.',
  },
};

export const IMAGE_STATUS_TEXT: Record<OrderImageStatus, string> = {
  pending: 'Waiting',
  processing: 'Restoring…',
  restored: 'Restored',
  failed: 'Could not be restored',
  purged: 'Deleted',
};
