/**
 * The whole system in one test process: the real api (HTTP, on a port), the real worker loop with every
 * handler, the local Stripe server sending signed webhooks to the api, a test database and bucket. Tests
 * choose the restoration provider and email transport; `payForOrder` takes an order through real checkout.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import pino from 'pino';
import sharp from 'sharp';
import { type EmailTransport, S3ObjectStore, tempUploadKeyFor } from '@restoreclick/core';
import { type LocalStripe, startLocalStripe } from '@restoreclick/devkit';
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
  type WorkerDependencies,
} from '@restoreclick/worker';
import { createApp } from '../src/app';
import type { ApiDependencies } from '../src/dependencies';
import {
  createTestDependencies,
  startProducerBoss,
  TEST_WEBHOOK_SECRET,
  testWorkerConfig,
} from './helpers';

type RestorationChoice = Parameters<typeof composeWorkerDependencies>[0]['restoration'];

export interface FullStackOptions {
  /** Worker settings as environment strings (parsed by the worker's real env schema). */
  workerEnv?: Record<string, string>;
  restoration?: RestorationChoice;
  emailTransport?: EmailTransport;
  /** Verifies Replicate webhooks at the api. */
  replicateWebhookSecret?: string;
  /** Give the worker the api's URL as PUBLIC_URL, so predictions ask for webhooks to it. */
  webhooksToApi?: boolean;
  /** False: no worker in this process (the test runs the real worker process itself). */
  inProcessWorker?: boolean;
  /** Where the api and the worker log (default: nowhere), e.g. to check what logs contain. */
  logger?: pino.Logger;
}

export interface CheckoutOptions {
  photos?: number;
  option?: string;
  /** Positions (0-based) of photos whose file no model can read: bytes that are not an image. */
  unreadable?: number[];
  /** The JPEG file of the photo at each position (default: `samplePhoto`). */
  photo?: (index: number) => Promise<Buffer>;
}

export interface FullStack {
  testDb: TestDatabase;
  bucket: TestBucket;
  store: S3ObjectStore;
  stripe: LocalStripe;
  apiUrl: string;
  api: ApiDependencies;
  /** The in-process worker, unless `inProcessWorker` is false. */
  worker?: Worker;
  workerDeps?: WorkerDependencies;
  /** Uploads `photos` real JPEGs, checks out and pays on the local checkout page; resolves with the order id. */
  payForOrder(options?: CheckoutOptions): Promise<string>;
  /** Uploads and checks out without paying: the order waits for payment. */
  checkout(
    options?: CheckoutOptions,
  ): Promise<{ orderId: string; accessToken: string; checkoutUrl: string }>;
  /** The same, also giving the access token checkout returned to the customer. */
  checkoutAndPay(options?: CheckoutOptions): Promise<{ orderId: string; accessToken: string }>;
  waitForOrderStatus(orderId: string, status: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A photo with some structure (gradient and shapes), so a restorer has something to work on. */
export async function samplePhoto(seed: number, width = 96, height = 72): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="rgb(${40 + seed * 20},60,90)"/>
    <stop offset="1" stop-color="rgb(220,${180 - seed * 10},140)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${30 + seed * 5}" cy="36" r="18" fill="rgb(250,230,200)"/>
    <rect x="60" y="20" width="24" height="36" fill="rgb(30,30,40)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

async function seedPhotos(
  stack: { testDb: TestDatabase; store: S3ObjectStore },
  photos: number,
  unreadable: number[] = [],
  photo: (index: number) => Promise<Buffer> = samplePhoto,
) {
  const session = await stack.testDb.db
    .insertInto('upload_sessions')
    .values({ expires_at: new Date(Date.now() + 3_600_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let index = 0; index < photos; index += 1) {
    const id = randomUUID();
    const key = tempUploadKeyFor(session.id, id, 'image/jpeg');
    const body = unreadable.includes(index)
      ? Buffer.from('not a photo: the scanner saved an empty page')
      : await photo(index);
    // Upright dimensions, as the upload service records them.
    const metadata = unreadable.includes(index) ? undefined : await sharp(body).metadata();
    await stack.store.put(key, body, { contentType: 'image/jpeg' });
    await stack.testDb.db
      .insertInto('uploads')
      .values({
        id,
        upload_session_id: session.id,
        temp_key: key,
        original_filename: `grandma-${index + 1}.jpg`,
        mime_type: 'image/jpeg',
        bytes: body.length,
        width: metadata?.autoOrient.width ?? 96,
        height: metadata?.autoOrient.height ?? 72,
        sha256: createHash('sha256').update(body).digest('hex'),
      })
      .execute();
  }
  return session.id;
}

export async function startFullStack(options: FullStackOptions = {}): Promise<FullStack> {
  const testDb = await createTestDatabase();
  const bucket = await createTestBucket();
  const store = new S3ObjectStore(bucket.client, bucket.bucket);
  const stripe = await startLocalStripe({
    webhookSecret: TEST_WEBHOOK_SECRET,
    retrySchedule: [50, 100, 200, 400],
  });
  const producer: PgBoss = await startProducerBoss(testDb.url);
  const api: ApiDependencies = {
    ...createTestDependencies({
      db: testDb.db,
      pool: testDb.pool,
      databaseUrl: testDb.url,
      bucket,
      stripe,
      boss: producer,
    }),
    ...(options.replicateWebhookSecret
      ? { replicateWebhookSecret: options.replicateWebhookSecret }
      : {}),
  };
  const logger = options.logger ?? pino({ level: 'silent' });
  const app = createApp({ deps: api, logger, corsOrigins: [] });
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stripe.setWebhookUrl(`${apiUrl}/webhooks/stripe`);

  const config = testWorkerConfig({
    RESTORATION_RETRY_DELAY_SECONDS: '0',
    RESTORATION_POLL_DELAY_SECONDS: '1',
    EMAIL_RETRY_DELAY_MS: '200',
    ...(options.webhooksToApi ? { PUBLIC_URL: apiUrl } : {}),
    ...options.workerEnv,
  });
  let worker: Worker | undefined;
  let workerDeps: WorkerDependencies | undefined;
  if (options.inProcessWorker !== false) {
    const restoration = options.restoration ?? (await restorationProviderFromConfig(config));
    worker = createWorker({
      connectionString: testDb.url,
      logger,
      handlers: (boss) => {
        workerDeps = composeWorkerDependencies({
          config,
          db: testDb.db,
          objectStore: store,
          stripe: stripe.client(),
          boss,
          logger,
          restoration,
          ...(options.emailTransport ? { emailTransport: options.emailTransport } : {}),
        });
        return createHandlers(workerDeps);
      },
      concurrency: 4,
      pollingIntervalSeconds: 0.5,
      shutdownGraceSeconds: 5,
      maxConnections: 8,
    });
    await worker.start();
  }

  async function orderStatus(orderId: string) {
    const row = await testDb.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    return row.status;
  }

  const stack: FullStack = {
    testDb,
    bucket,
    store,
    stripe,
    apiUrl,
    api,
    ...(worker ? { worker } : {}),
    ...(workerDeps ? { workerDeps } : {}),
    async payForOrder(options = {}) {
      return (await stack.checkoutAndPay(options)).orderId;
    },
    async checkout({ photos = 2, option = 'standard', unreadable = [], photo } = {}) {
      const uploadSessionId = await seedPhotos({ testDb, store }, photos, unreadable, photo);
      const response = await fetch(`${apiUrl}/trpc/checkout.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ uploadSessionId, email: 'ada@example.com', name: 'Ada', option }),
      });
      const body = (await response.json()) as {
        result?: { data: { orderId: string; checkoutUrl: string; accessToken: string } };
        error?: unknown;
      };
      if (!body.result) throw new Error(`checkout failed: ${JSON.stringify(body.error)}`);
      return body.result.data;
    },
    async checkoutAndPay(options = {}) {
      const { orderId, checkoutUrl, accessToken } = await stack.checkout(options);
      const paid = await fetch(`${checkoutUrl.replace(/^https?:\/\/[^/]+/, stripe.url)}/outcome`, {
        method: 'POST',
        body: new URLSearchParams({ outcome: 'pay', email: 'ada@example.com', name: 'Ada' }),
        redirect: 'manual',
      });
      if (paid.status !== 303) throw new Error(`paying failed with ${paid.status}`);
      return { orderId, accessToken };
    },
    async waitForOrderStatus(orderId, status, timeoutMs = 30_000) {
      await waitFor(async () => (await orderStatus(orderId)) === status, {
        timeout: timeoutMs,
        message: `order ${orderId} to become ${status}`,
      });
    },
    async stop() {
      await worker?.stop();
      await workerDeps?.close();
      await api.orderChanges.close();
      await producer.stop({ graceful: false });
      await new Promise((resolve) => server.close(resolve));
      await stripe.stop();
      await testDb.destroy();
    },
  };
  return stack;
}

/** Jobs in `restoration.run`'s dead-letter queue for the order's attempts. */
export async function deadLettersOf(stack: FullStack, orderId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from pgboss.job where name = 'restoration.run.dead'
      and data->>'restorationJobId' in (select id::text from restoration_jobs where order_id = ${orderId})
  `.execute(stack.testDb.db);
  return Number(rows[0]?.n ?? 0);
}
