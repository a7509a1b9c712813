/**
 * `restoration.run` and `restoration.poll`. A missing attempt row cannot be fixed by retrying (dead-letter);
 * a provider or storage outage throws and is retried with the queue's backoff.
 */
import { AppError, pollRestoration, runRestorationAttempt } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import { type JobHandler, PermanentJobError } from '../job-handler';

async function permanentWhenMissing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw new PermanentJobError(error.message, { cause: error });
    }
    throw error;
  }
}

export function restorationRunHandler(deps: WorkerDependencies): JobHandler<'restoration.run'> {
  return async ({ restorationJobId }, context) => {
    const outcome = await permanentWhenMissing(() =>
      runRestorationAttempt(deps.db, deps.restoration, { restorationJobId }),
    );
    context.logger.info({ restorationJobId, ...outcome }, 'restoration attempt');
    return outcome;
  };
}

export function restorationPollHandler(deps: WorkerDependencies): JobHandler<'restoration.poll'> {
  return async ({ restorationJobId }, context) => {
    const outcome = await permanentWhenMissing(() =>
      pollRestoration(deps.db, deps.restoration, { restorationJobId }),
    );
    context.logger.debug({ restorationJobId, ...outcome }, 'restoration poll');
    return outcome;
  };
}
