/**
 * Checkout and order access: where the customer pays (the processor's hosted page and its expiry), and the
 * extra access tokens an order hands out (success page, emails) besides the one issued at checkout.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table orders
      add column checkout_url text,
      add column checkout_expires_at timestamptz,
      add column customer_email text,
      add column customer_name text;

    create table order_access_tokens (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      token_hash text not null unique,
      purpose text not null check (purpose in ('success_page', 'email', 'admin')),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index order_access_tokens_order_idx on order_access_tokens (order_id);

    create index stripe_events_processed_idx on stripe_events (processed_at desc nulls last);
    create index orders_pending_checkout_idx on orders (created_at)
      where status in ('pending_payment', 'payment_failed');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists orders_pending_checkout_idx;
    drop index if exists stripe_events_processed_idx;
    drop table if exists order_access_tokens;
    alter table orders
      drop column if exists checkout_url,
      drop column if exists checkout_expires_at,
      drop column if exists customer_email,
      drop column if exists customer_name;
  `.execute(db);
}
