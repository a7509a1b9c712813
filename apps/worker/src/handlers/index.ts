/** Which handler serves which queue. Queues without a handler here are not consumed by this worker. */
import type { WorkerDependencies } from '../dependencies';
import type { JobHandlers } from '../job-handler';
import { cleanupExpiredHandler } from './cleanup-expired';
import { emailSendHandler } from './email-send';
import { ordersSweepStuckHandler } from './orders-sweep-stuck';
import { paymentsReconcileHandler } from './payments-reconcile';
import { privacyPurgeExpiredHandler } from './privacy-purge-expired';
import { refundsIssueAutomaticHandler } from './refunds-issue-automatic';
import { restorationPollHandler, restorationRunHandler } from './restoration';
import { stripeEventHandler } from './stripe-event';
import { handleSystemPing } from './system-ping';

export function createHandlers(deps: WorkerDependencies): JobHandlers {
  return {
    'system.ping': handleSystemPing,
    'stripe.event': stripeEventHandler(deps),
    'restoration.run': restorationRunHandler(deps),
    'restoration.poll': restorationPollHandler(deps),
    'email.send': emailSendHandler(deps),
    'payments.reconcile': paymentsReconcileHandler(deps),
    'cleanup.expired': cleanupExpiredHandler(deps),
    'refunds.issue-automatic': refundsIssueAutomaticHandler(deps),
    'orders.sweep-stuck': ordersSweepStuckHandler(deps),
    'privacy.purge-expired': privacyPurgeExpiredHandler(deps),
  };
}
