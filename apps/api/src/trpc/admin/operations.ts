/** `operations.*`: service checks and queue health (viewers); dead-letter retries and run-now levers (admins). */
import { z } from 'zod';
import {
  type AdminQueueStats,
  checkServices,
  collectAdminQueueStats,
  QUEUE_NAMES,
  retryDeadLetters,
  runScheduledJobNow,
  type ServiceCheck,
} from '@restoreclick/core';
import { adminProcedure, viewerProcedure } from '../admin-procedures';

export const checksProcedure = viewerProcedure.query(({ ctx }): Promise<ServiceCheck[]> =>
  checkServices(ctx.deps.admin.probes, { timeoutMs: ctx.deps.admin.checkTimeoutMs }),
);

export const queuesProcedure = viewerProcedure.query(({ ctx }): Promise<AdminQueueStats[]> =>
  collectAdminQueueStats(ctx.deps.db),
);

export const ZRetryDeadLettersInput = z.object({
  queue: z.enum(QUEUE_NAMES, { error: `queue must be one of ${QUEUE_NAMES.join(', ')}` }),
});

export const retryDeadLettersProcedure = adminProcedure
  .input(ZRetryDeadLettersInput)
  .mutation(({ ctx, input }): Promise<{ retried: number }> =>
    retryDeadLetters(
      ctx.deps.db,
      { jobs: ctx.deps.jobs, restorationProvider: ctx.deps.fulfilment.restorationProvider },
      { admin: ctx.actor, queue: input.queue },
    ),
  );

export const ZNoInput = z.object({}).optional();

export const runReconciliationProcedure = adminProcedure
  .input(ZNoInput)
  .mutation(({ ctx }): Promise<{ jobId: string }> =>
    runScheduledJobNow(ctx.deps.db, ctx.deps, { admin: ctx.actor, queue: 'payments.reconcile' }),
  );

export const runCleanupProcedure = adminProcedure
  .input(ZNoInput)
  .mutation(({ ctx }): Promise<{ jobId: string }> =>
    runScheduledJobNow(ctx.deps.db, ctx.deps, { admin: ctx.actor, queue: 'cleanup.expired' }),
  );
