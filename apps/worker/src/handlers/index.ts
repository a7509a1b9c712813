/** Which handler serves which queue. Queues without a handler here are not consumed by this worker. */
import type { WorkerDependencies } from '../dependencies';
import type { JobHandlers } from '../job-handler';
import { cleanupTempUploadsHandler } from './cleanup-temp-uploads';
import { paymentsReconcileHandler } from './payments-reconcile';
import { stripeEventHandler } from './stripe-event';
import { handleSystemPing } from './system-ping';

export function createHandlers(deps: WorkerDependencies): JobHandlers {
  return {
    'system.ping': handleSystemPing,
    'stripe.event': stripeEventHandler(deps),
    'payments.reconcile': paymentsReconcileHandler(deps),
    'cleanup.temp-uploads': cleanupTempUploadsHandler(deps),
  };
}
