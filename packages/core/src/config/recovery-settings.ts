/**
 * Settings of failure recovery, read by the worker: automatic refunds of photos no model could restore, and
 * the stuck-order sweeper. Minutes may be fractional (tests use seconds' worth).
 */
import { z } from 'zod';
import type { AutomaticRefundPolicy } from '../payments/automatic-refund-policy';
import { DEFAULT_RECOVERY_SETTINGS, type RecoverySettings } from '../recovery/sweep-stuck-orders';

const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export function recoverySettingsSchema() {
  return z.object({
    /** Refund a photo no model could restore, after the grace period, unless an admin stops it. */
    AUTO_REFUND_FAILED_IMAGES: booleanSetting.default(true),
    /** How long an admin has to stop or hurry an automatic refund. */
    AUTO_REFUND_GRACE_MINUTES: z.coerce
      .number()
      .min(0)
      .max(7 * 24 * 60)
      .default(60),
    /** An unsettled paid order with no queued or running job and no progress for this long is driven again. */
    STUCK_ORDER_MINUTES: z.coerce
      .number()
      .min(0)
      .max(24 * 60)
      .default(DEFAULT_RECOVERY_SETTINGS.stuckOrderSeconds / 60),
    /** A remote prediction running longer than this is polled by the sweeper even if no poll is due. */
    PREDICTION_EXPECTED_SECONDS: z.coerce
      .number()
      .min(0)
      .max(24 * 3600)
      .default(DEFAULT_RECOVERY_SETTINGS.predictionExpectedSeconds),
  });
}

export type RecoveryEnv = z.infer<ReturnType<typeof recoverySettingsSchema>>;

export function automaticRefundPolicyFrom(env: RecoveryEnv): AutomaticRefundPolicy {
  return {
    enabled: env.AUTO_REFUND_FAILED_IMAGES,
    graceSeconds: Math.round(env.AUTO_REFUND_GRACE_MINUTES * 60),
  };
}

export function recoverySettingsFrom(
  env: RecoveryEnv,
  restoration: { pollMaxIntervalSeconds: number },
): RecoverySettings {
  return {
    ...DEFAULT_RECOVERY_SETTINGS,
    stuckOrderSeconds: Math.round(env.STUCK_ORDER_MINUTES * 60),
    predictionExpectedSeconds: env.PREDICTION_EXPECTED_SECONDS,
    pollMaxIntervalSeconds: restoration.pollMaxIntervalSeconds,
  };
}
