/**
 * Admin-side test helpers: admin users, a signed-in client of the admin endpoint (its session cookie and the
 * dashboard's Origin on every call, as a browser on the dashboard sends them), and orders seeded in bulk.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { PgBoss } from 'pg-boss';
import pino from 'pino';
import { expect } from 'vitest';
import { hashToken, S3ObjectStore, saveAdminUser } from '@restoreclick/core';
import type { AdminRole, Database, Kysely, OrderStatus } from '@restoreclick/db';
import { type LocalStripe, startLocalStripe } from '@restoreclick/devkit';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import { createApp } from '../src/app';
import { type ComposeConfig, composeDependencies } from '../src/compose';
import type { ApiDependencies } from '../src/dependencies';
import { startProducerBoss, TEST_WEBHOOK_SECRET, testConfig } from './helpers';
import { callProcedure, type TrpcFailure } from './wire';

/** The Origin the test clients send: PUBLIC_URL of the test config, which the admin endpoint allows. */
export const ADMIN_ORIGIN = 'http://api.test';
export const ADMIN_PASSWORD = 'a long enough test password';

export async function createAdminUser(
  db: Kysely<Database>,
  options: { role?: AdminRole; email?: string; password?: string } = {},
): Promise<{ id: string; email: string; password: string }> {
  const email =
    options.email ?? `${options.role ?? 'admin'}-${randomUUID().slice(0, 8)}@example.com`;
  const password = options.password ?? ADMIN_PASSWORD;
  const { user } = await saveAdminUser(db, { email, password, role: options.role ?? 'admin' });
  return { id: user.id, email: user.email, password };
}

export type CallResult<T> = { ok: true; data: T } | { ok: false; error: TrpcFailure };

export interface AdminClient {
  /** The `rc_admin_session=…` cookie, or null when signed out. */
  cookie: string | null;
  query<T = unknown>(path: string, input?: unknown): Promise<CallResult<T>>;
  mutate<T = unknown>(
    path: string,
    input?: unknown,
    options?: { origin?: string | null },
  ): Promise<CallResult<T>>;
  /** The data of a call that must succeed. */
  get<T = unknown>(path: string, input?: unknown): Promise<T>;
  run<T = unknown>(path: string, input?: unknown): Promise<T>;
}

export function adminClient(apiUrl: string, cookie: string | null = null): AdminClient {
  const headers = (origin: string | null | undefined): Record<string, string> => ({
    ...(client.cookie ? { cookie: client.cookie } : {}),
    ...(origin === null ? {} : { origin: origin ?? ADMIN_ORIGIN }),
  });
  const client: AdminClient = {
    cookie,
    query: (path, input) =>
      callProcedure(apiUrl, path, input, 'query', {
        endpoint: '/admin/trpc',
        headers: headers(undefined),
      }),
    mutate: (path, input, options = {}) =>
      callProcedure(apiUrl, path, input ?? {}, 'mutation', {
        endpoint: '/admin/trpc',
        headers: headers(options.origin),
      }),
    async get(path, input) {
      const result = await client.query(path, input);
      if (!result.ok) throw new Error(`${path} failed: ${result.error.message}`);
      return result.data as never;
    },
    async run(path, input) {
      const result = await client.mutate(path, input);
      if (!result.ok) throw new Error(`${path} failed: ${result.error.message}`);
      return result.data as never;
    },
  };
  return client;
}

/** Signs in over HTTP as the dashboard does; returns the response and the cookie it set. */
export async function signIn(
  apiUrl: string,
  credentials: { email: string; password: string },
  options: { origin?: string } = {},
): Promise<{
  response: Response;
  body: { result?: unknown; error?: TrpcFailure };
  cookie: string | null;
}> {
  const response = await fetch(`${apiUrl}/admin/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: options.origin ?? ADMIN_ORIGIN },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  const setCookie = response.headers.get('set-cookie');
  const cookie = setCookie?.match(/rc_admin_session=([^;]*)/)?.[1];
  const body = (await response.json()) as { result?: unknown; error?: TrpcFailure };
  return { response, body, cookie: cookie ? `rc_admin_session=${cookie}` : null };
}

/** A signed-in admin client for a new user of `role`. */
export async function signedInClient(
  apiUrl: string,
  db: Kysely<Database>,
  role: AdminRole = 'admin',
): Promise<AdminClient & { user: { id: string; email: string } }> {
  const user = await createAdminUser(db, { role });
  const { cookie } = await signIn(apiUrl, user);
  expect(cookie, `signing in ${user.email}`).not.toBeNull();
  return Object.assign(adminClient(apiUrl, cookie), { user });
}

export interface SeededOrder {
  status: OrderStatus;
  createdAt: Date;
  email?: string;
  name?: string;
  photos?: number;
  failedPhotos?: number;
  totalAmount?: number;
}

/** Customers, orders and photos straight into the database, for list and search tests. */
export async function seedOrders(
  db: Kysely<Database>,
  orders: SeededOrder[],
): Promise<Array<{ id: string; orderNumber: string }>> {
  const seeded: Array<{ id: string; orderNumber: string }> = [];
  for (const spec of orders) {
    const email = spec.email ?? `customer-${randomUUID().slice(0, 8)}@example.com`;
    const customer = await db
      .insertInto('customers')
      .values({ email, email_normalized: email.toLowerCase(), name: spec.name ?? null })
      .onConflict((conflict) =>
        conflict.column('email_normalized').doUpdateSet({ name: spec.name ?? null }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const total = spec.totalAmount ?? 1800;
    const paid = !['pending_payment', 'payment_failed', 'expired', 'cancelled'].includes(
      spec.status,
    );
    const order = await db
      .insertInto('orders')
      .values({
        customer_id: customer.id,
        status: spec.status,
        currency: 'usd',
        unit_amount: 900,
        subtotal_amount: total,
        total_amount: total,
        amount_paid: paid ? total : null,
        access_token_hash: hashToken(randomUUID()),
        customer_email: email,
        customer_name: spec.name ?? null,
        paid_at: paid ? spec.createdAt : null,
        created_at: spec.createdAt,
      })
      .returning(['id', 'order_number'])
      .executeTakeFirstOrThrow();
    const photos = spec.photos ?? 2;
    for (let position = 0; position < photos; position += 1) {
      await db
        .insertInto('order_images')
        .values({
          order_id: order.id,
          position,
          original_filename: `photo-${position + 1}.jpg`,
          mime_type: 'image/jpeg',
          status: position < (spec.failedPhotos ?? 0) ? 'failed' : 'restored',
        })
        .execute();
    }
    seeded.push({ id: order.id, orderNumber: order.order_number });
  }
  return seeded;
}

export interface AdminApi {
  apiUrl: string;
  testDb: TestDatabase;
  bucket: TestBucket;
  stripe: LocalStripe;
  deps: ApiDependencies;
  stop(): Promise<void>;
}

/**
 * The api alone (no worker) over a test database, bucket and the local Stripe server, with settings of the
 * test's choosing: enough for sign-in, access and list tests.
 */
export async function startAdminApi(overrides: Partial<ComposeConfig> = {}): Promise<AdminApi> {
  const testDb = await createTestDatabase();
  const bucket = await createTestBucket();
  const stripe = await startLocalStripe({ webhookSecret: TEST_WEBHOOK_SECRET });
  const boss: PgBoss = await startProducerBoss(testDb.url);
  const deps = composeDependencies({
    config: { ...testConfig, STRIPE_API_URL: stripe.url, ...overrides },
    db: testDb.db,
    pool: testDb.pool,
    databaseUrl: testDb.url,
    objectStore: new S3ObjectStore(bucket.client, bucket.bucket),
    boss,
    stripe: stripe.client(),
    logger: pino({ level: 'silent' }),
  });
  const app = createApp({ deps, logger: pino({ level: 'silent' }), corsOrigins: [] });
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl,
    testDb,
    bucket,
    stripe,
    deps,
    async stop() {
      await deps.orderChanges.close();
      await boss.stop({ graceful: false });
      await new Promise((resolve) => server.close(resolve));
      await stripe.stop();
      await testDb.destroy();
    },
  };
}
