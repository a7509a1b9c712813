/**
 * How a local prediction ends, chosen by a test: for the next N predictions (first come, first served), for
 * every prediction of one model, or the default `succeed`.
 */
import { z } from 'zod';

export const ZLocalReplicateOutcome = z.discriminatedUnion('kind', [
  /**
   * A 2× upscaled, mildly sharpened PNG; `outputAsList` answers `[url]` instead of `url`. `keepMetadata`: a JPEG
   * that keeps the input's EXIF (camera, GPS position, orientation), as some models return.
   */
  z.object({
    kind: z.literal('succeed'),
    outputAsList: z.boolean().optional(),
    keepMetadata: z.boolean().optional(),
  }),
  /** Status `failed` with this error (a default sentence when omitted). */
  z.object({ kind: z.literal('fail'), error: z.string().min(1).optional() }),
  /** Stays `processing` this long before succeeding (cancel it meanwhile to see `canceled`). */
  z.object({ kind: z.literal('slow'), processingMs: z.number().int().min(0).max(600_000) }),
  /** Succeeds but never calls the webhook: only polling finds the result. */
  z.object({ kind: z.literal('no-webhook') }),
  /** Succeeds, but the output URL answers 404, as Replicate's do an hour later. */
  z.object({ kind: z.literal('output-gone') }),
  /** Succeeds with the input's bytes, unchanged. */
  z.object({ kind: z.literal('identical-output') }),
  /** Succeeds with a text file as the output. */
  z.object({ kind: z.literal('not-an-image') }),
  /** The create call itself answers this HTTP status; no prediction is made. */
  z.object({
    kind: z.literal('http-error'),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
]);
export type LocalReplicateOutcome = z.infer<typeof ZLocalReplicateOutcome>;

const SUCCEED: LocalReplicateOutcome = { kind: 'succeed' };

export class OutcomeRules {
  private queued: LocalReplicateOutcome[] = [];
  private readonly byModel = new Map<string, LocalReplicateOutcome>();

  queue(outcome: LocalReplicateOutcome, times: number): void {
    for (let count = 0; count < times; count += 1) this.queued.push(outcome);
  }

  /** `model` is `owner/name` or a version id; undefined removes the rule. */
  setForModel(model: string, outcome: LocalReplicateOutcome | undefined): void {
    if (outcome) this.byModel.set(model, outcome);
    else this.byModel.delete(model);
  }

  /** The outcome of a new prediction; takes one from the queue when there is one. */
  next(model: string, version: string): LocalReplicateOutcome {
    return this.queued.shift() ?? this.byModel.get(model) ?? this.byModel.get(version) ?? SUCCEED;
  }

  reset(): void {
    this.queued = [];
    this.byModel.clear();
  }
}
