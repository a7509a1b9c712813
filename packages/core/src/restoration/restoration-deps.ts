/** What the restoration service needs: the provider, storage, the job queue and its limits. */
import type { JobQueue } from '../jobs/job-queue';
import type { ObjectStore } from '../storage/object-store';
import type { RestorationModels } from './restoration-models';
import type { RestorationProvider } from './restoration-provider';

export interface RestorationSettings {
  /** Model attempts per photo before it is failed for good (`MAX_RESTORATION_ATTEMPTS`). */
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

export interface RestorationDeps {
  provider: RestorationProvider;
  storage: ObjectStore;
  jobs: JobQueue;
  models: RestorationModels;
  settings: RestorationSettings;
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
