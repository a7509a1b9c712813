/** Words and badge tones for the statuses of orders, photos and emails. */
import type {
  AutomaticRefund,
  EmailStatus,
  OrderImage,
  OrderStatus,
  RestorationAttempt,
} from './api-types';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

/** In the order the filter chips show them: the working statuses first, the final ones last. */
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  processing: 'Processing',
  needs_attention: 'Needs attention',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  payment_failed: 'Payment failed',
  expired: 'Expired',
  cancelled: 'Cancelled',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
};

export const ORDER_STATUSES = Object.keys(ORDER_STATUS_LABELS) as OrderStatus[];

export const ORDER_STATUS_TONES: Record<OrderStatus, Tone> = {
  pending_payment: 'neutral',
  paid: 'info',
  processing: 'info',
  needs_attention: 'danger',
  completed: 'success',
  completed_with_errors: 'warning',
  payment_failed: 'danger',
  expired: 'neutral',
  cancelled: 'neutral',
  partially_refunded: 'warning',
  refunded: 'neutral',
};

/** Statuses in which the order changes by itself: its page keeps asking the server. */
export const WORKING_ORDER_STATUSES: readonly OrderStatus[] = ['paid', 'processing'];

export const IMAGE_STATUS_LABELS: Record<OrderImage['status'], string> = {
  pending: 'Waiting',
  processing: 'Restoring',
  restored: 'Restored',
  failed: 'Failed',
  purged: 'Deleted',
};

export const IMAGE_STATUS_TONES: Record<OrderImage['status'], Tone> = {
  pending: 'neutral',
  processing: 'info',
  restored: 'success',
  failed: 'danger',
  purged: 'neutral',
};

export const ATTEMPT_STATUS_LABELS: Record<RestorationAttempt['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Restored',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const ATTEMPT_STATUS_TONES: Record<RestorationAttempt['status'], Tone> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

/** An admin "stops" an automatic refund; the API calls that `cancelled`. */
export const AUTOMATIC_REFUND_STATUS_LABELS: Record<AutomaticRefund['status'], string> = {
  pending: 'Pending',
  issuing: 'Issuing',
  issued: 'Issued',
  cancelled: 'Stopped',
  failed: 'Failed',
};

export const AUTOMATIC_REFUND_STATUS_TONES: Record<AutomaticRefund['status'], Tone> = {
  pending: 'warning',
  issuing: 'info',
  issued: 'success',
  cancelled: 'neutral',
  failed: 'danger',
};

export const EMAIL_STATUS_LABELS: Record<EmailStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const EMAIL_STATUSES = Object.keys(EMAIL_STATUS_LABELS) as EmailStatus[];

export const EMAIL_STATUS_TONES: Record<EmailStatus, Tone> = {
  queued: 'neutral',
  sending: 'info',
  sent: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

/** The kinds of email the system sends; the server accepts any string, these are the ones to filter by. */
export const EMAIL_KIND_LABELS: Record<string, string> = {
  order_confirmation: 'Order confirmation',
  restoration_complete: 'Restoration complete',
  images_refunded: 'Photos refunded',
  share: 'Shared photos',
};

export function emailKindLabel(kind: string): string {
  return EMAIL_KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}
