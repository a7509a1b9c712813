/**
 * `orders.get` with 100,000 orders in the database: a storefront's call through the published SDK, over HTTP,
 * to the API (token check, three indexed reads, presigned URLs for every photo, the customer timeline), against
 * the same reads done as raw SQL over `pg` with nothing around them. Sequential calls with tokens of random
 * orders, so each one is a cold row, as customers' calls are.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateToken, hashToken } from '@restoreclick/core';
import { createRestoreClickClient } from '@restoreclick/sdk';
import type { Benchmark, BenchContext } from '../harness';
import { latencyMetrics, percentile, startApi, timeSequentialCalls } from '../support';

const ORDERS = 100_000;
const PHOTOS_PER_ORDER = 3;
const WARMUP_CALLS = 300;
const MEASURED_CALLS = 3_000;

/** Orders, photos and timelines in bulk with generate_series; returns the access token of every order. */
async function seed(databaseUrl: string, log: (message: string) => void): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tokens = Array.from({ length: ORDERS }, () => generateToken());
    log(`seeding ${ORDERS.toLocaleString('en')} orders, ${PHOTOS_PER_ORDER} photos each …`);
    await client.query(`
      insert into customers (email, email_normalized)
      select 'customer' || n || '@example.com', 'customer' || n || '@example.com'
      from generate_series(1, ${ORDERS / 4}) as n
    `);
    await client.query(
      `
      insert into orders (customer_id, status, currency, unit_amount, subtotal_amount, total_amount,
        amount_paid, access_token_hash, paid_at, completed_at, created_at)
      with numbered as (select id, row_number() over (order by id) - 1 as k from customers)
      select c.id, 'completed', 'usd', 900, 2700, 2700, 2700, t.hash,
        now() - (t.n || ' minutes')::interval, now() - (t.n || ' minutes')::interval,
        now() - (t.n || ' minutes')::interval
      from unnest($1::text[]) with ordinality as t(hash, n)
      join numbered c on c.k = (t.n - 1) % ${ORDERS / 4}
      `,
      [tokens.map(hashToken)],
    );
    await client.query(`
      insert into order_images (order_id, position, original_filename, mime_type, original_key,
        restored_key, thumbnail_key, restored_thumbnail_key, status, width, height, bytes,
        restored_width, restored_height, restored_bytes, restored_mime_type)
      select o.id, p, 'photo-' || p || '.jpg', 'image/jpeg',
        'originals/' || o.id || '/' || p, 'restored/' || o.id || '/' || p,
        'thumbnails/' || o.id || '/' || p, 'thumbnails/restored/' || o.id || '/' || p,
        'restored', 1200, 900, 400000, 2400, 1800, 1600000, 'image/png'
      from orders o cross join generate_series(0, ${PHOTOS_PER_ORDER - 1}) as p
    `);
    // The timeline a completed order has: placed, paid, started, each photo, completed, two emails.
    await client.query(`
      insert into order_events (order_id, type, actor, data, at)
      select o.id, e.type, 'worker', e.data::jsonb, o.created_at
      from orders o cross join (values
        ('order.created', '{}'), ('payment.succeeded', '{}'), ('restoration.started', '{}'),
        ('image.restored', '{"filename":"photo-0.jpg"}'), ('image.restored', '{"filename":"photo-1.jpg"}'),
        ('image.restored', '{"filename":"photo-2.jpg"}'), ('order.completed', '{}'),
        ('email.sent', '{"kind":"order_confirmation"}'), ('email.sent', '{"kind":"restoration_complete"}')
      ) as e(type, data)
    `);
    await client.query('vacuum analyze');
    return tokens;
  } finally {
    await client.end();
  }
}

/** What `orders.get` reads, as plain SQL: the order by its token hash, then its photos and timeline. */
async function rawSqlRead(pool: pg.Pool, token: string): Promise<unknown> {
  const { rows } = await pool.query('select * from orders where access_token_hash = $1', [
    hashToken(token),
  ]);
  const order = rows[0] as { id: string } | undefined;
  if (!order) throw new Error('no order for a seeded token');
  const [images, events] = await Promise.all([
    pool.query('select * from order_images where order_id = $1 order by position', [order.id]),
    pool.query('select id, type, data, at from order_events where order_id = $1 order by id', [
      order.id,
    ]),
  ]);
  return { order, images: images.rows, events: events.rows };
}

export const ordersGet: Benchmark = {
  name: 'orders-get',
  description: `orders.get through the SDK over HTTP, ${ORDERS.toLocaleString('en')} orders × ${PHOTOS_PER_ORDER} photos, ${MEASURED_CALLS.toLocaleString('en')} sequential calls`,
  baseline: 'the same three reads as raw SQL over pg, no HTTP, no presigning',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-orders-'));
    await chmod(directory, 0o755);
    const api = await startApi(context, 'bench_orders_get', directory);
    const pool = new pg.Pool({ connectionString: api.databaseUrl, max: 10 });
    try {
      const tokens = await seed(api.databaseUrl, context.log);
      const client = createRestoreClickClient({ url: api.url });
      const sample = await client.orders.get.query({ token: tokens[0] ?? '' });
      if (sample.images.length !== PHOTOS_PER_ORDER || !sample.images[0]?.restoredUrl) {
        throw new Error('orders.get did not return the seeded order with its photos');
      }

      const counts = { warmup: WARMUP_CALLS, measured: MEASURED_CALLS };
      const ours = await timeSequentialCalls(
        tokens,
        (token) => client.orders.get.query({ token }),
        counts,
      );
      const baseline = await timeSequentialCalls(
        tokens,
        (token) => rawSqlRead(pool, token),
        counts,
      );
      context.log(
        `orders.get p50 ${percentile(ours, 0.5).toFixed(2)} ms, p99 ${percentile(ours, 0.99).toFixed(2)} ms; raw SQL p50 ${percentile(baseline, 0.5).toFixed(2)} ms, p99 ${percentile(baseline, 0.99).toFixed(2)} ms`,
      );
      return {
        metrics: latencyMetrics(ours, baseline),
        notes: [
          `${ORDERS.toLocaleString('en')} orders, ${(ORDERS * PHOTOS_PER_ORDER).toLocaleString('en')} photos, ${(ORDERS * 9).toLocaleString('en')} timeline events; ours includes HTTP, tRPC, 12 presigned URLs and the timeline wording per call.`,
        ],
      };
    } finally {
      await pool.end();
      await api.close();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
