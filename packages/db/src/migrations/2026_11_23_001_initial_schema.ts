/**
 * The whole product's schema in one first step: customers and admins, uploads, orders and their images,
 * restoration jobs, the order timeline, audit logs, Stripe events, the email outbox, download links and
 * notifications. Frozen: change the schema by adding a migration, never by editing this file.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function set_updated_at() returns trigger language plpgsql as $$
    begin
      new.updated_at := now();
      return new;
    end
    $$;

    create table customers (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      email_normalized text not null unique,
      name text,
      erased_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index customers_email_prefix_idx on customers (email_normalized text_pattern_ops);
    create index customers_name_prefix_idx on customers (lower(name) text_pattern_ops);

    create table admin_users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique,
      name text,
      password_hash text not null,
      role text not null default 'viewer' check (role in ('admin', 'viewer')),
      disabled boolean not null default false,
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table admin_sessions (
      id uuid primary key default gen_random_uuid(),
      admin_user_id uuid not null references admin_users (id) on delete cascade,
      token_hash text not null unique,
      expires_at timestamptz not null,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create index admin_sessions_user_idx on admin_sessions (admin_user_id);
    create index admin_sessions_expires_idx on admin_sessions (expires_at);

    create table upload_sessions (
      id uuid primary key default gen_random_uuid(),
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index upload_sessions_expires_idx on upload_sessions (expires_at);

    create table uploads (
      id uuid primary key default gen_random_uuid(),
      upload_session_id uuid not null references upload_sessions (id) on delete cascade,
      temp_key text not null unique,
      original_filename text not null,
      mime_type text not null,
      bytes integer not null check (bytes > 0),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      sha256 text not null,
      created_at timestamptz not null default now()
    );
    create index uploads_session_idx on uploads (upload_session_id, created_at);

    create table order_number_counters (
      day date primary key,
      last_value integer not null
    );

    create table orders (
      id uuid primary key default gen_random_uuid(),
      order_number text not null unique,
      customer_id uuid not null references customers (id),
      upload_session_id uuid unique references upload_sessions (id) on delete set null,
      status text not null default 'pending_payment' check (status in (
        'pending_payment', 'paid', 'processing', 'completed', 'completed_with_errors',
        'needs_attention', 'payment_failed', 'expired', 'cancelled', 'refunded', 'partially_refunded'
      )),
      product_option text not null default 'standard',
      currency text not null check (currency ~ '^[a-z]{3}$'),
      unit_amount integer not null check (unit_amount >= 0),
      subtotal_amount integer not null check (subtotal_amount >= 0),
      discount_amount integer not null default 0 check (discount_amount >= 0),
      tax_amount integer not null default 0 check (tax_amount >= 0),
      total_amount integer not null check (total_amount >= 0),
      amount_paid integer check (amount_paid >= 0),
      amount_refunded integer not null default 0 check (amount_refunded >= 0),
      access_token_hash text not null unique,
      stripe_checkout_session_id text unique,
      stripe_payment_intent_id text,
      stripe_customer_id text,
      billing_address jsonb,
      paid_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index orders_created_idx on orders (created_at desc, id desc);
    create index orders_status_created_idx on orders (status, created_at desc, id desc);
    create index orders_customer_created_idx on orders (customer_id, created_at desc, id desc);
    create index orders_payment_intent_idx on orders (stripe_payment_intent_id);
    create index orders_paid_at_idx on orders (paid_at);

    -- Order numbers are YYYYMMDD-000001, counted per UTC day of creation inside Postgres: the upsert takes a
    -- row lock on the day's counter, so concurrent inserts queue up and each gets the next number.
    create function assign_order_number() returns trigger language plpgsql as $$
    declare
      order_day date := (coalesce(new.created_at, now()) at time zone 'UTC')::date;
      next_value integer;
    begin
      if new.order_number is not null then
        return new;
      end if;
      insert into order_number_counters as counter (day, last_value) values (order_day, 1)
      on conflict (day) do update set last_value = counter.last_value + 1
      returning counter.last_value into next_value;
      new.order_number := to_char(order_day, 'YYYYMMDD') || '-'
        || lpad(next_value::text, greatest(6, length(next_value::text)), '0');
      return new;
    end
    $$;
    create trigger orders_assign_number before insert on orders
      for each row execute function assign_order_number();

    create table order_images (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      upload_id uuid references uploads (id) on delete set null,
      position integer not null,
      original_filename text not null,
      mime_type text not null,
      temp_key text,
      original_key text,
      restored_key text,
      status text not null default 'pending' check (status in (
        'pending', 'processing', 'restored', 'failed', 'purged'
      )),
      width integer,
      height integer,
      bytes integer,
      checksum_sha256 text,
      restored_width integer,
      restored_height integer,
      restored_bytes integer,
      restored_checksum_sha256 text,
      error text,
      purged_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (order_id, position)
    );
    create index order_images_status_idx on order_images (status, updated_at);

    create table restoration_jobs (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      order_image_id uuid not null references order_images (id) on delete cascade,
      provider text not null,
      model text,
      prediction_id text,
      attempt integer not null default 1 check (attempt >= 1),
      status text not null default 'queued' check (status in (
        'queued', 'running', 'succeeded', 'failed', 'cancelled'
      )),
      error text,
      started_at timestamptz,
      finished_at timestamptz,
      predict_seconds double precision,
      cost_micros integer,
      cost_currency text not null default 'usd',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (order_image_id, attempt)
    );
    create index restoration_jobs_order_idx on restoration_jobs (order_id);
    create index restoration_jobs_status_idx on restoration_jobs (status, created_at);
    create unique index restoration_jobs_prediction_idx on restoration_jobs (provider, prediction_id)
      where prediction_id is not null;

    create table order_events (
      id bigint generated always as identity primary key,
      order_id uuid not null references orders (id) on delete cascade,
      type text not null,
      from_status text,
      to_status text,
      actor text not null,
      data jsonb not null default '{}'::jsonb,
      at timestamptz not null default now()
    );
    create index order_events_order_idx on order_events (order_id, id);

    create table audit_logs (
      id bigint generated always as identity primary key,
      admin_user_id uuid references admin_users (id) on delete set null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      before jsonb,
      after jsonb,
      ip text,
      at timestamptz not null default now()
    );
    create index audit_logs_entity_idx on audit_logs (entity_type, entity_id, at);
    create index audit_logs_admin_idx on audit_logs (admin_user_id, at);

    create table stripe_events (
      id text primary key,
      type text not null,
      livemode boolean not null default false,
      payload jsonb not null,
      status text not null default 'received' check (status in (
        'received', 'processed', 'ignored', 'failed'
      )),
      attempts integer not null default 0,
      error text,
      received_at timestamptz not null default now(),
      processed_at timestamptz
    );
    create index stripe_events_status_idx on stripe_events (status, received_at);
    create index stripe_events_received_idx on stripe_events (received_at desc);

    create table email_messages (
      id uuid primary key default gen_random_uuid(),
      order_id uuid references orders (id) on delete set null,
      customer_id uuid references customers (id) on delete set null,
      kind text not null,
      to_address text not null,
      template text not null,
      data jsonb not null default '{}'::jsonb,
      subject text,
      html text,
      text text,
      status text not null default 'queued' check (status in (
        'queued', 'sending', 'sent', 'failed', 'cancelled'
      )),
      attempts integer not null default 0,
      provider text,
      provider_message_id text,
      last_error text,
      idempotency_key text not null unique,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index email_messages_status_idx on email_messages (status, created_at desc, id desc);
    create index email_messages_order_idx on email_messages (order_id, created_at);
    create index email_messages_created_idx on email_messages (created_at desc, id desc);

    create table download_links (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      token_hash text not null unique,
      kind text not null check (kind in ('all', 'originals', 'restored')),
      image_ids uuid[],
      expires_at timestamptz not null,
      download_count integer not null default 0,
      last_downloaded_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index download_links_order_idx on download_links (order_id, created_at);

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references orders (id) on delete cascade,
      type text not null,
      title text not null,
      body text,
      data jsonb not null default '{}'::jsonb,
      read_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index notifications_order_idx on notifications (order_id, created_at desc);
    create index notifications_unread_idx on notifications (order_id) where read_at is null;
  `.execute(db);

  for (const table of [
    'customers',
    'admin_users',
    'upload_sessions',
    'orders',
    'order_images',
    'restoration_jobs',
    'email_messages',
  ]) {
    await sql`
      create trigger ${sql.raw(`${table}_set_updated_at`)} before update on ${sql.table(table)}
        for each row execute function set_updated_at()
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists notifications, download_links, email_messages, stripe_events, audit_logs,
      order_events, restoration_jobs, order_images, orders, order_number_counters, uploads,
      upload_sessions, admin_sessions, admin_users, customers cascade;
    drop function if exists assign_order_number();
    drop function if exists set_updated_at();
  `.execute(db);
}
