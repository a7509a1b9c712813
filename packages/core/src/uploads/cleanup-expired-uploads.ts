/**
 * The upload half of the `cleanup.expired` cron: deletes upload sessions that expired without becoming a live order, with
 * their temporary files. A session whose order still waits for payment is kept (a bank transfer can take
 * days); a paid order's photos were already copied to permanent storage.
 */
import { sql } from 'kysely';
import type { Database, Kysely } from '@restoreclick/db';
import type { ObjectStore } from '../storage/object-store';

export interface CleanupResult {
  sessionsDeleted: number;
  objectsDeleted: number;
}

export async function cleanupExpiredUploads(
  db: Kysely<Database>,
  storage: ObjectStore,
  options: { now?: Date; batchSize?: number } = {},
): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const result: CleanupResult = { sessionsDeleted: 0, objectsDeleted: 0 };
  const sessions = await db
    .selectFrom('upload_sessions')
    .select('id')
    .where('expires_at', '<', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('orders')
            .select(sql`1`.as('one'))
            .whereRef('orders.upload_session_id', '=', 'upload_sessions.id')
            .where('orders.status', 'in', ['pending_payment']),
        ),
      ),
    )
    .orderBy('expires_at')
    .limit(options.batchSize ?? 500)
    .execute();

  for (const session of sessions) {
    // Files first: a crash between the two leaves a row to retry from, never an orphaned file.
    const objects = await storage.list(`uploads/temp/${session.id}/`);
    for (const object of objects) await storage.delete(object.key);
    result.objectsDeleted += objects.length;
    const deleted = await db
      .deleteFrom('upload_sessions')
      .where('id', '=', session.id)
      .executeTakeFirst();
    result.sessionsDeleted += Number(deleted.numDeletedRows);
  }
  return result;
}
