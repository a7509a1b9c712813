/**
 * Postgres is down when Stripe's webhook arrives: we answer 5xx (never acknowledge what we could not store),
 * Stripe delivers again after recovery, and the order is fulfilled exactly once.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureQueues, S3ObjectStore } from '@restoreclick/core';
import { createDb, migrateToLatest } from '@restoreclick/db';
import { type LocalStripe, startLocalStripe } from '@restoreclick/devkit';
import {
  createTestBucket,
  findFreePort,
  startEmbeddedPostgres,
  type TestBucket,
  waitFor,
} from '@restoreclick/devkit/testing';
import {
  composeWorkerDependencies,
  createHandlers,
  createWorker,
  restorationProviderFromConfig,
  type Worker,
} from '@restoreclick/worker';
import { createApp } from './app';
import { seedUploadSession } from '../test/factories';
import { createTestDependencies, TEST_WEBHOOK_SECRET, testWorkerConfig } from '../test/helpers';

describe('webhook while the database is down', () => {
  let root: string;
  let port: number;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let handle: ReturnType<typeof createDb>;
  let bucket: TestBucket;
  let stripe: LocalStripe;
  let boss: PgBoss;
  let worker: Worker;
  let server: ServerType;

  const startPostgres = () =>
    startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port, persistent: true, fast: true });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'restoreclick-dbdown-'));
    await chmod(root, 0o755);
    port = await findFreePort();
    postgres = await startPostgres();
    await postgres.ensureDatabase('shop');
    const url = postgres.urlFor('shop');
    handle = createDb({ connectionString: url, maxConnections: 5 });
    await migrateToLatest(handle.db);
    bucket = await createTestBucket();
    stripe = await startLocalStripe({
      webhookSecret: TEST_WEBHOOK_SECRET,
      retrySchedule: [500, 1000, 2000, 3000, 5000, 8000],
    });
    boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
    boss.on('error', () => {});
    await boss.start();
    await ensureQueues(boss);
    const app = createApp({
      deps: createTestDependencies({ db: handle.db, bucket, stripe, boss }),
      logger: pino({ level: 'silent' }),
      corsOrigins: [],
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    stripe.setWebhookUrl(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`,
    );
    const restoration = await restorationProviderFromConfig(testWorkerConfig());
    worker = createWorker({
      connectionString: url,
      logger: pino({ level: 'silent' }),
      handlers: (workerBoss) => ({
        'stripe.event': createHandlers(
          composeWorkerDependencies({
            config: testWorkerConfig(),
            restoration,
            db: handle.db,
            objectStore: new S3ObjectStore(bucket.client, bucket.bucket),
            stripe: stripe.client(),
            boss: workerBoss,
            logger: pino({ level: 'silent' }),
          }),
        )['stripe.event'],
      }),
      concurrency: 2,
      pollingIntervalSeconds: 1,
      shutdownGraceSeconds: 2,
      maxConnections: 3,
    });
    worker.boss.on('error', () => {});
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop().catch(() => {});
    await boss?.stop({ graceful: false }).catch(() => {});
    await new Promise((resolve) => server?.close(resolve));
    await stripe?.stop();
    await handle?.db.destroy();
    await postgres?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 503 while Postgres is down and fulfils once from the redelivery', async () => {
    const { uploadSessionId } = await seedUploadSession(handle.db, bucket, { photos: 2 });
    const app = createApp({
      deps: createTestDependencies({ db: handle.db, bucket, stripe, boss }),
      logger: pino({ level: 'silent' }),
      corsOrigins: [],
    });
    const created = await app.request('/trpc/checkout.create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uploadSessionId, email: 'grace@example.com', name: 'Grace Hopper' }),
    });
    const { orderId, checkoutUrl } = (
      (await created.json()) as { result: { data: { orderId: string; checkoutUrl: string } } }
    ).result.data;
    const sessionId = checkoutUrl.split('/').at(-1) ?? '';

    await postgres.stop();
    stripe.completeCheckout(sessionId, 'pay');
    const completed = stripe.events().find((event) => event.type === 'checkout.session.completed');
    await waitFor(
      () =>
        stripe
          .deliveries()
          .some((attempt) => attempt.eventId === completed?.id && attempt.status === 503),
      { timeout: 10_000, message: 'a 503 for the first delivery' },
    );
    expect(
      stripe
        .deliveries()
        .filter((attempt) => attempt.eventId === completed?.id && attempt.status === 200),
    ).toEqual([]);

    postgres = await startPostgres();
    await waitFor(
      async () => {
        const order = await handle.db
          .selectFrom('orders')
          .select('status')
          .where('id', '=', orderId)
          .executeTakeFirst();
        return order?.status === 'paid';
      },
      { timeout: 40_000, interval: 200, message: 'the order to be paid after recovery' },
    );
    const jobs = await handle.db
      .selectFrom('restoration_jobs')
      .select('id')
      .where('order_id', '=', orderId)
      .execute();
    const emails = await handle.db
      .selectFrom('email_messages')
      .select('id')
      .where('order_id', '=', orderId)
      .execute();
    expect({ jobs: jobs.length, emails: emails.length }).toEqual({ jobs: 2, emails: 1 });
    const statuses = stripe
      .deliveries()
      .filter((attempt) => attempt.eventId === completed?.id)
      .map((attempt) => attempt.status);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  }, 90_000);
});
