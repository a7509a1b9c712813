/**
 * Paid → restoration-complete email sent, with an instant restorer, one order at a time: how long our own
 * machinery takes (the restoration.run job, fetching the original, checking and storing the output, settling
 * the order, rendering the email, the email.send job, the outbox) around a model that takes no time.
 *
 * Baseline: bare pg-boss running the same two hops (a job whose handler sends the next one) with the same
 * LISTEN/NOTIFY and polling settings, no work in either handler: the queue's own floor.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import sharp from 'sharp';
import Stripe from 'stripe';
import {
  type CheckoutSessionInfo,
  fulfilOrder,
  generateToken,
  hashToken,
  type LocalRestorationProvider,
  PgBossJobQueue,
  S3ObjectStore,
  StripePaymentProvider,
  tempUploadKeyFor,
} from '@restoreclick/core';
import { createDb, type Database, type Kysely } from '@restoreclick/db';
import { findFreePort, startEmbeddedS3 } from '@restoreclick/devkit';
import {
  composeWorkerDependencies,
  createHandlers,
  createWorker,
  loadWorkerConfig,
} from '@restoreclick/worker';
import type { Benchmark, BenchContext } from '../harness';
import { percentile } from '../support';

const ORDERS = 40;
const POLLING_SECONDS = 2;
const TIMEOUT_MS = 30_000;

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting for the pipeline');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A pending order with one photo in temporary storage, as checkout leaves it. */
async function pendingOrder(db: Kysely<Database>, store: S3ObjectStore, photo: Buffer) {
  const session = await db
    .insertInto('upload_sessions')
    .values({ expires_at: new Date(Date.now() + 3_600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const imageId = randomUUID();
  const tempKey = tempUploadKeyFor(session.id, imageId, 'image/jpeg');
  await store.put(tempKey, photo, { contentType: 'image/jpeg' });
  const email = `bench-${session.id}@example.com`;
  const customer = await db
    .insertInto('customers')
    .values({ email, email_normalized: email, name: 'Bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const order = await db
    .insertInto('orders')
    .values({
      customer_id: customer.id,
      upload_session_id: session.id,
      currency: 'usd',
      unit_amount: 900,
      subtotal_amount: 900,
      total_amount: 900,
      access_token_hash: hashToken(generateToken()),
      customer_email: email,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('order_images')
    .values({
      id: imageId,
      order_id: order.id,
      position: 0,
      original_filename: 'bench.jpg',
      mime_type: 'image/jpeg',
      temp_key: tempKey,
      width: 256,
      height: 256,
      bytes: photo.length,
      checksum_sha256: createHash('sha256').update(photo).digest('hex'),
    })
    .execute();
  return order.id;
}

function paidSession(orderId: string): CheckoutSessionInfo {
  return {
    id: `cs_bench_${orderId.replaceAll('-', '')}`,
    url: null,
    status: 'complete',
    paymentStatus: 'paid',
    orderId,
    currency: 'usd',
    amountSubtotal: 900,
    amountTotal: 900,
    amountDiscount: 0,
    amountTax: 0,
    paymentIntentId: `pi_bench_${orderId.slice(0, 8)}`,
    customerId: null,
    customerEmail: null,
    customerName: null,
    billingAddress: null,
    createdAt: new Date(),
    expiresAt: null,
  };
}

async function measureOurs(context: BenchContext, directory: string): Promise<number[]> {
  const url = await context.migratedDatabase('bench_completion_ours');
  const s3Server = await startEmbeddedS3({
    directory,
    port: await findFreePort(),
    buckets: ['bench'],
  });
  const s3 = new S3Client({
    endpoint: s3Server.endpoint,
    region: s3Server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3Server.accessKeyId, secretAccessKey: s3Server.secretAccessKey },
  });
  const store = new S3ObjectStore(s3, 'bench');
  const { db } = createDb({ connectionString: url, maxConnections: 10 });
  const photo = await sharp({
    create: { width: 256, height: 256, channels: 3, background: { r: 150, g: 120, b: 90 } },
  })
    .jpeg()
    .toBuffer();
  const restoredPhoto = await sharp(photo).resize(512, 512).png().toBuffer();
  const instant: LocalRestorationProvider = {
    kind: 'local',
    name: 'instant',
    restore: async () => ({
      image: restoredPhoto,
      contentType: 'image/png',
      width: 512,
      height: 512,
      seconds: 0,
      steps: ['instant'],
    }),
  };
  const config = loadWorkerConfig({ NODE_ENV: 'test', WORKER_HEALTH_PORT: '0' });
  const logger = pino({ level: 'silent' });
  const worker = createWorker({
    connectionString: url,
    logger,
    handlers: (boss) =>
      createHandlers(
        composeWorkerDependencies({
          config,
          db,
          objectStore: store,
          stripe: new Stripe('sk_test_bench'),
          boss,
          logger,
          restoration: { provider: instant, close: async () => {} },
        }),
      ),
    concurrency: config.WORKER_CONCURRENCY,
    pollingIntervalSeconds: POLLING_SECONDS,
    shutdownGraceSeconds: 5,
  });
  await worker.start();
  const fulfilment = {
    payments: new StripePaymentProvider(new Stripe('sk_test_bench'), 'whsec_bench'),
    storage: store,
    jobs: new PgBossJobQueue(worker.boss),
    restorationProvider: 'instant',
  };
  const latencies: number[] = [];
  try {
    for (let index = 0; index < ORDERS; index += 1) {
      const orderId = await pendingOrder(db, store, photo);
      const session = paidSession(orderId);
      await fulfilOrder(db, fulfilment, {
        checkoutSessionId: session.id,
        actor: 'stripe',
        session,
      });
      const paidAt = performance.now();
      await until(async () => {
        const email = await db
          .selectFrom('email_messages')
          .select('status')
          .where('order_id', '=', orderId)
          .where('kind', '=', 'restoration_complete')
          .where('status', '=', 'sent')
          .executeTakeFirst();
        return email;
      });
      latencies.push(performance.now() - paidAt);
    }
  } finally {
    await worker.stop();
    await db.destroy();
    await s3Server.stop();
  }
  return latencies;
}

async function measureBare(context: BenchContext): Promise<number[]> {
  const url = await context.migratedDatabase('bench_completion_bare');
  const boss = new PgBoss({ connectionString: url, useListenNotify: true });
  boss.on('error', () => {});
  await boss.start();
  for (const name of ['hop.first', 'hop.second']) await boss.createQueue(name, { notify: true });
  const finished = new Map<string, number>();
  const work = {
    batchSize: 10,
    pollingIntervalSeconds: POLLING_SECONDS,
    notifyPollingIntervalSeconds: POLLING_SECONDS,
    burstWhenBatchFull: true,
  };
  await boss.work<{ run: string }>('hop.first', work, async (jobs) => {
    for (const job of jobs) await boss.send('hop.second', job.data);
  });
  await boss.work<{ run: string }>('hop.second', work, async (jobs) => {
    for (const job of jobs) finished.set(job.data.run, performance.now());
  });
  const latencies: number[] = [];
  try {
    for (let index = 0; index < ORDERS; index += 1) {
      const run = randomUUID();
      const sentAt = performance.now();
      await boss.send('hop.first', { run });
      const doneAt = await until(async () => finished.get(run));
      latencies.push(doneAt - sentAt);
    }
  } finally {
    await boss.stop({ graceful: true, timeout: 5_000 });
  }
  return latencies;
}

export const completionLatency: Benchmark = {
  name: 'completion-latency',
  description: `paid → restoration-complete email sent, instant restorer, ${ORDERS} orders one at a time`,
  baseline: 'bare pg-boss: two chained no-op jobs with the same LISTEN/NOTIFY and polling settings',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-s3-'));
    await chmod(directory, 0o755);
    try {
      const ours = await measureOurs(context, directory);
      const bare = await measureBare(context);
      context.log(
        `ours p50 ${percentile(ours, 0.5).toFixed(1)} ms, bare p50 ${percentile(bare, 0.5).toFixed(1)} ms`,
      );
      return {
        metrics: [
          {
            name: 'latency p50',
            unit: 'ms',
            ours: percentile(ours, 0.5),
            baseline: percentile(bare, 0.5),
            higherIsBetter: false,
          },
          {
            name: 'latency p99',
            unit: 'ms',
            ours: percentile(ours, 0.99),
            baseline: percentile(bare, 0.99),
            higherIsBetter: false,
          },
        ],
        notes: [
          'Ours includes fetching the original from S3, checking the output with sharp, storing it, settling the order and rendering the mjml email.',
        ],
      };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  },
};
