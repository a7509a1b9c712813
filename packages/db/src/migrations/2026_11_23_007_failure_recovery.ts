/**
 * Failure recovery: which model of a product option's fallback chain an attempt ran (`chain_step`), and the
 * automatic refunds of photos no model could restore — one row per photo, pending through a grace period in
 * which an admin may stop it, then issued once under its own idempotency key.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table restoration_jobs
      add column chain_step integer not null default 0 check (chain_step >= 0);

    create table automatic_refunds (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      order_image_id uuid not null unique references order_images (id) on delete cascade,
      status text not null default 'pending' check (status in (
        'pending', 'issuing', 'issued', 'cancelled', 'failed'
      )),
      -- Why the photo is refunded, in words for the customer's email.
      reason text not null,
      due_at timestamptz not null,
      currency text not null,
      -- Fixed when the refund is claimed for issuing, so every retry asks the processor for the same amount.
      amount integer check (amount >= 0),
      idempotency_key text not null unique,
      provider_refund_id text,
      email_message_id uuid references email_messages (id) on delete set null,
      -- Who stopped or hurried it: 'admin:<id>' or 'worker'.
      decided_by text,
      cancel_reason text,
      error text,
      issued_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index automatic_refunds_order_idx on automatic_refunds (order_id);
    create index automatic_refunds_due_idx on automatic_refunds (due_at)
      where status in ('pending', 'issuing');
    create trigger automatic_refunds_set_updated_at before update on automatic_refunds
      for each row execute function set_updated_at();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists automatic_refunds;
    alter table restoration_jobs drop column if exists chain_step;
  `.execute(db);
}
