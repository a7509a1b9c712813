/** What the automatic-refunds panel says about a refund and about the outcome of an admin's action on it. */
import type { AutomaticRefund } from '../api-types';
import { formatMoney } from '../format';

/**
 * The amount to show, or null when the server has not worked it out: it fixes the amount once the refund is
 * being issued and estimates it for pending ones only (a stopped one is worked out again if it is issued).
 */
export function knownAmount(refund: AutomaticRefund): number | null {
  return refund.amountFixed || refund.status === 'pending' ? refund.amount : null;
}

/** `admin:<id>` → "an admin"; `worker` and `system` → "the system" (a restored photo, a script). */
export function decidedByWords(decidedBy: string | null): string | null {
  if (!decidedBy) return null;
  return decidedBy.startsWith('admin:') ? 'an admin' : 'the system';
}

/** The line after "Stop refund" succeeded. */
export function describeStopped(refunds: readonly AutomaticRefund[], imageId?: string): string {
  const stopped = refunds.find((refund) => refund.imageId === imageId);
  return stopped
    ? `The automatic refund of ${stopped.filename} is stopped.`
    : 'The automatic refunds are stopped.';
}

/**
 * The line after "Refund now": what went back through Stripe, or why nothing did yet (Stripe could not be
 * reached and the worker finishes it, or the photo no longer needed a refund).
 */
export function describeRefundNow(
  result: { issued: number; amountIssued: number; refunds: readonly AutomaticRefund[] },
  currency: string,
  imageId?: string,
): string {
  const refund = result.refunds.find((candidate) => candidate.imageId === imageId);
  const photo = refund?.filename ?? 'the photo';
  if (result.issued > 0) {
    const money = formatMoney(result.amountIssued, currency);
    return `Refunded ${money} for ${photo} through Stripe. The order’s payment changes when Stripe confirms it.`;
  }
  switch (refund?.status) {
    case 'issuing':
    case 'pending':
      return `Stripe could not be reached: the refund of ${photo} goes out within a minute or so.`;
    case 'cancelled':
      return `${photo} was not refunded: ${refund.cancelReason ?? 'its refund was stopped'}`;
    case 'failed':
      return `The refund of ${photo} failed: ${refund.error ?? 'Stripe refused it'}`;
    default:
      return `Nothing was refunded for ${photo}.`;
  }
}
