/** `cleanup.expired` (hourly): expired upload sessions and their files, expired download links, old webhook events. */
import { cleanupExpiredRecords, cleanupExpiredUploads } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function cleanupExpiredHandler(deps: WorkerDependencies): JobHandler<'cleanup.expired'> {
  return async (_data, context) => {
    const uploads = await cleanupExpiredUploads(deps.db, deps.fulfilment.storage);
    const records = await cleanupExpiredRecords(deps.db, {
      retentionDays: deps.cleanupRetentionDays,
    });
    const result = { ...uploads, ...records };
    context.logger.info(result, 'expired data cleaned up');
    return result;
  };
}
