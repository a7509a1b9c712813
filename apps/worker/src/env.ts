/** The worker's configuration, read from the environment once at start and validated with zod. */
import { z } from 'zod';
import {
  commerceSettingsSchema,
  nodeEnvSchema,
  parseSettings,
  sharedSettingsSchema,
} from '@restoreclick/core';

function workerSettingsSchema(isProduction: boolean) {
  return sharedSettingsSchema(isProduction)
    .extend(commerceSettingsSchema(isProduction).shape)
    .extend({
      NODE_ENV: nodeEnvSchema,
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
      SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(30),
      WORKER_POLLING_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    });
}

export type WorkerConfig = z.infer<ReturnType<typeof workerSettingsSchema>>;

/** Pure: takes the environment as a record so tests can pass their own. */
export function loadWorkerConfig(source: Record<string, string | undefined>): WorkerConfig {
  return parseSettings(
    workerSettingsSchema(source.NODE_ENV === 'production'),
    source,
    'restoreclick-worker',
  );
}
