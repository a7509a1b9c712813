/**
 * The webhook's only database work: store the verified event (deduplicated on its id) and enqueue its job, in
 * one transaction. Anything slow happens in the worker.
 */
import type { Database, Kysely } from '@restoreclick/db';
import type { JobQueue } from '../jobs/job-queue';
import type { PaymentEvent } from './payment-provider';

export async function recordStripeEvent(
  db: Kysely<Database>,
  deps: { jobs: JobQueue },
  event: PaymentEvent,
): Promise<{ duplicate: boolean }> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stripe_events')
      .values({
        id: event.id,
        type: event.type,
        livemode: event.livemode,
        payload: JSON.stringify(event.payload),
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { duplicate: true };
    await deps.jobs.enqueue(trx, 'stripe.event', { eventId: event.id });
    return { duplicate: false };
  });
}
