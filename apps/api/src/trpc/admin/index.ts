/**
 * The admin router, served on its own endpoint (/admin/trpc) so the public SDK never carries admin procedures.
 * Queries are for any signed-in admin user (viewers too); mutations are for admins, and each one writes an
 * audit row. Only `auth.*` and `health` work without a session.
 */
import { router } from '../init';
import { healthProcedure } from '../storefront/health';
import { loginProcedure, logoutProcedure, meProcedure } from './auth';
import { businessSummaryProcedure } from './business';
import { getEmailProcedure, listEmailsProcedure, resendEmailProcedure } from './emails';
import {
  checksProcedure,
  queuesProcedure,
  retryDeadLettersProcedure,
  runCleanupProcedure,
  runReconciliationProcedure,
} from './operations';
import {
  cancelProcedure,
  changeStatusProcedure,
  getOrderProcedure,
  listOrdersProcedure,
  refundProcedure,
  rerunFulfilmentProcedure,
  resendOrderEmailProcedure,
  retryRestorationProcedure,
} from './orders';
import { privacyProcedures } from './privacy';
import {
  automaticRefundsProcedure,
  cancelAutomaticRefundProcedure,
  refundNowProcedure,
} from './recovery';

export const adminRouter = router({
  health: healthProcedure,
  auth: { login: loginProcedure, logout: logoutProcedure, me: meProcedure },
  orders: {
    list: listOrdersProcedure,
    get: getOrderProcedure,
    changeStatus: changeStatusProcedure,
    retryRestoration: retryRestorationProcedure,
    resendEmail: resendOrderEmailProcedure,
    refund: refundProcedure,
    rerunFulfilment: rerunFulfilmentProcedure,
    cancel: cancelProcedure,
  },
  emails: { list: listEmailsProcedure, get: getEmailProcedure, resend: resendEmailProcedure },
  operations: {
    checks: checksProcedure,
    queues: queuesProcedure,
    retryDeadLetters: retryDeadLettersProcedure,
    runReconciliation: runReconciliationProcedure,
    runCleanup: runCleanupProcedure,
  },
  business: { summary: businessSummaryProcedure },
  recovery: {
    automaticRefunds: automaticRefundsProcedure,
    cancelAutomaticRefund: cancelAutomaticRefundProcedure,
    refundNow: refundNowProcedure,
  },
  privacy: privacyProcedures,
});

export type AdminRouter = typeof adminRouter;
