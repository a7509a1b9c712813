/**
 * A local prediction's life: created `starting` with the outcome a test chose, then run in the background
 * (`processing` → `succeeded`, `failed` or `canceled`), with a `completed` webhook when it ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { LocalStripeLogger as Logger } from '../stripe/logger';
import type { WebhookDelivery } from './delivery';
import { ReplicateApiError } from './errors';
import {
  contentTypeOf,
  downloadInput,
  findImageUrl,
  ModelRunError,
  restoreImage,
  restoreImageKeepingMetadata,
  withoutQuery,
} from './model-run';
import type { LocalReplicateOutcome, OutcomeRules } from './outcomes';
import {
  isFinal,
  type OutputFile,
  type PredictionObject,
  type PredictionRecord,
  type PredictionStatus,
  type PredictionStore,
  type WebhookEvent,
} from './store';

export interface ModelLimits {
  maxInputBytes: number;
  inputTimeoutMs: number;
  maxInputPixels: number;
}

export interface ReplicateContext {
  store: PredictionStore;
  outcomes: OutcomeRules;
  delivery: WebhookDelivery;
  /** Base of the URLs in predictions (`urls.get`, outputs); known once the server listens. */
  publicUrl(): string;
  limits: ModelLimits;
  /** Predictions per page of `GET /v1/predictions` (Replicate's is 100). */
  listPageSize: number;
  logger: Logger;
}

export interface CreatePredictionRequest {
  /** `owner/name`. */
  model: string;
  version: string;
  input: Record<string, unknown>;
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
}

const DEFAULT_FAILURE = 'The local Replicate server was told to fail this prediction.';
const NOT_AN_IMAGE = 'This is not an image: the local Replicate server was told to answer text.\n';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 26 lowercase characters, like Replicate's prediction ids. */
function newPredictionId(): string {
  return [...randomBytes(26)].map((byte) => BASE32[byte % 32]).join('');
}

/** A stable stand-in for the version a model endpoint runs: 64 hex characters, as Replicate's are. */
export function versionOf(model: string): string {
  return createHash('sha256').update(`local-replicate:${model}`).digest('hex');
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  402: 'Payment required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  422: 'Input validation failed',
  429: 'Request was throttled',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

function httpError(outcome: Extract<LocalReplicateOutcome, { kind: 'http-error' }>) {
  return new ReplicateApiError({
    status: outcome.status,
    title: STATUS_TITLES[outcome.status] ?? 'Error',
    detail:
      outcome.detail ??
      `The local Replicate server was told to answer ${outcome.status} to this request.`,
    headers:
      outcome.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(outcome.retryAfterSeconds) },
  });
}

function appendLog(prediction: PredictionObject, line: string): void {
  prediction.logs += `${line}\n`;
}

/** Sends the prediction as it is now, when it has a webhook that wants this event. */
function publish(context: ReplicateContext, record: PredictionRecord, event: WebhookEvent): void {
  const { webhook, webhook_events_filter: filter } = record.prediction;
  if (!webhook || (filter && !filter.includes(event))) return;
  if (event === 'completed' && record.outcome.kind === 'no-webhook') return;
  context.delivery.publish({
    predictionId: record.prediction.id,
    event,
    url: webhook,
    body: JSON.stringify(record.prediction),
  });
}

function finish(
  context: ReplicateContext,
  record: PredictionRecord,
  result: {
    status: Exclude<PredictionStatus, 'starting' | 'processing'>;
    output?: string | string[];
    error?: string;
  },
): void {
  const { prediction } = record;
  if (isFinal(prediction.status)) return;
  const now = Date.now();
  prediction.status = result.status;
  prediction.output = result.output ?? null;
  prediction.error = result.error ?? null;
  prediction.completed_at = new Date(now).toISOString();
  prediction.metrics = {
    ...(prediction.started_at
      ? { predict_time: (now - Date.parse(prediction.started_at)) / 1000 }
      : {}),
    total_time: (now - Date.parse(prediction.created_at)) / 1000,
  };
  appendLog(prediction, result.error ?? `Prediction ${result.status}.`);
  context.logger.info(
    { predictionId: prediction.id, status: prediction.status },
    'local Replicate prediction finished',
  );
  record.markSettled();
  publish(context, record, 'completed');
}

async function makeOutput(
  outcome: LocalReplicateOutcome,
  image: Buffer,
  limits: ModelLimits,
): Promise<Omit<OutputFile, 'gone'>> {
  if (outcome.kind === 'not-an-image') {
    return { body: Buffer.from(NOT_AN_IMAGE, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  }
  if (outcome.kind === 'identical-output') {
    return { body: image, contentType: await contentTypeOf(image, limits.maxInputPixels) };
  }
  if (outcome.kind === 'succeed' && outcome.keepMetadata) {
    return {
      body: await restoreImageKeepingMetadata(image, limits.maxInputPixels),
      contentType: 'image/jpeg',
    };
  }
  return { body: await restoreImage(image, limits.maxInputPixels), contentType: 'image/png' };
}

async function run(context: ReplicateContext, record: PredictionRecord): Promise<void> {
  const { prediction, outcome } = record;
  const { signal } = record.abort;
  if (signal.aborted) return;
  prediction.status = 'processing';
  prediction.started_at = new Date().toISOString();
  appendLog(prediction, 'Starting the local restoration model.');
  publish(context, record, 'start');
  try {
    const imageUrl = findImageUrl(prediction.input);
    if (!imageUrl) throw new ModelRunError('No input field holds an image URL.');
    appendLog(prediction, `Downloading ${withoutQuery(imageUrl)}.`);
    const image = await downloadInput(imageUrl, {
      maxBytes: context.limits.maxInputBytes,
      timeoutMs: context.limits.inputTimeoutMs,
      signal,
    });
    if (outcome.kind === 'slow') await delay(outcome.processingMs, undefined, { signal });
    if (outcome.kind === 'fail') {
      finish(context, record, { status: 'failed', error: outcome.error ?? DEFAULT_FAILURE });
      return;
    }
    const output = await makeOutput(outcome, image, context.limits);
    if (signal.aborted) return;
    record.output = { ...output, gone: outcome.kind === 'output-gone' };
    const outputUrl = `${context.publicUrl()}/files/${prediction.id}/output.png`;
    const asList = outcome.kind === 'succeed' && outcome.outputAsList === true;
    finish(context, record, { status: 'succeeded', output: asList ? [outputUrl] : outputUrl });
  } catch (error) {
    // Cancelled, reset or stopped: whoever aborted has already recorded how it ended.
    if (signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    finish(context, record, { status: 'failed', error: message });
  }
}

/** Makes the prediction and starts it, or throws the HTTP error the test asked for. */
export function createPrediction(
  context: ReplicateContext,
  request: CreatePredictionRequest,
): PredictionRecord {
  const outcome = context.outcomes.next(request.model, request.version);
  if (outcome.kind === 'http-error') throw httpError(outcome);
  const id = newPredictionId();
  const base = context.publicUrl();
  const prediction: PredictionObject = {
    id,
    model: request.model,
    version: request.version,
    input: request.input,
    output: null,
    error: null,
    status: 'starting',
    logs: '',
    metrics: {},
    source: 'api',
    data_removed: false,
    ...(request.webhook ? { webhook: request.webhook } : {}),
    ...(request.webhook_events_filter
      ? { webhook_events_filter: request.webhook_events_filter }
      : {}),
    created_at: new Date().toISOString(),
    started_at: null,
    completed_at: null,
    urls: {
      get: `${base}/v1/predictions/${id}`,
      cancel: `${base}/v1/predictions/${id}/cancel`,
    },
  };
  const record = context.store.add(prediction, outcome);
  // After the create call has answered `starting`, as Replicate's queue would.
  setImmediate(() => {
    run(context, record).catch((error: unknown) =>
      context.logger.error({ predictionId: id, err: error }, 'a local prediction crashed'),
    );
  });
  return record;
}

/** Cancels a prediction still running; a finished one is answered as it is, as Replicate does. */
export function cancelPrediction(
  context: ReplicateContext,
  predictionId: string,
): PredictionRecord {
  const record = context.store.get(predictionId);
  if (!isFinal(record.prediction.status)) {
    record.abort.abort(new Error('The prediction was canceled.'));
    finish(context, record, { status: 'canceled' });
  }
  return record;
}
