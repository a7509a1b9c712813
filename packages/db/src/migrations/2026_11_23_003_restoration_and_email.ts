/**
 * Restoration and email delivery: what each attempt did (pipeline steps, validation), the restored file's type,
 * and a dedupe table for provider webhooks other than Stripe's (Replicate sends each one at least once).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table restoration_jobs
      add column model_input jsonb,
      add column details jsonb not null default '{}'::jsonb;
    create index restoration_jobs_image_idx on restoration_jobs (order_image_id, attempt);

    alter table order_images
      add column restored_mime_type text;
    create index order_images_order_status_idx on order_images (order_id, status);

    create table provider_webhook_events (
      provider text not null,
      id text not null,
      type text not null,
      -- What the webhook is about (Replicate: the prediction id), to find one that came before we knew it.
      subject_id text not null,
      payload jsonb not null,
      received_at timestamptz not null default now(),
      primary key (provider, id)
    );
    create index provider_webhook_events_received_idx on provider_webhook_events (received_at);
    create index provider_webhook_events_subject_idx on provider_webhook_events (provider, subject_id);

    create index email_messages_outbox_idx on email_messages (provider, created_at desc, id desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists email_messages_outbox_idx;
    drop table if exists provider_webhook_events;
    drop index if exists order_images_order_status_idx;
    alter table order_images drop column if exists restored_mime_type;
    drop index if exists restoration_jobs_image_idx;
    alter table restoration_jobs
      drop column if exists model_input,
      drop column if exists details;
  `.execute(db);
}
