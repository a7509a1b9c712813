/**
 * The admin dashboard: indexes for every filter and search of its lists (customer email and name anywhere in
 * the text through trigrams, order numbers by prefix, emails by address and kind), and the refund requests
 * admins make, whose ids are the processor's idempotency keys so a repeated request never refunds twice.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;

    create index customers_email_trgm_idx on customers using gin (email_normalized gin_trgm_ops);
    create index customers_name_trgm_idx on customers using gin (name gin_trgm_ops);
    create index orders_number_prefix_idx on orders (order_number text_pattern_ops);
    -- Counts per status over a date range read this index alone.
    create index orders_created_status_idx on orders (created_at) include (status);

    create index email_messages_to_trgm_idx on email_messages using gin (to_address gin_trgm_ops);
    create index email_messages_kind_created_idx on email_messages (kind, created_at desc, id desc);

    create table refund_requests (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      admin_user_id uuid references admin_users (id) on delete set null,
      -- What the admin asked for; null means everything that was left to refund.
      requested_amount integer check (requested_amount > 0),
      amount integer not null check (amount > 0),
      currency text not null,
      reason text,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      provider_refund_id text,
      provider_status text,
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index refund_requests_order_idx on refund_requests (order_id, created_at desc);
    create trigger refund_requests_set_updated_at before update on refund_requests
      for each row execute function set_updated_at();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists refund_requests;
    drop index if exists email_messages_kind_created_idx;
    drop index if exists email_messages_to_trgm_idx;
    drop index if exists orders_created_status_idx;
    drop index if exists orders_number_prefix_idx;
    drop index if exists customers_name_trgm_idx;
    drop index if exists customers_email_trgm_idx;
  `.execute(db);
}
