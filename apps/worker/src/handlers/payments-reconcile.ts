/** `payments.reconcile` (every 10 minutes): fulfils paid checkout sessions whose webhook never came. */
import { reconcilePayments } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function paymentsReconcileHandler(
  deps: WorkerDependencies,
): JobHandler<'payments.reconcile'> {
  return async ({ lookbackHours }, context) => {
    const result = await reconcilePayments(deps.db, deps.fulfilment, {
      lookbackHours: lookbackHours ?? deps.reconcileLookbackHours,
    });
    const summary = {
      checked: result.checked,
      fulfilled: result.fulfilled.length,
      failed: result.failed.length,
    };
    if (result.fulfilled.length || result.failed.length)
      context.logger.warn({ ...result }, 'reconciliation acted');
    else context.logger.info(summary, 'reconciliation found nothing to do');
    return summary;
  };
}
