/**
 * Privacy and data lifecycle: when each half of a photo's files was deleted (the original with its preview and
 * temporary copy; the restored photo with its preview), so the two can follow retention periods of their own.
 * A photo whose files are all gone is `purged` (the existing status and `purged_at`). A timestamp set while a
 * key is still there marks a deletion under way: the daily purge finishes it if the one that began it stopped.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table order_images
      add column original_purged_at timestamptz,
      add column restored_purged_at timestamptz;

    -- The daily purge looks at the photos that still have files, order by order.
    create index order_images_with_files_idx on order_images (order_id) where purged_at is null;
    -- … of orders that finished long enough ago.
    create index orders_completed_at_idx on orders (completed_at) where completed_at is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists orders_completed_at_idx;
    drop index if exists order_images_with_files_idx;
    alter table order_images
      drop column if exists original_purged_at,
      drop column if exists restored_purged_at;
  `.execute(db);
}
