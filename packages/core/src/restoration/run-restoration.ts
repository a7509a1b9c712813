/**
 * One restoration attempt of one photo (`restoration.run`), and the follow-up of a remote prediction
 * (`restoration.poll`, woken early by the provider's webhook). Both are safe to run twice or at once: every
 * ending goes through the guarded settlements in `settle-restoration.ts`.
 *
 * Failures come in two kinds. A provider that is down or slow (`RestorationRetryableError`, S3 errors, a lost
 * database) throws, and pg-boss retries the same attempt with the queue's backoff. A model that failed or
 * returned something unusable ends the attempt (`failAttempt`), which starts the next one — the same model
 * again or the next of the product option's fallback chain — or fails the photo.
 */
import { createHash } from 'node:crypto';
import type { Database, Kysely } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { recordOrderEvent } from '../orders/order-events';
import { transitionOrder } from '../orders/transition-order';
import { reencodeWithoutMetadata } from '../privacy/image-metadata';
import { restoredKeyFor } from '../storage/keys';
import {
  type AttemptFailureKind,
  providerNamed,
  restorationChainFor,
  type RestorationStep,
} from './fallback-chain';
import { hasRestorationWebhook } from './record-restoration-webhook';
import type { RestorationDeps } from './restoration-deps';
import {
  imageUrlFingerprint,
  type Prediction,
  RestorationPermanentError,
  type RemoteRestorationProvider,
} from './restoration-provider';
import {
  type AttemptContext,
  failAttempt,
  isSettledAttempt,
  loadAttempt,
  recordRestored,
} from './settle-restoration';
import { storeThumbnail } from './thumbnails';
import { RestoredOutputRejectedError, validateRestoredOutput } from './validate-restored-output';

export type RestorationStepResult =
  | { result: 'restored' }
  | { result: 'attempt_failed'; reason: string }
  | { result: 'waiting'; predictionId: string; nextPollAt: Date }
  | { result: 'skipped'; reason: string };

/** Statuses in which an order's photos are still worked on. */
const WORKABLE_ORDER_STATUSES = ['paid', 'processing', 'needs_attention', 'completed_with_errors'];

async function requireAttempt(
  db: Kysely<Database>,
  restorationJobId: string,
): Promise<AttemptContext> {
  const attempt = await loadAttempt(db, restorationJobId);
  if (!attempt) {
    throw new AppError('NOT_FOUND', `Restoration job ${restorationJobId} does not exist.`);
  }
  return attempt;
}

/** Why an attempt should not run at all, or undefined when it should. */
function reasonToSkip({ job, image, order }: AttemptContext): string | undefined {
  if (isSettledAttempt(job)) return `attempt already ${job.status}`;
  if (image.status === 'restored' || image.status === 'failed' || image.status === 'purged') {
    return `photo already ${image.status}`;
  }
  if (!WORKABLE_ORDER_STATUSES.includes(order.status)) return `order is ${order.status}`;
  if (!image.original_key) return 'photo has no original file';
  return undefined;
}

/** The remote provider that made this attempt's prediction, by the name the attempt recorded. */
function remoteProviderOf(
  deps: RestorationDeps,
  attempt: AttemptContext,
): RemoteRestorationProvider | undefined {
  const provider = providerNamed(deps, attempt.job.provider);
  return provider?.kind === 'remote' ? provider : undefined;
}

/**
 * Marks the attempt, its photo and (on the first photo) the order as being worked on; returns the attempt with
 * the provider and model it runs on.
 */
async function markRunning(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  step: RestorationStep,
): Promise<AttemptContext> {
  const now = deps.now?.() ?? new Date();
  return db.transaction().execute(async (trx) => {
    const started = await trx
      .updateTable('restoration_jobs')
      .set((eb) => ({
        status: 'running',
        // The provider that really runs it (fulfilment only knew the api's configuration).
        provider: step.provider.name,
        model: step.model,
        started_at: eb.fn.coalesce('started_at', eb.val(now)),
      }))
      .where('id', '=', attempt.job.id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
    if (!started) return attempt;
    await trx
      .updateTable('order_images')
      .set({ status: 'processing' })
      .where('id', '=', attempt.image.id)
      .where('status', '=', 'pending')
      .execute();
    await transitionOrder(trx, {
      orderId: attempt.order.id,
      from: ['paid', 'completed_with_errors'],
      to: 'processing',
      actor: 'worker',
      eventType: 'restoration.started',
      data: { provider: step.provider.name, model: step.model },
    });
    return { ...attempt, job: started };
  });
}

export async function runRestorationAttempt(
  db: Kysely<Database>,
  deps: RestorationDeps,
  input: { restorationJobId: string },
): Promise<RestorationStepResult> {
  const attempt = await requireAttempt(db, input.restorationJobId);
  const skip = reasonToSkip(attempt);
  if (skip) {
    await cancelUnneededAttempt(db, attempt, skip);
    return { result: 'skipped', reason: skip };
  }
  const predictionProvider = attempt.job.prediction_id
    ? remoteProviderOf(deps, attempt)
    : undefined;
  if (predictionProvider) {
    // A retry after a crash between creating the prediction and finishing: follow the one we have.
    return followPrediction(db, deps, attempt, predictionProvider);
  }
  const chain = restorationChainFor(deps.models, attempt.order.product_option, deps);
  const step = chain[attempt.job.chain_step];
  if (!step) {
    return endAttempt(
      db,
      deps,
      attempt,
      new Error(
        `The model chain of option ${attempt.order.product_option} has no step ${attempt.job.chain_step + 1}.`,
      ),
      'refused',
    );
  }
  const { provider } = step;
  const running = await markRunning(db, deps, attempt, step);
  const originalKey = attempt.image.original_key as string;

  if (provider.kind === 'local') {
    const original = await deps.storage.getBuffer(originalKey);
    if (!attempt.image.thumbnail_key) {
      await storeThumbnail(db, deps.storage, attempt.image, 'original', original);
    }
    let restored;
    try {
      restored = await provider.restore({ image: original, model: step.model });
    } catch (error) {
      // The restorer cannot read the photo: another model may.
      if (error instanceof RestorationPermanentError) {
        return endAttempt(db, deps, running, error, 'refused');
      }
      throw error; // a crash of the restorer itself: pg-boss retries this attempt
    }
    return keepOutput(db, deps, running, restored.image, {
      predictSeconds: restored.seconds,
      costMicros: null,
      details: { steps: restored.steps },
    });
  }

  if (!attempt.image.thumbnail_key) {
    const original = await deps.storage.getBuffer(originalKey);
    await storeThumbnail(db, deps.storage, attempt.image, 'original', original);
  } else {
    // The model fetches the original from our bucket: if that is unreachable, this throws and the job is
    // retried later, rather than the model failing an attempt that our own outage caused.
    await deps.storage.head(originalKey);
  }
  const imageUrl = await deps.storage.presignGet(originalKey, {
    expiresInSeconds: deps.settings.inputUrlExpirySeconds,
  });
  const earlier = await predictionOfInterruptedRequest(running, step, provider);
  if (earlier) {
    return followNewPrediction(
      db,
      deps,
      running,
      { step, provider, imageUrl },
      earlier,
      'recovered',
    );
  }
  // Noted before the request leaves: if this process stops before it saves the answer (or the answer never
  // comes), the retry finds the prediction by this fingerprint instead of paying for another.
  const requested = await db
    .updateTable('restoration_jobs')
    .set({
      prediction_requested_at: deps.now?.() ?? new Date(),
      prediction_input_sha256: imageUrlFingerprint(imageUrl),
    })
    .where('id', '=', running.job.id)
    .where('prediction_id', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!requested) return followSavedPrediction(db, deps, running.job.id);
  let prediction: Prediction;
  try {
    prediction = await provider.createPrediction({
      model: step.model,
      imageUrl,
      imageInputKey: step.imageInputKey,
      extraInput: step.extraInput,
      ...(deps.settings.webhookUrl ? { webhookUrl: deps.settings.webhookUrl } : {}),
    });
  } catch (error) {
    // The provider refused the request itself (4xx): this model would refuse it again; another may not.
    if (error instanceof RestorationPermanentError) {
      return endAttempt(db, deps, running, error, 'refused');
    }
    throw error;
  }
  const request = { step, provider, imageUrl };
  return followNewPrediction(
    db,
    deps,
    { ...running, job: requested },
    request,
    prediction,
    'created',
  );
}

/** How far the provider's clock may be behind ours when we look for a prediction by its creation time. */
const PROVIDER_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The prediction an earlier run of this attempt asked for but never saved, if the provider made it. Undefined
 * when no request was noted, none was made, or the provider cannot list its predictions (then a new one is
 * made, as before).
 */
async function predictionOfInterruptedRequest(
  attempt: AttemptContext,
  step: RestorationStep,
  provider: RemoteRestorationProvider,
): Promise<Prediction | undefined> {
  const { prediction_requested_at: requestedAt, prediction_input_sha256: fingerprint } =
    attempt.job;
  if (!requestedAt || !fingerprint) return undefined;
  try {
    return await provider.findPrediction({
      createdAfter: new Date(requestedAt.getTime() - PROVIDER_CLOCK_SKEW_MS),
      imageInputKey: step.imageInputKey,
      imageUrlSha256: fingerprint,
    });
  } catch (error) {
    if (error instanceof RestorationPermanentError) return undefined;
    throw error; // unreachable or rate limited: retry the job rather than risk a second prediction
  }
}

/**
 * Saves the prediction's id on the attempt (unless another run saved one first) and follows it. A prediction
 * recovered from an interrupted request says so on the order's timeline.
 */
async function followNewPrediction(
  db: Kysely<Database>,
  deps: RestorationDeps,
  running: AttemptContext,
  request: { step: RestorationStep; provider: RemoteRestorationProvider; imageUrl: string },
  prediction: Prediction,
  how: 'created' | 'recovered',
): Promise<RestorationStepResult> {
  const { step, provider } = request;
  const recorded = await db.transaction().execute(async (trx) => {
    const saved = await trx
      .updateTable('restoration_jobs')
      .set({
        provider: provider.name,
        prediction_id: prediction.id,
        model: step.model,
        // What the model was asked, without the presigned URL's signature.
        model_input: JSON.stringify({
          ...step.extraInput,
          [step.imageInputKey]: request.imageUrl.split('?')[0],
        }),
      })
      .where('id', '=', running.job.id)
      .where('prediction_id', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (saved && how === 'recovered') {
      await recordOrderEvent(trx, {
        orderId: running.order.id,
        type: 'restoration.prediction_recovered',
        actor: 'worker',
        data: {
          imageId: running.image.id,
          filename: running.image.original_filename,
          attempt: saved.attempt,
          predictionId: prediction.id,
        },
      });
    }
    return saved;
  });
  if (!recorded) return followSavedPrediction(db, deps, running.job.id);
  const attempt = { ...running, job: recorded };
  // A fast model's webhook can arrive before the id above was saved; it was stored, so ask again now.
  if (await hasRestorationWebhook(db, provider.name, prediction.id)) {
    return followPrediction(db, deps, attempt, provider);
  }
  return settleOrWait(db, deps, attempt, provider, prediction);
}

/** Another run of this attempt saved a prediction first: follow that one. */
async function followSavedPrediction(
  db: Kysely<Database>,
  deps: RestorationDeps,
  restorationJobId: string,
): Promise<RestorationStepResult> {
  const attempt = await requireAttempt(db, restorationJobId);
  const provider = remoteProviderOf(deps, attempt);
  if (!provider || !attempt.job.prediction_id || isSettledAttempt(attempt.job)) {
    return { result: 'skipped', reason: 'another run of this attempt took it over' };
  }
  return followPrediction(db, deps, attempt, provider);
}

/** `restoration.poll`: asks the provider how the prediction is doing and acts on the answer. */
export async function pollRestoration(
  db: Kysely<Database>,
  deps: RestorationDeps,
  input: { restorationJobId: string },
): Promise<RestorationStepResult> {
  const attempt = await requireAttempt(db, input.restorationJobId);
  if (isSettledAttempt(attempt.job)) {
    return { result: 'skipped', reason: `attempt already ${attempt.job.status}` };
  }
  const provider = remoteProviderOf(deps, attempt);
  if (!provider || !attempt.job.prediction_id) {
    return { result: 'skipped', reason: 'no remote prediction to follow' };
  }
  return followPrediction(db, deps, attempt, provider);
}

async function followPrediction(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  provider: RemoteRestorationProvider,
): Promise<RestorationStepResult> {
  const prediction = await provider.getPrediction(attempt.job.prediction_id as string);
  return settleOrWait(db, deps, attempt, provider, prediction);
}

async function settleOrWait(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  provider: RemoteRestorationProvider,
  prediction: Prediction,
): Promise<RestorationStepResult> {
  const details = { predictionStatus: prediction.status };
  switch (prediction.status) {
    case 'succeeded': {
      if (!prediction.outputUrl) {
        return endAttempt(
          db,
          deps,
          attempt,
          new Error('The model finished without an output.'),
          'model_error',
        );
      }
      let output: Buffer;
      try {
        output = await provider.downloadOutput(prediction.outputUrl, {
          maxBytes: deps.settings.outputMaxBytes,
        });
      } catch (error) {
        if (error instanceof RestorationPermanentError) {
          return endAttempt(db, deps, attempt, error, 'model_error');
        }
        throw error;
      }
      const rate = attempt.job.model ? provider.costMicrosPerSecond(attempt.job.model) : undefined;
      return keepOutput(db, deps, attempt, output, {
        predictSeconds: prediction.predictSeconds,
        costMicros:
          rate !== undefined && prediction.predictSeconds !== null
            ? Math.round(rate * prediction.predictSeconds)
            : null,
        details,
      });
    }
    case 'failed':
    case 'canceled':
      return endAttempt(
        db,
        deps,
        attempt,
        new Error(prediction.error ?? `The prediction was ${prediction.status}.`),
        'model_error',
      );
    default:
      return waitForPrediction(db, deps, attempt, provider, prediction);
  }
}

async function waitForPrediction(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  provider: RemoteRestorationProvider,
  prediction: Prediction,
): Promise<RestorationStepResult> {
  const now = deps.now?.() ?? new Date();
  const startedAt = attempt.job.started_at ?? attempt.job.created_at;
  const runningSeconds = (now.getTime() - startedAt.getTime()) / 1000;
  if (runningSeconds > deps.settings.predictionTimeoutSeconds) {
    await provider.cancelPrediction(prediction.id).catch(() => {});
    return endAttempt(
      db,
      deps,
      attempt,
      new Error(`The model did not finish within ${deps.settings.predictionTimeoutSeconds} s.`),
      'timed_out',
    );
  }
  const polls = Number(attempt.job.details.polls ?? 0);
  const delaySeconds = Math.min(
    deps.settings.pollMaxIntervalSeconds,
    deps.settings.pollDelaySeconds * 2 ** polls,
  );
  const nextPollAt = new Date(now.getTime() + delaySeconds * 1000);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('restoration_jobs')
      .set({ details: JSON.stringify({ ...attempt.job.details, polls: polls + 1 }) })
      .where('id', '=', attempt.job.id)
      .execute();
    await deps.jobs.enqueue(
      trx,
      'restoration.poll',
      { restorationJobId: attempt.job.id },
      { startAfter: nextPollAt },
    );
  });
  return { result: 'waiting', predictionId: prediction.id, nextPollAt };
}

async function keepOutput(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  output: Buffer,
  facts: { predictSeconds: number | null; costMicros: number | null; details: object },
): Promise<RestorationStepResult> {
  let validated;
  try {
    validated = await validateRestoredOutput(
      output,
      {
        sha256: attempt.image.checksum_sha256,
        width: attempt.image.width,
        height: attempt.image.height,
      },
      { maxBytes: deps.settings.outputMaxBytes, maxPixels: deps.settings.outputMaxPixels },
    );
  } catch (error) {
    if (error instanceof RestoredOutputRejectedError) {
      return endAttempt(db, deps, attempt, error, 'unusable_output');
    }
    throw error;
  }
  // Every path (the local restorer, a remote model's download) ends here: what we keep, attach and zip carries
  // no GPS position or camera a model may have copied from the original, and is upright.
  const clean = await reencodeWithoutMetadata(output, {
    contentType: validated.contentType,
    maxPixels: deps.settings.outputMaxPixels,
  });
  const kept = clean.reencoded
    ? {
        ...validated,
        bytes: clean.image.length,
        sha256: createHash('sha256').update(clean.image).digest('hex'),
      }
    : validated;
  const key = restoredKeyFor(attempt.order.id, attempt.image.id, kept.contentType);
  await deps.storage.put(key, clean.image, { contentType: kept.contentType });
  await storeThumbnail(db, deps.storage, attempt.image, 'restored', clean.image);
  await recordRestored(db, deps, attempt, {
    key,
    output: kept,
    predictSeconds: facts.predictSeconds,
    costMicros: facts.costMicros,
    details: { ...facts.details, output: { ...kept }, metadataRemoved: clean.reencoded },
  });
  return { result: 'restored' };
}

async function endAttempt(
  db: Kysely<Database>,
  deps: RestorationDeps,
  attempt: AttemptContext,
  error: Error,
  kind: AttemptFailureKind,
): Promise<RestorationStepResult> {
  await failAttempt(db, deps, attempt, { reason: error.message, kind });
  return { result: 'attempt_failed', reason: error.message };
}

/** An attempt that has nothing left to do (photo settled, order refunded) is closed with its reason. */
async function cancelUnneededAttempt(
  db: Kysely<Database>,
  attempt: AttemptContext,
  reason: string,
): Promise<void> {
  if (isSettledAttempt(attempt.job)) return;
  await db.transaction().execute(async (trx) => {
    const cancelled = await trx
      .updateTable('restoration_jobs')
      .set({ status: 'cancelled', error: reason, finished_at: new Date() })
      .where('id', '=', attempt.job.id)
      .where('status', 'in', ['queued', 'running'])
      .returning('id')
      .executeTakeFirst();
    if (!cancelled) return;
    await recordOrderEvent(trx, {
      orderId: attempt.order.id,
      type: 'restoration.attempt_cancelled',
      actor: 'worker',
      data: { imageId: attempt.image.id, attempt: attempt.job.attempt, reason },
    });
  });
}
