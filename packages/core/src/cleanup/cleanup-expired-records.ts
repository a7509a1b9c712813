/**
 * The record half of the `cleanup.expired` cron: download links expired for longer than the retention period,
 * Stripe / provider webhook events processed that long ago (their dedupe window is long past: Stripe retries
 * for three days), and admin sessions that have run out (of no use to anyone, so not kept at all). Safe to run
 * any number of times.
 */
import type { Database, Kysely } from '@restoreclick/db';

export interface RecordCleanupResult {
  downloadLinksDeleted: number;
  stripeEventsDeleted: number;
  providerWebhooksDeleted: number;
  adminSessionsDeleted: number;
}

export async function cleanupExpiredRecords(
  db: Kysely<Database>,
  options: { retentionDays: number; now?: Date },
): Promise<RecordCleanupResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 24 * 60 * 60 * 1000);
  const links = await db
    .deleteFrom('download_links')
    .where('expires_at', '<', cutoff)
    .executeTakeFirst();
  const stripeEvents = await db
    .deleteFrom('stripe_events')
    .where('status', 'in', ['processed', 'ignored'])
    .where('processed_at', '<', cutoff)
    .executeTakeFirst();
  const providerWebhooks = await db
    .deleteFrom('provider_webhook_events')
    .where('received_at', '<', cutoff)
    .executeTakeFirst();
  const adminSessions = await db
    .deleteFrom('admin_sessions')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return {
    downloadLinksDeleted: Number(links.numDeletedRows),
    adminSessionsDeleted: Number(adminSessions.numDeletedRows),
    stripeEventsDeleted: Number(stripeEvents.numDeletedRows),
    providerWebhooksDeleted: Number(providerWebhooks.numDeletedRows),
  };
}
