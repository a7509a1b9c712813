/**
 * What tests drive the local Replicate server with: how the next predictions (or every prediction of a
 * model) end, what was created, waiting for a prediction to settle, expiring outputs, and webhook deliveries.
 * The same controls are served over HTTP under `/_local/…` (see `control-routes.ts`).
 */
import { z } from 'zod';
import type { DeliveryAttempt, WebhookDelivery } from './delivery';
import { notFound } from './errors';
import { type LocalReplicateOutcome, type OutcomeRules, ZLocalReplicateOutcome } from './outcomes';
import { isFinal, type PredictionObject, type PredictionStore } from './store';

export interface WaitForSettledOptions {
  /** How long to wait before failing (default 10 s). */
  timeoutMs?: number;
}

export interface LocalReplicateControls {
  /** The next `times` predictions (default 1) end this way, before any per-model rule. */
  queueOutcome(outcome: LocalReplicateOutcome, options?: { times?: number }): void;
  /** Every prediction of `model` (`owner/name`, or a version id) ends this way; undefined removes the rule. */
  setModelOutcome(model: string, outcome: LocalReplicateOutcome | undefined): void;
  /** Every prediction created so far, oldest first, with its input, as the API would answer it now. */
  predictions(): PredictionObject[];
  /** Resolves with the prediction once it is `succeeded`, `failed` or `canceled`. */
  waitForSettled(predictionId: string, options?: WaitForSettledOptions): Promise<PredictionObject>;
  /** The prediction's output URL answers 404 from now on, as Replicate's do an hour later. */
  expireOutput(predictionId: string): void;
  /** Every webhook delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  /** Resolves when no webhook delivery is in flight or waiting for a retry. */
  deliveriesIdle(): Promise<void>;
  /** Stops running predictions and forgets predictions, outputs, outcome rules and deliveries. */
  reset(): void;
}

const DEFAULT_SETTLE_TIMEOUT_MS = 10_000;

export function createControls(deps: {
  store: PredictionStore;
  outcomes: OutcomeRules;
  delivery: WebhookDelivery;
}): LocalReplicateControls {
  const { store, outcomes, delivery } = deps;
  const snapshot = (prediction: PredictionObject): PredictionObject => structuredClone(prediction);

  return {
    queueOutcome(outcome, options = {}) {
      const times = z
        .number()
        .int()
        .min(1)
        .max(1000)
        .parse(options.times ?? 1);
      outcomes.queue(ZLocalReplicateOutcome.parse(outcome), times);
    },
    setModelOutcome(model, outcome) {
      outcomes.setForModel(model, outcome && ZLocalReplicateOutcome.parse(outcome));
    },
    predictions: () => store.all().map((record) => snapshot(record.prediction)),
    async waitForSettled(predictionId, options = {}) {
      const record = store.get(predictionId);
      const timeoutMs = options.timeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), timeoutMs);
      });
      const result = await Promise.race([record.settled, timedOut]);
      clearTimeout(timer);
      if (result === 'timed out' && !isFinal(record.prediction.status)) {
        throw new Error(
          `Prediction ${predictionId} did not settle within ${timeoutMs} ms ` +
            `(it is ${record.prediction.status}).`,
        );
      }
      return snapshot(record.prediction);
    },
    expireOutput(predictionId) {
      const record = store.get(predictionId);
      if (!record.output) throw notFound(`Prediction ${predictionId} has no output to expire.`);
      record.output.gone = true;
    },
    deliveries: () => delivery.attempts(),
    deliveriesIdle: () => delivery.idle(),
    reset() {
      store.reset('The local Replicate server was reset.');
      outcomes.reset();
      delivery.reset();
    },
  };
}
