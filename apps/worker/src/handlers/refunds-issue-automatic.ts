/**
 * `refunds.issue-automatic`: issues an order's automatic refunds once their grace period is over (a delayed job
 * queued when the order settled, or at once when an admin hurries them). A refusal by the processor is recorded
 * on the refund for an admin; an unreachable processor throws and the job retries with the same keys.
 */
import { issueDueAutomaticRefunds } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function refundsIssueAutomaticHandler(
  deps: WorkerDependencies,
): JobHandler<'refunds.issue-automatic'> {
  return async ({ orderId }, context) => {
    const run = await issueDueAutomaticRefunds(deps.db, deps.refunds, { orderId });
    const summary = { orderId, ...run, nextDueAt: run.nextDueAt?.toISOString() ?? null };
    if (run.issued || run.failed || run.cancelled)
      context.logger.info(summary, 'automatic refunds');
    else context.logger.debug(summary, 'automatic refunds: nothing due');
    return summary;
  };
}
