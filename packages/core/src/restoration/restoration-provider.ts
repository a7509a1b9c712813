/**
 * What our restoration service needs from a model host. Two shapes: a remote prediction API (Replicate, and
 * the local Replicate-compatible server in tests), which works asynchronously and calls back by webhook, and a
 * local restorer that takes bytes and gives bytes back. The service handles both; the composition root picks one.
 */
import { createHash } from 'node:crypto';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface Prediction {
  id: string;
  status: PredictionStatus;
  /** Where the restored image can be downloaded once `succeeded` (Replicate deletes it after an hour). */
  outputUrl: string | null;
  /** The provider's own words when `failed`. */
  error: string | null;
  /** Seconds the model ran, as the provider reports it (billing basis). */
  predictSeconds: number | null;
  createdAt: Date | null;
  completedAt: Date | null;
}

export interface CreatePredictionInput {
  /** `owner/name` or `owner/name:version`. */
  model: string;
  /** A presigned URL of the original photo: never the bytes themselves. */
  imageUrl: string;
  /** The model's input field that takes the photo (`image`, `img`, `input_image`…); `image` when omitted. */
  imageInputKey?: string;
  /** Further model inputs from config (scale, fidelity…). */
  extraInput?: Record<string, unknown>;
  /** Where the provider should POST the finished prediction; omitted when we have no public URL. */
  webhookUrl?: string;
}

export interface FindPredictionInput {
  /** Only predictions created at or after this time (allow for the two clocks' skew). */
  createdAfter: Date;
  /** The input field that carried the photo URL. */
  imageInputKey: string;
  /** SHA-256 (hex) of the photo URL that was sent. */
  imageUrlSha256: string;
}

/** What `FindPredictionInput.imageUrlSha256` holds: SHA-256 (hex) of the photo URL as it was sent. */
export function imageUrlFingerprint(imageUrl: string): string {
  return createHash('sha256').update(imageUrl, 'utf8').digest('hex');
}

export interface RemoteRestorationProvider {
  readonly kind: 'remote';
  /** Stored on `restoration_jobs.provider`: `replicate`. */
  readonly name: string;
  createPrediction(input: CreatePredictionInput): Promise<Prediction>;
  getPrediction(predictionId: string): Promise<Prediction>;
  /**
   * A recent prediction whose photo URL has this fingerprint, if the provider still lists it: how a retry finds
   * the prediction its interrupted attempt asked for (the process stopped, or the answer never arrived).
   */
  findPrediction(input: FindPredictionInput): Promise<Prediction | undefined>;
  cancelPrediction(predictionId: string): Promise<void>;
  /** Fetches a finished prediction's output, bounded in size. */
  downloadOutput(outputUrl: string, options: { maxBytes: number }): Promise<Buffer>;
  /**
   * The provider's price per second of prediction time, in millionths of a US dollar, for the cost column.
   * Undefined when unknown.
   */
  costMicrosPerSecond(model: string): number | undefined;
}

export interface LocalRestorationResult {
  image: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  seconds: number;
  /** What the pipeline did, in order (`denoise`, `esrgan-2x`, …), for the admin's timeline. */
  steps: string[];
}

export interface LocalRestorationProvider {
  readonly kind: 'local';
  /** Stored on `restoration_jobs.provider`: `local`. */
  readonly name: string;
  restore(input: { image: Buffer; model: string }): Promise<LocalRestorationResult>;
}

export type RestorationProvider = RemoteRestorationProvider | LocalRestorationProvider;

/**
 * The provider refused the request (4xx), the prediction failed, or its output is unusable: another attempt
 * may still succeed (a new prediction), but retrying the same HTTP call will not.
 */
export class RestorationPermanentError extends Error {
  override name = 'RestorationPermanentError';
}

/** The provider was unreachable, timed out, rate limited us or answered 5xx: the same call may succeed later. */
export class RestorationRetryableError extends Error {
  override name = 'RestorationRetryableError';

  constructor(
    message: string,
    /** How long the provider asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
