/**
 * The money path end to end: real `stripe` client against the local Stripe server, its signed webhooks to our
 * real route, pg-boss and the worker's handlers on a real Postgres, files on the S3 API.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '@restoreclick/core';
import { type LocalStripe, signPayload, startLocalStripe } from '@restoreclick/devkit';
import {
  createTestBucket,
  createTestDatabase,
  type TestBucket,
  type TestDatabase,
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
import {
  createTestDependencies,
  startProducerBoss,
  TEST_WEBHOOK_SECRET,
  testWorkerConfig,
} from '../test/helpers';
import { seedUploadSession } from '../test/factories';

describe('payments', () => {
  let testDb: TestDatabase;
  let bucket: TestBucket;
  let stripe: LocalStripe;
  let boss: PgBoss;
  let worker: Worker;
  let server: ServerType;
  let apiUrl: string;
  let deps: ReturnType<typeof createTestDependencies>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    bucket = await createTestBucket();
    stripe = await startLocalStripe({
      webhookSecret: TEST_WEBHOOK_SECRET,
      retrySchedule: [50, 100, 200, 400],
    });
    boss = await startProducerBoss(testDb.url);
    deps = createTestDependencies({ db: testDb.db, bucket, stripe, boss });
    const app = createApp({ deps, logger: pino({ level: 'silent' }), corsOrigins: [] });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stripe.setWebhookUrl(`${apiUrl}/webhooks/stripe`);

    const restoration = await restorationProviderFromConfig(testWorkerConfig());
    worker = createWorker({
      connectionString: testDb.url,
      logger: pino({ level: 'silent' }),
      // Only the payment queues: restoration and email jobs stay queued so the test can count them.
      handlers: (workerBoss) => {
        const all = createHandlers(
          composeWorkerDependencies({
            config: testWorkerConfig(),
            restoration,
            db: testDb.db,
            objectStore: new S3ObjectStore(bucket.client, bucket.bucket),
            stripe: stripe.client(),
            boss: workerBoss,
            logger: pino({ level: 'silent' }),
          }),
        );
        return {
          'stripe.event': all['stripe.event'],
          'payments.reconcile': all['payments.reconcile'],
        };
      },
      concurrency: 4,
      pollingIntervalSeconds: 1,
      shutdownGraceSeconds: 5,
      maxConnections: 6,
    });
    await worker.start();
  });

  afterEach(async () => {
    stripe.releaseDeliveries();
    await stripe.deliveriesIdle();
  });

  afterAll(async () => {
    await worker?.stop();
    await boss?.stop({ graceful: false });
    await new Promise((resolve) => server?.close(resolve));
    await stripe?.stop();
    await testDb?.destroy();
  });

  async function checkout(photos = 2) {
    const { uploadSessionId, tempKeys } = await seedUploadSession(testDb.db, bucket, { photos });
    const response = await fetch(`${apiUrl}/trpc/checkout.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uploadSessionId, email: 'Ada@Example.com ', name: 'Ada Lovelace' }),
    });
    const body = (await response.json()) as {
      result: { data: { orderId: string; checkoutUrl: string } };
    };
    const { orderId, checkoutUrl } = body.result.data;
    const sessionId = checkoutUrl.split('/').at(-1) ?? '';
    return { orderId, sessionId, uploadSessionId, tempKeys };
  }

  function order(orderId: string) {
    return testDb.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
  }

  async function waitForStatus(orderId: string, status: string) {
    await waitFor(async () => (await order(orderId)).status === status, {
      timeout: 15_000,
      message: `order ${orderId} to become ${status}`,
    });
  }

  async function counts(orderId: string) {
    const [jobs, emails, queued, mails] = await Promise.all([
      testDb.db
        .selectFrom('restoration_jobs')
        .select(sql<string>`count(*)`.as('n'))
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow(),
      testDb.db
        .selectFrom('email_messages')
        .select(sql<string>`count(*)`.as('n'))
        .where('order_id', '=', orderId)
        .executeTakeFirstOrThrow(),
      sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'restoration.run'
        and data->>'restorationJobId' in (select id::text from restoration_jobs where order_id = ${orderId})`.execute(
        testDb.db,
      ),
      sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'email.send'
        and data->>'emailMessageId' in (select id::text from email_messages where order_id = ${orderId})`.execute(
        testDb.db,
      ),
    ]);
    return {
      restorationJobs: Number(jobs.n),
      emails: Number(emails.n),
      queuedRestorations: Number(queued.rows[0]?.n),
      queuedEmails: Number(mails.rows[0]?.n),
    };
  }

  it('turns a payment in the local checkout into exactly one paid order with its files, jobs, email and timeline', async () => {
    const { orderId, sessionId, tempKeys } = await checkout(3);
    expect((await order(orderId)).status).toBe('pending_payment');

    const paid = await fetch(`${stripe.url}/checkout/${sessionId}/outcome`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'pay', email: 'ada@example.com' }),
      redirect: 'manual',
    });
    expect(paid.headers.get('location')).toBe(
      `http://shop.test/checkout/success?session_id=${sessionId}`,
    );

    await waitForStatus(orderId, 'paid');
    const paidOrder = await order(orderId);
    expect(paidOrder).toMatchObject({ amount_paid: 2700, total_amount: 2700, currency: 'usd' });
    expect(paidOrder.stripe_payment_intent_id).toMatch(/^pi_/);
    expect(paidOrder.stripe_customer_id).toMatch(/^cus_/);

    expect(await counts(orderId)).toEqual({
      restorationJobs: 3,
      emails: 1,
      queuedRestorations: 3,
      queuedEmails: 1,
    });
    const originals = await new S3ObjectStore(bucket.client, bucket.bucket).list(
      `uploads/originals/${orderId}/`,
    );
    expect(originals).toHaveLength(3);
    await waitFor(
      async () =>
        (await new S3ObjectStore(bucket.client, bucket.bucket).list('uploads/temp/')).every(
          (o) => !tempKeys.includes(o.key),
        ),
      { message: 'the temporary copies to be deleted' },
    );
    const timeline = await testDb.db
      .selectFrom('order_events')
      .select(['type', 'from_status', 'to_status', 'actor'])
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    expect(timeline.map((event) => event.type)).toEqual([
      'order.created',
      'checkout.session_created',
      'payment.succeeded',
      'restoration.queued',
      'email.queued',
    ]);
    expect(timeline[2]).toMatchObject({
      from_status: 'pending_payment',
      to_status: 'paid',
      actor: 'stripe',
    });
  });

  it('fulfils once when the same event arrives 50 times at once while the success page confirms', async () => {
    const { orderId, sessionId } = await checkout(2);
    stripe.holdDeliveries();
    stripe.completeCheckout(sessionId, 'pay');
    const completed = stripe
      .events()
      .find(
        (event) =>
          event.type === 'checkout.session.completed' &&
          (event.data as { object: { id: string } }).object.id === sessionId,
      );
    const confirmations = Array.from({ length: 5 }, () =>
      fetch(`${apiUrl}/trpc/orders.confirmCheckout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId }),
      }),
    );
    await Promise.all([stripe.redeliver(String(completed?.id), { times: 50 }), ...confirmations]);
    const answers = await Promise.all(
      (await Promise.all(confirmations)).map(
        async (response) =>
          (await response.json()) as { result?: { data: { accessToken: string; status: string } } },
      ),
    );
    for (const answer of answers) expect(answer.result?.data.status).toBe('paid');

    await waitFor(
      async () =>
        (
          await testDb.db
            .selectFrom('stripe_events')
            .select('status')
            .where('id', '=', String(completed?.id))
            .executeTakeFirst()
        )?.status === 'processed',
      {
        timeout: 15_000,
        message: 'the event to be processed',
      },
    );
    expect(await counts(orderId)).toEqual({
      restorationJobs: 2,
      emails: 1,
      queuedRestorations: 2,
      queuedEmails: 1,
    });
    const stored = await testDb.db
      .selectFrom('stripe_events')
      .select(sql<string>`count(*)`.as('n'))
      .where('id', '=', String(completed?.id))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(1);
    const paidEvents = await testDb.db
      .selectFrom('order_events')
      .select('id')
      .where('order_id', '=', orderId)
      .where('type', '=', 'payment.succeeded')
      .execute();
    expect(paidEvents).toHaveLength(1);
  });

  it('ends paid when async_payment_succeeded arrives before completed, and an expiry after payment changes nothing', async () => {
    const { orderId, sessionId } = await checkout(1);
    stripe.holdDeliveries();
    stripe.completeCheckout(sessionId, 'async_success');
    stripe.settleAsyncPayment(sessionId);
    const ids = stripe
      .events()
      .filter(
        (event) =>
          String(event.type).startsWith('checkout.session.') &&
          (event.data as { object: { id: string } }).object.id === sessionId,
      )
      .map((event) => ({ id: event.id, type: String(event.type) }));
    const succeeded = ids.find(
      (event) => event.type === 'checkout.session.async_payment_succeeded',
    );
    const completed = ids.find((event) => event.type === 'checkout.session.completed');
    stripe.releaseDeliveries({ order: [String(succeeded?.id), String(completed?.id)] });
    await waitForStatus(orderId, 'paid');

    // A late, forged-in-time "expired" for the same session (signed properly) must not move a paid order.
    const expired = JSON.stringify({
      id: 'evt_late_expiry_1',
      object: 'event',
      type: 'checkout.session.expired',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: { id: sessionId, object: 'checkout.session', metadata: { order_id: orderId } },
      },
    });
    const response = await fetch(`${apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'stripe-signature': signPayload(expired, TEST_WEBHOOK_SECRET),
        'content-type': 'application/json',
      },
      body: expired,
    });
    expect(response.status).toBe(200);
    await waitFor(
      async () =>
        (
          await testDb.db
            .selectFrom('stripe_events')
            .select('status')
            .where('id', '=', 'evt_late_expiry_1')
            .executeTakeFirst()
        )?.status === 'processed',
      {
        message: 'the expiry to be processed',
      },
    );
    expect((await order(orderId)).status).toBe('paid');
    expect(await counts(orderId)).toMatchObject({ restorationJobs: 1, emails: 1 });
  });

  it('marks failed and expired checkouts without fulfilling them', async () => {
    const failing = await checkout(1);
    const expiring = await checkout(1);
    stripe.completeCheckout(failing.sessionId, 'async_failure');
    stripe.settleAsyncPayment(failing.sessionId);
    stripe.completeCheckout(expiring.sessionId, 'expire');
    await waitForStatus(failing.orderId, 'payment_failed');
    await waitForStatus(expiring.orderId, 'expired');
    expect(await counts(failing.orderId)).toMatchObject({ restorationJobs: 0, emails: 0 });
  });

  it('rejects forged, stale, malformed and empty webhooks with a 4xx and stores nothing', async () => {
    const payload = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: {} },
    });
    const attempts = [
      { name: 'forged', body: payload, signature: signPayload(payload, 'whsec_someone_else') },
      {
        name: 'stale',
        body: payload,
        signature: signPayload(payload, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
      },
      {
        name: 'malformed',
        body: '{"id": "evt_bad", ',
        signature: signPayload('{"id": "evt_bad", ', TEST_WEBHOOK_SECRET),
      },
      { name: 'empty', body: '', signature: signPayload('', TEST_WEBHOOK_SECRET) },
      { name: 'unsigned', body: payload, signature: undefined },
    ];
    for (const attempt of attempts) {
      const response = await fetch(`${apiUrl}/webhooks/stripe`, {
        method: 'POST',
        headers: attempt.signature ? { 'stripe-signature': attempt.signature } : {},
        body: attempt.body,
      });
      expect({ name: attempt.name, status: response.status }).toEqual({
        name: attempt.name,
        status: 400,
      });
      const text = await response.text();
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const stored = await testDb.db
      .selectFrom('stripe_events')
      .select('id')
      .where('id', 'in', ['evt_forged', 'evt_bad'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('lets reconciliation fulfil a paid session whose webhook never came', async () => {
    const { orderId, sessionId } = await checkout(2);
    stripe.holdDeliveries(); // the webhook is lost
    stripe.completeCheckout(sessionId, 'pay');
    expect((await order(orderId)).status).toBe('pending_payment');

    await worker.boss.send('payments.reconcile', {});
    await waitForStatus(orderId, 'paid');
    expect(await counts(orderId)).toMatchObject({ restorationJobs: 2, emails: 1 });
    const events = await testDb.db
      .selectFrom('order_events')
      .select(['type', 'actor'])
      .where('order_id', '=', orderId)
      .where('type', '=', 'payment.succeeded')
      .execute();
    expect(events).toEqual([{ type: 'payment.succeeded', actor: 'reconciliation' }]);
  });

  it('reports webhook health', async () => {
    const response = await fetch(`${apiUrl}/webhooks/stripe/health`);
    const health = (await response.json()) as {
      total: number;
      backlog: number;
      lastReceivedAt: string | null;
    };
    expect(health.total).toBeGreaterThan(0);
    expect(health.lastReceivedAt).not.toBeNull();
  });
});
