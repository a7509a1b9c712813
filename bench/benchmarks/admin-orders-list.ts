/**
 * The admin order list with 100,000 orders: `orders.list` over HTTP with a session cookie (session check,
 * tRPC, the keyset page with photo counts, and the counts per status), filtered by status and a 40-day
 * window, on pages deep in the list, against the same two queries as raw SQL over `pg`. Sequential calls.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { saveAdminUser } from '@restoreclick/core';
import { createDb } from '@restoreclick/db';
import type { Benchmark, BenchContext } from '../harness';
import { latencyMetrics, percentile, startApi, timeSequentialCalls } from '../support';

const ORDERS = 100_000;
const CUSTOMERS = 25_000;
const PHOTOS_PER_ORDER = 2;
const PAGE_SIZE = 25;
const WARMUP_CALLS = 200;
const MEASURED_CALLS = 2_000;
/** The dashboard's own origin for the bench API (its PUBLIC_URL). */
const ORIGIN = 'http://api.bench';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Filter {
  statuses: string[];
  from: string;
  to: string;
}

/** Customers, orders (one a minute going back ~69 days, a realistic mix of statuses) and their photos. */
async function seed(databaseUrl: string, log: (message: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    log(`seeding ${ORDERS.toLocaleString('en')} orders, ${PHOTOS_PER_ORDER} photos each …`);
    await client.query(`
      insert into customers (email, email_normalized, name)
      select 'customer' || n || '@example.com', 'customer' || n || '@example.com', 'Customer ' || n
      from generate_series(1, ${CUSTOMERS}) as n
    `);
    // Out of every 20 orders: 14 completed, and a few of every other status an admin filters on.
    await client.query(`
      insert into orders (customer_id, status, currency, unit_amount, subtotal_amount, total_amount,
        amount_paid, access_token_hash, customer_email, customer_name, paid_at, created_at)
      with numbered as (select id, email, name, row_number() over (order by id) - 1 as k from customers),
      statuses as (
        select array['completed','completed','completed','completed','completed','completed','completed',
          'completed','completed','completed','completed','completed','completed','completed',
          'processing','needs_attention','completed_with_errors','pending_payment','expired','refunded'
        ] as list
      )
      select c.id, s.list[1 + (n % 20)], 'usd', 900, 1800, 1800,
        case when s.list[1 + (n % 20)] in ('pending_payment', 'expired') then null else 1800 end,
        md5('token-' || n), c.email, c.name,
        case when s.list[1 + (n % 20)] in ('pending_payment', 'expired') then null
          else now() - (n || ' minutes')::interval end,
        now() - (n || ' minutes')::interval
      from generate_series(1, ${ORDERS}) as n
      cross join statuses s
      join numbered c on c.k = n % ${CUSTOMERS}
    `);
    await client.query(`
      insert into order_images (order_id, position, original_filename, mime_type, status)
      select o.id, p, 'photo-' || p || '.jpg', 'image/jpeg',
        case when o.status = 'completed_with_errors' and p = 0 then 'failed' else 'restored' end
      from orders o cross join generate_series(0, ${PHOTOS_PER_ORDER - 1}) as p
    `);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

async function signIn(apiUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${apiUrl}/admin/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers.get('set-cookie')?.match(/rc_admin_session=[^;]+/)?.[0];
  if (!cookie)
    throw new Error(`signing in failed with ${response.status}: ${await response.text()}`);
  return cookie;
}

interface Page {
  items: Array<{ id: string }>;
  nextCursor: string | null;
  counts: Record<string, number>;
}

async function listOrders(
  apiUrl: string,
  cookie: string,
  input: Filter & { cursor?: string | null; limit: number },
): Promise<Page> {
  const response = await fetch(
    `${apiUrl}/admin/trpc/orders.list?input=${encodeURIComponent(JSON.stringify(input))}`,
    { headers: { cookie } },
  );
  const body = (await response.json()) as { result?: { data: Page }; error?: { message: string } };
  if (!body.result)
    throw new Error(`orders.list failed: ${body.error?.message ?? response.status}`);
  return body.result.data;
}

/** The cursor's (created_at, id), as the API encodes it: base64url of `<microsecond ISO>|<uuid>`. */
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return { at, id };
}

const LIST_SQL = `
  select o.id, o.order_number, o.status, o.total_amount, o.amount_refunded, o.currency, o.created_at,
    o.paid_at, coalesce(o.customer_email, c.email) as customer_email,
    coalesce(o.customer_name, c.name) as customer_name,
    (select count(*) from order_images i where i.order_id = o.id) as photo_count,
    (select count(*) from order_images i where i.order_id = o.id and i.status = 'failed') as failed_photo_count
  from orders o join customers c on c.id = o.customer_id
  where o.created_at >= $1 and o.created_at < $2 and o.status = any($3::text[])
    and (o.created_at, o.id) < ($4::timestamptz, $5::uuid)
  order by o.created_at desc, o.id desc
  limit $6`;

/** The counts per status as the API reads them without a search: one index-only range count per status. */
const COUNTS_SQL = `
  select s.status,
    (select count(*) from orders o
      where o.status = s.status and o.created_at >= $1 and o.created_at < $2) as n
  from unnest(array['pending_payment', 'paid', 'processing', 'completed', 'completed_with_errors',
    'needs_attention', 'payment_failed', 'expired', 'cancelled', 'refunded', 'partially_refunded']) as s(status)`;

/** What `orders.list` reads, as plain SQL: one keyset page and the counts per status, at once. */
async function rawSqlPage(pool: pg.Pool, filter: Filter, cursor: string): Promise<unknown> {
  const { at, id } = decodeCursor(cursor);
  const [page, counts] = await Promise.all([
    pool.query(LIST_SQL, [filter.from, filter.to, filter.statuses, at, id, PAGE_SIZE + 1]),
    pool.query(COUNTS_SQL, [filter.from, filter.to]),
  ]);
  return { page: page.rows, counts: counts.rows };
}

/** The plan's index use, in one line per plan node that touches a table. */
async function planSummary(pool: pg.Pool, sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers) ${sql}`,
    params,
  );
  return rows
    .map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, ''))
    .filter((line) => /Scan|Execution Time/.test(line));
}

export const adminOrdersList: Benchmark = {
  name: 'admin-orders-list',
  description: `admin orders.list over HTTP with a session, ${ORDERS.toLocaleString('en')} orders, status + 40-day filter, keyset pages deep in the list, ${MEASURED_CALLS.toLocaleString('en')} sequential calls`,
  baseline: 'the same page and counts queries as raw SQL over pg, no HTTP, no session check',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-admin-'));
    await chmod(directory, 0o755);
    const api = await startApi(context, 'bench_admin_orders_list', directory);
    const pool = new pg.Pool({ connectionString: api.databaseUrl, max: 10 });
    try {
      await seed(api.databaseUrl, context.log);
      const { db } = createDb({ connectionString: api.databaseUrl, maxConnections: 1 });
      const password = 'bench admin password';
      await saveAdminUser(db, { email: 'bench@example.com', password, role: 'viewer' });
      await db.destroy();
      const cookie = await signIn(api.url, 'bench@example.com', password);

      const now = Date.now();
      const filter: Filter = {
        statuses: ['completed'],
        from: new Date(now - 45 * DAY_MS).toISOString(),
        to: new Date(now - 5 * DAY_MS).toISOString(),
      };
      // Walk the whole filtered list once, 100 at a time, keeping each page's cursor.
      const cursors: string[] = [];
      let cursor: string | null = null;
      let first: Page | undefined;
      do {
        const page: Page = await listOrders(api.url, cookie, { ...filter, cursor, limit: 100 });
        first ??= page;
        if (page.nextCursor) cursors.push(page.nextCursor);
        cursor = page.nextCursor;
      } while (cursor);
      const inRange = first?.counts.completed ?? 0;
      // Deep pages only: past the first tenth of the filtered list.
      const deep = cursors.slice(Math.floor(cursors.length / 10));
      context.log(
        `${inRange.toLocaleString('en')} completed orders in the window, ${cursors.length} pages of 100; measuring pages ${Math.floor(cursors.length / 10) * 100}+ deep`,
      );

      const sample = deep[Math.floor(deep.length / 2)] ?? '';
      const { at, id } = decodeCursor(sample);
      const listPlan = await planSummary(pool, LIST_SQL, [
        filter.from,
        filter.to,
        filter.statuses,
        at,
        id,
        PAGE_SIZE + 1,
      ]);
      const countsPlan = await planSummary(pool, COUNTS_SQL, [filter.from, filter.to]);
      context.log(`page plan: ${listPlan.join(' | ')}`);
      context.log(`counts plan: ${countsPlan.join(' | ')}`);

      const counts = { warmup: WARMUP_CALLS, measured: MEASURED_CALLS };
      const ours = await timeSequentialCalls(
        deep,
        (deepCursor) =>
          listOrders(api.url, cookie, { ...filter, cursor: deepCursor, limit: PAGE_SIZE }),
        counts,
      );
      const baseline = await timeSequentialCalls(
        deep,
        (deepCursor) => rawSqlPage(pool, filter, deepCursor),
        counts,
      );
      context.log(
        `orders.list p50 ${percentile(ours, 0.5).toFixed(2)} ms, p99 ${percentile(ours, 0.99).toFixed(2)} ms; raw SQL p50 ${percentile(baseline, 0.5).toFixed(2)} ms, p99 ${percentile(baseline, 0.99).toFixed(2)} ms (goal: p99 < 50 ms)`,
      );
      return {
        metrics: latencyMetrics(ours, baseline),
        notes: [
          `${ORDERS.toLocaleString('en')} orders (${inRange.toLocaleString('en')} completed in the 40-day window), ${(ORDERS * PHOTOS_PER_ORDER).toLocaleString('en')} photos; pages of ${PAGE_SIZE} from cursors ${Math.floor(cursors.length / 10) * 100}+ orders deep.`,
          `Ours includes HTTP, the session lookup, tRPC and input validation; both run the page and the counts per status in parallel.`,
          `Page plan: ${listPlan.join(' | ')}`,
          `Counts plan: ${countsPlan.join(' | ')}`,
        ],
      };
    } finally {
      await pool.end();
      await api.close();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
