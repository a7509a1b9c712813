/**
 * A verified provider webhook (Replicate's "prediction completed"): stored once by its id, and the attempt it
 * concerns is polled at once, in one transaction. The poll asks the provider again rather than trusting the
 * payload, so a replayed or reordered webhook changes nothing.
 */
import type { Database, Kysely } from '@restoreclick/db';
import type { JobQueue } from '../jobs/job-queue';
import type { Prediction } from './restoration-provider';

export type RestorationWebhookOutcome = 'queued' | 'duplicate' | 'unknown_prediction';

export async function recordRestorationWebhook(
  db: Kysely<Database>,
  jobs: JobQueue,
  input: { provider: string; webhookId: string; prediction: Prediction; payload: unknown },
): Promise<RestorationWebhookOutcome> {
  return db.transaction().execute(async (trx) => {
    const stored = await trx
      .insertInto('provider_webhook_events')
      .values({
        provider: input.provider,
        id: input.webhookId,
        type: `prediction.${input.prediction.status}`,
        subject_id: input.prediction.id,
        payload: JSON.stringify(input.payload),
      })
      .onConflict((conflict) => conflict.columns(['provider', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return 'duplicate';
    const job = await trx
      .selectFrom('restoration_jobs')
      .select('id')
      .where('provider', '=', input.provider)
      .where('prediction_id', '=', input.prediction.id)
      .executeTakeFirst();
    // Not ours, or faster than us: the attempt that created it looks for this row once it saved the id.
    if (!job) return 'unknown_prediction';
    await jobs.enqueue(trx, 'restoration.poll', { restorationJobId: job.id });
    return 'queued';
  });
}

/** Whether the provider already called back about this prediction (before we saved its id). */
export async function hasRestorationWebhook(
  db: Kysely<Database>,
  provider: string,
  predictionId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('provider_webhook_events')
    .select('id')
    .where('provider', '=', provider)
    .where('subject_id', '=', predictionId)
    .executeTakeFirst();
  return row !== undefined;
}
