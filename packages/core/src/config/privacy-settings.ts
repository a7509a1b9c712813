/**
 * Settings of the photos' lifecycle, shared by the api (the order page and download links say when files go)
 * and the worker (the daily purge deletes them, the completion email announces the date).
 */
import { z } from 'zod';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../privacy/retention';

const days = (fallback: number) => z.coerce.number().int().min(1).max(3650).default(fallback);

export function privacySettingsSchema() {
  return z.object({
    /** Days the uploaded originals (and their previews) are kept after the order finishes. */
    ORIGINALS_RETENTION_DAYS: days(DEFAULT_RETENTION_POLICY.originalsDays),
    /** Days the restored photos (and their previews) are kept after the order finishes. */
    RESTORED_RETENTION_DAYS: days(DEFAULT_RETENTION_POLICY.restoredDays),
  });
}

export type PrivacyEnv = z.infer<ReturnType<typeof privacySettingsSchema>>;

export function retentionPolicyFrom(env: PrivacyEnv): RetentionPolicy {
  return { originalsDays: env.ORIGINALS_RETENTION_DAYS, restoredDays: env.RESTORED_RETENTION_DAYS };
}
