/** What the restoration service needs: the providers, storage, the job queue and its limits. */
import type { JobQueue } from '../jobs/job-queue';
import type { AutomaticRefundPolicy } from '../payments/automatic-refund-policy';
import type { ObjectStore } from '../storage/object-store';
import type { RestorationProviders } from './fallback-chain';
import type { RestorationModels } from './restoration-models';

export interface RestorationSettings {
  /**
   * Attempts per model of the fallback chain (`MAX_RESTORATION_ATTEMPTS`); after the last model's, the photo
   * fails for good.
   */
  maxAttempts: number;
  /** Delay before attempt n+1 is `retryDelaySeconds × 2^(n-1)`. */
  retryDelaySeconds: number;
  /** First poll of a remote prediction; later polls back off ×2 up to `pollMaxIntervalSeconds`. */
  pollDelaySeconds: number;
  pollMaxIntervalSeconds: number;
  /** A prediction still running after this long is cancelled and the attempt failed. */
  predictionTimeoutSeconds: number;
  /** Lifetime of the presigned URL the provider fetches the photo from. */
  inputUrlExpirySeconds: number;
  outputMaxBytes: number;
  outputMaxPixels: number;
  /** `POST` target for provider webhooks; undefined when the API has no public URL. */
  webhookUrl?: string;
}

export interface RestorationDeps extends RestorationProviders {
  storage: ObjectStore;
  jobs: JobQueue;
  models: RestorationModels;
  settings: RestorationSettings;
  /** Refunds of photos no model could restore; none are scheduled when absent or disabled. */
  automaticRefunds?: AutomaticRefundPolicy;
  now?: () => Date;
}

export const DEFAULT_RESTORATION_SETTINGS: RestorationSettings = {
  maxAttempts: 3,
  retryDelaySeconds: 30,
  pollDelaySeconds: 5,
  pollMaxIntervalSeconds: 60,
  predictionTimeoutSeconds: 15 * 60,
  inputUrlExpirySeconds: 60 * 60,
  outputMaxBytes: 100 * 1024 * 1024,
  outputMaxPixels: 200_000_000,
};
