/** The worker's configuration, read from the environment once at start and validated with zod. */
import { z } from 'zod';
import {
  commerceSettingsSchema,
  emailSettingsSchema,
  QUEUE_NAMES,
  type QueueName,
  nodeEnvSchema,
  parseSettings,
  privacySettingsSchema,
  recoverySettingsSchema,
  restorationSettingsSchema,
  sharedSettingsSchema,
} from '@restoreclick/core';

const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const queueConcurrency = z.string().transform((value, context) => {
  const overrides: Partial<Record<QueueName, number>> = {};
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, count] = entry.split('=').map((part) => part.trim());
    const parsed = Number(count);
    if (
      !name ||
      !QUEUE_NAMES.includes(name as QueueName) ||
      !Number.isInteger(parsed) ||
      parsed < 1
    ) {
      context.addIssue({
        code: 'custom',
        message: `has "${entry}"; use queue=count with a queue of ${QUEUE_NAMES.join(', ')}`,
      });
      return z.NEVER;
    }
    overrides[name as QueueName] = parsed;
  }
  return overrides;
});

function workerSettingsSchema(isProduction: boolean) {
  return sharedSettingsSchema(isProduction)
    .extend(commerceSettingsSchema(isProduction).shape)
    .extend(restorationSettingsSchema().shape)
    .extend(emailSettingsSchema(isProduction).shape)
    .extend(recoverySettingsSchema().shape)
    .extend(privacySettingsSchema().shape)
    .extend({
      NODE_ENV: nodeEnvSchema,
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
      SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(30),
      WORKER_POLLING_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
      /** `false` starts the process (health port, cron schedules) without consuming any queue. */
      AUTO_START_WORKERS: booleanSetting.default(true),
      /** Per-queue overrides of WORKER_CONCURRENCY: `restoration.run=1,email.send=8`. */
      QUEUE_CONCURRENCY: queueConcurrency.default({}),
      /** The worker's health endpoint (pg-boss state, queue depths); 0 turns it off. */
      WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
      WORKER_HEALTH_HOST: z.string().min(1).default('127.0.0.1'),
      /** Public base URL of the API: where Replicate sends its webhooks. Unset: polling only. */
      PUBLIC_URL: z.url().optional(),
      /** How long processed webhook events and expired download links are kept. */
      CLEANUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
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
