/**
 * Replicate's prediction JSON, as its API answers and its webhooks send it, and how it maps onto our
 * `Prediction`. Shared by the provider and the webhook verifier so both read a prediction the same way.
 */
import { z } from 'zod';
import type { Prediction, PredictionStatus } from './restoration-provider';

export const ZReplicatePrediction = z.object({
  id: z.string().min(1),
  /** `aborted`: Replicate stopped the prediction before it ran (a deadline passed, for example). */
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted']),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  metrics: z.object({ predict_time: z.number().nonnegative().nullish() }).nullish(),
  created_at: z.string().nullish(),
  completed_at: z.string().nullish(),
});
export type ReplicatePredictionJson = z.infer<typeof ZReplicatePrediction>;

/** Image models answer one URL or a list of them; we keep the first. */
function firstOutputUrl(output: unknown): string | null {
  const first: unknown = Array.isArray(output) ? output[0] : output;
  return typeof first === 'string' && first.length > 0 ? first : null;
}

function errorText(error: unknown): string | null {
  if (error === null || error === undefined || error === '') return null;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

function dateOrNull(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toPrediction(replicate: ReplicatePredictionJson): Prediction {
  // An aborted prediction never ran: for us it failed, and another attempt may succeed.
  const status: PredictionStatus = replicate.status === 'aborted' ? 'failed' : replicate.status;
  const error =
    errorText(replicate.error) ??
    (replicate.status === 'aborted' ? 'Replicate aborted the prediction before it ran.' : null);
  return {
    id: replicate.id,
    status,
    outputUrl: status === 'succeeded' ? firstOutputUrl(replicate.output) : null,
    error,
    predictSeconds: replicate.metrics?.predict_time ?? null,
    createdAt: dateOrNull(replicate.created_at),
    completedAt: dateOrNull(replicate.completed_at),
  };
}

/** Reads a prediction from Replicate's JSON; throws a readable message when it is not one. */
export function parseReplicatePrediction(value: unknown): Prediction {
  const parsed = ZReplicatePrediction.safeParse(value);
  if (!parsed.success) {
    throw new Error(`not a Replicate prediction: ${z.prettifyError(parsed.error)}`);
  }
  return toPrediction(parsed.data);
}
