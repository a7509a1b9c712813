/** `privacy.purge-expired` (daily): deletes the files whose retention period is over, as of now. */
import { purgeExpiredPhotos } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function privacyPurgeExpiredHandler(
  deps: WorkerDependencies,
): JobHandler<'privacy.purge-expired'> {
  return async (_data, context) => {
    const result = await purgeExpiredPhotos(deps.db, deps.photoPurge, { now: new Date() });
    context.logger.info(result, 'expired photos purged');
    return result;
  };
}
