/**
 * The customer side: live updates (a NOTIFY in the same transaction as every timeline event or photo change,
 * so a listener never sees a change that was rolled back), thumbnails, and the counters of rate limits shared
 * by every api process (the table rate-limiter-flexible's Postgres store uses).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function notify_order_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('restoreclick_order_changes', new.order_id::text);
      return null;
    end;
    $$;
    create trigger order_events_notify after insert on order_events
      for each row execute function notify_order_change();
    create trigger order_images_notify after update of status, restored_key on order_images
      for each row execute function notify_order_change();

    alter table order_images
      add column thumbnail_key text,
      add column restored_thumbnail_key text;

    create table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists rate_limits;
    alter table order_images drop column if exists thumbnail_key, drop column if exists restored_thumbnail_key;
    drop trigger if exists order_images_notify on order_images;
    drop trigger if exists order_events_notify on order_events;
    drop function if exists notify_order_change();
  `.execute(db);
}
