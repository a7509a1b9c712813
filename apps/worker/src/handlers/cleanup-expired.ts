/** `cleanup.temp-uploads` (hourly): removes expired upload sessions and their temporary files. */
import { cleanupExpiredUploads } from '@restoreclick/core';
import type { WorkerDependencies } from '../dependencies';
import type { JobHandler } from '../job-handler';

export function cleanupTempUploadsHandler(
  deps: WorkerDependencies,
): JobHandler<'cleanup.temp-uploads'> {
  return async (_data, context) => {
    const result = await cleanupExpiredUploads(deps.db, deps.fulfilment.storage);
    context.logger.info(result, 'expired uploads cleaned up');
    return result;
  };
}
