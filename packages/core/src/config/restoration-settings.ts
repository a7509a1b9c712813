/**
 * Settings of restoration, shared by the worker (which runs it) and the api (which receives Replicate's
 * webhooks). Without `REPLICATE_API_TOKEN` the worker restores on the machine with the local restorer.
 */
import { z } from 'zod';
import { DEFAULT_RESTORATION_MODELS, ZRestorationModels } from '../restoration/restoration-models';
import {
  DEFAULT_RESTORATION_SETTINGS,
  type RestorationSettings,
} from '../restoration/restoration-deps';
import { jsonSetting } from './json-setting';

const seconds = (fallback: number, max: number) =>
  z.coerce.number().min(0).max(max).default(fallback);

export function restorationSettingsSchema() {
  return z.object({
    REPLICATE_API_TOKEN: z.string().min(1).optional(),
    /** Only for a Replicate-compatible server other than api.replicate.com (tests, a proxy). */
    REPLICATE_API_URL: z.url().optional(),
    /** Replicate's webhook signing secret (`GET /v1/webhooks/default/secret`). */
    REPLICATE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_').optional(),
    RESTORATION_MODELS: jsonSetting(
      ZRestorationModels,
      '{"default":{"model":"owner/name","imageInputKey":"image"}}',
    ).default(DEFAULT_RESTORATION_MODELS),
    /** Price of a second of prediction time per model, in millionths of a dollar: {"owner/name": 1400}. */
    REPLICATE_COST_MICROS_PER_SECOND: jsonSetting(
      z.record(z.string(), z.number().min(0)),
      '{"owner/name":1400}',
    ).default({}),
    MAX_RESTORATION_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    RESTORATION_RETRY_DELAY_SECONDS: seconds(DEFAULT_RESTORATION_SETTINGS.retryDelaySeconds, 3600),
    RESTORATION_POLL_DELAY_SECONDS: seconds(DEFAULT_RESTORATION_SETTINGS.pollDelaySeconds, 600),
    RESTORATION_TIMEOUT_SECONDS: seconds(
      DEFAULT_RESTORATION_SETTINGS.predictionTimeoutSeconds,
      24 * 3600,
    ),
    LOCAL_RESTORER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  });
}

export type RestorationEnv = z.infer<ReturnType<typeof restorationSettingsSchema>>;

/** The service's settings from the env, with the webhook URL when the API has a public address. */
export function restorationSettingsFrom(
  env: RestorationEnv,
  publicUrl: string | undefined,
): RestorationSettings {
  return {
    ...DEFAULT_RESTORATION_SETTINGS,
    maxAttempts: env.MAX_RESTORATION_ATTEMPTS,
    retryDelaySeconds: env.RESTORATION_RETRY_DELAY_SECONDS,
    pollDelaySeconds: env.RESTORATION_POLL_DELAY_SECONDS,
    predictionTimeoutSeconds: env.RESTORATION_TIMEOUT_SECONDS,
    ...(publicUrl ? { webhookUrl: `${publicUrl.replace(/\/+$/, '')}/webhooks/replicate` } : {}),
  };
}

export function restorationProviderName(
  settings: Pick<RestorationEnv, 'REPLICATE_API_TOKEN'>,
): 'replicate' | 'local' {
  return settings.REPLICATE_API_TOKEN ? 'replicate' : 'local';
}
