/**
 * The whole system as separate processes, for the chaos suite: the real api and worker processes (started from
 * source, as `npm start` runs them), an embedded Postgres and an embedded S3 of their own (so a test can stop
 * and restart them on the same port and data), and the local Stripe, Replicate and SendGrid servers. Every
 * secret is a fresh random value, so a test can look for it in the logs. Customers are played through the
 * public HTTP API only: upload, checkout, pay on Stripe.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import pg from 'pg';
import { expect } from 'vitest';
import { S3ObjectStore } from '@restoreclick/core';
import { createDb, type Database, type Kysely, migrateToLatest } from '@restoreclick/db';
import {
  type EmbeddedPostgresServer,
  type EmbeddedS3Server,
  findFreePort,
  type LocalReplicate,
  type LocalSendGrid,
  type LocalStripe,
  startEmbeddedPostgres,
  startEmbeddedS3,
  startLocalReplicate,
  startLocalSendGrid,
  startLocalStripe,
} from '@restoreclick/devkit';
import { waitFor } from '@restoreclick/devkit/testing';
import { samplePhoto } from '../full-stack';
import { callProcedure } from '../wire';
import { type ManagedProcess, startProcess } from './managed-process';

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUCKET = 'restoreclick-chaos';
const DATABASE = 'restoreclick';
const APP_ROLE = 'restoreclick_app';

export interface ChaosSystemOptions {
  /** Start a worker process with the system (default true); `startWorker` starts more later. */
  worker?: boolean;
  /** More worker settings, as environment strings. */
  workerEnv?: Record<string, string>;
  /** More api settings, as environment strings. */
  apiEnv?: Record<string, string>;
  /** Delays of the local Stripe server's automatic webhook retries, in ms. */
  stripeRetrySchedule?: readonly number[];
  logLevel?: string;
}

export interface PlacedOrder {
  orderId: string;
  accessToken: string;
  checkoutSessionId: string;
  checkoutUrl: string;
  uploadSessionId: string;
}

export interface ChaosSystem {
  apiUrl: string;
  databaseUrl: string;
  /** The test's own connection to the system's database. */
  db: Kysely<Database>;
  /** The test's own client of the system's bucket. */
  store: S3ObjectStore;
  stripe: LocalStripe;
  replicate: LocalReplicate;
  sendgrid: LocalSendGrid;
  api(): ManagedProcess;
  /** The worker started last, if any. */
  worker(): ManagedProcess | undefined;
  startWorker(): Promise<ManagedProcess>;
  /** A second api process on its own port, with more settings (NODE_ENV=production, say). */
  startAnotherApi(env: Record<string, string>): Promise<{ url: string; process: ManagedProcess }>;
  /** Stops Postgres (fast shutdown), keeping its data; `startDatabase` brings it back on the same port. */
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  /** Stops S3, keeping its files; `startStorage` brings it back on the same port. */
  stopStorage(): Promise<void>;
  startStorage(): Promise<void>;
  /** Uploads `photos` photos through the API and checks out; the order waits for payment. */
  placeOrder(options?: { photos?: number; email?: string }): Promise<PlacedOrder>;
  /** Pays on the local Stripe checkout page; Stripe then sends its webhooks to the api. */
  pay(order: PlacedOrder): void;
  /** Every secret the processes were given (and any a test adds), by name. */
  secrets: Map<string, string>;
  addSecret(name: string, value: string): void;
  /** Names of the secrets that appear in any process's output. */
  leakedSecrets(): string[];
  /** All output of every process started so far. */
  output(): string;
  /** Jobs by queue and state, and the tail of the output: what a failure message needs. */
  describe(): Promise<string>;
  stop(): Promise<void>;
}

const secret = (bytes = 18) => randomBytes(bytes).toString('hex');

export async function startChaosSystem(options: ChaosSystemOptions = {}): Promise<ChaosSystem> {
  const root = await mkdtemp(path.join(tmpdir(), 'restoreclick-chaos-'));
  // As root, Postgres runs as the `postgres` user, which must be able to enter this folder.
  await chmod(root, 0o755);
  const ports = {
    api: await findFreePort(),
    postgres: await findFreePort(),
    s3: await findFreePort(),
  };
  const secrets = new Map<string, string>([
    ['STRIPE_SECRET_KEY', `sk_test_local_${secret()}`],
    ['STRIPE_WEBHOOK_SECRET', `whsec_${secret()}`],
    ['SENDGRID_API_KEY', `SG.${secret()}.${secret()}`],
    ['REPLICATE_API_TOKEN', `r8_${secret()}`],
    ['S3_SECRET_ACCESS_KEY', secret()],
    ['DATABASE_PASSWORD', secret()],
    ['ADMIN_API_TOKEN', secret(24)],
  ]);
  const required = (name: string): string => {
    const value = secrets.get(name);
    if (!value) throw new Error(`no secret ${name}`);
    return value;
  };

  const startPostgres = () =>
    startEmbeddedPostgres({
      dataDir: path.join(root, 'postgres'),
      port: ports.postgres,
      persistent: true,
      fast: true,
    });
  const startS3 = () =>
    startEmbeddedS3({ directory: path.join(root, 's3'), port: ports.s3, buckets: [BUCKET] });

  let postgres: EmbeddedPostgresServer | undefined = await startPostgres();
  await postgres.ensureDatabase(DATABASE);
  // The app connects as a role of its own, so its password is a secret nobody else uses.
  const admin = new pg.Client({ connectionString: postgres.urlFor('postgres') });
  await admin.connect();
  await admin.query(
    `create role ${APP_ROLE} login superuser password '${required('DATABASE_PASSWORD')}'`,
  );
  await admin.end();
  const databaseUrl = `postgres://${APP_ROLE}:${required('DATABASE_PASSWORD')}@127.0.0.1:${ports.postgres}/${DATABASE}`;
  const { db } = createDb({
    connectionString: databaseUrl,
    maxConnections: 5,
    applicationName: 'chaos-test',
    onPoolError: () => {}, // the database is stopped on purpose in some scenarios
  });
  await migrateToLatest(db);

  let s3: EmbeddedS3Server | undefined = await startS3();
  const s3Settings = {
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_REGION: s3.region,
    // s3rver knows only its own key id; it does not check signatures, so the secret is ours to choose.
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: required('S3_SECRET_ACCESS_KEY'),
    S3_FORCE_PATH_STYLE: 'true',
  };
  const store = new S3ObjectStore(
    new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: s3Settings.S3_ACCESS_KEY_ID,
        secretAccessKey: s3Settings.S3_SECRET_ACCESS_KEY,
      },
      // As the apps configure it for an S3-compatible endpoint (s3ClientOptions).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    BUCKET,
  );

  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const stripe = await startLocalStripe({
    webhookSecret: required('STRIPE_WEBHOOK_SECRET'),
    webhookUrl: `${apiUrl}/webhooks/stripe`,
    retrySchedule: options.stripeRetrySchedule ?? [200, 500, 1_000, 2_000, 4_000, 8_000],
  });
  const replicate = await startLocalReplicate({ apiToken: required('REPLICATE_API_TOKEN') });
  secrets.set('REPLICATE_WEBHOOK_SECRET', replicate.webhookSecret);
  const sendgrid = await startLocalSendGrid({ apiKey: required('SENDGRID_API_KEY') });

  const sharedEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? 'info',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    DATABASE_URL: databaseUrl,
    ...s3Settings,
    STRIPE_API_URL: stripe.url,
    STRIPE_SECRET_KEY: required('STRIPE_SECRET_KEY'),
    STRIPE_WEBHOOK_SECRET: required('STRIPE_WEBHOOK_SECRET'),
    STOREFRONT_URL: 'http://shop.test',
    PUBLIC_URL: apiUrl,
    REPLICATE_API_TOKEN: required('REPLICATE_API_TOKEN'),
    REPLICATE_API_URL: replicate.baseUrl,
    SENDGRID_API_KEY: required('SENDGRID_API_KEY'),
    SENDGRID_API_URL: sendgrid.url,
  };
  const processes: ManagedProcess[] = [];

  async function startApi(port: number, env: Record<string, string> = {}): Promise<ManagedProcess> {
    const api = startProcess({
      name: 'api',
      cwd: path.join(appsDir, 'api'),
      env: {
        ...sharedEnv,
        PORT: String(port),
        HOST: '127.0.0.1',
        REPLICATE_WEBHOOK_SECRET: replicate.webhookSecret,
        ADMIN_API_TOKEN: required('ADMIN_API_TOKEN'),
        CORS_ORIGINS: 'http://shop.test',
        ...options.apiEnv,
        ...env,
      },
    });
    processes.push(api);
    await api.waitUntilServing(`http://127.0.0.1:${port}/healthz`);
    return api;
  }

  let currentWorker: ManagedProcess | undefined;
  async function startWorker(): Promise<ManagedProcess> {
    const healthPort = await findFreePort();
    const worker = startProcess({
      name: 'worker',
      cwd: path.join(appsDir, 'worker'),
      env: {
        ...sharedEnv,
        WORKER_HEALTH_PORT: String(healthPort),
        WORKER_POLLING_INTERVAL_SECONDS: '0.5',
        RESTORATION_POLL_DELAY_SECONDS: '1',
        RESTORATION_RETRY_DELAY_SECONDS: '1',
        EMAIL_RETRY_DELAY_MS: '200',
        SENDGRID_ACTIVITY_LAG_SECONDS: '0',
        SHUTDOWN_GRACE_SECONDS: '5',
        ...options.workerEnv,
      },
    });
    processes.push(worker);
    currentWorker = worker;
    // Its health endpoint answers once the job loop runs.
    await worker.waitUntilServing(`http://127.0.0.1:${healthPort}/healthz`);
    return worker;
  }

  const api = await startApi(ports.api);
  if (options.worker !== false) await startWorker();

  const system: ChaosSystem = {
    apiUrl,
    databaseUrl,
    db,
    store,
    stripe,
    replicate,
    sendgrid,
    api: () => api,
    worker: () => currentWorker,
    startWorker,
    async startAnotherApi(env) {
      const port = await findFreePort();
      return { url: `http://127.0.0.1:${port}`, process: await startApi(port, env) };
    },
    async stopDatabase() {
      await postgres?.stop();
      postgres = undefined;
    },
    async startDatabase() {
      postgres ??= await startPostgres();
    },
    async stopStorage() {
      await s3?.stop();
      s3 = undefined;
    },
    async startStorage() {
      s3 ??= await startS3();
    },
    async placeOrder({ photos = 2, email = 'ada@example.com' } = {}) {
      const files = await Promise.all(
        Array.from({ length: photos }, async (_, index) => ({
          name: `photo-${index + 1}.jpg`,
          photo: await samplePhoto(index + Math.floor(Math.random() * 5)),
        })),
      );
      const { uploadSessionId, response: uploaded } = await uploadToNewSession(apiUrl, files).catch(
        (error: unknown) => {
          throw new Error(`upload failed: ${String(error)}\n${api.output().slice(-3000)}`);
        },
      );
      if (uploaded.status !== 201) {
        throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
      }
      const checkout = await callProcedure<{
        orderId: string;
        checkoutUrl: string;
        accessToken: string;
      }>(apiUrl, 'checkout.create', { uploadSessionId, email, name: 'Ada Lovelace' }, 'mutation');
      if (!checkout.ok) throw new Error(`checkout.create: ${checkout.error.message}`);
      const { orderId, checkoutUrl, accessToken } = checkout.data;
      return {
        orderId,
        accessToken,
        checkoutUrl,
        checkoutSessionId: checkoutUrl.split('/').at(-1) ?? '',
        uploadSessionId,
      };
    },
    pay(order) {
      stripe.completeCheckout(order.checkoutSessionId, 'pay');
    },
    secrets,
    addSecret(name, value) {
      secrets.set(name, value);
    },
    leakedSecrets() {
      const output = system.output();
      return [...secrets].filter(([, value]) => output.includes(value)).map(([name]) => name);
    },
    output: () =>
      processes.map((process) => `--- ${process.name} ---\n${process.output()}`).join('\n'),
    async describe() {
      const jobs = await sql<{ name: string; state: string; n: string }>`
        select name, state, count(*)::text as n from pgboss.job group by name, state order by name, state
      `
        .execute(db)
        .then(({ rows }) => rows.map((row) => `${row.name} ${row.state}: ${row.n}`).join('\n'))
        .catch((error: unknown) => `jobs unknown (${String(error)})`);
      return `--- jobs ---\n${jobs}\n${system.output().slice(-6000)}`;
    },
    async stop() {
      for (const process of processes.reverse()) {
        if (process.exited()) continue;
        const killer = setTimeout(() => process.child.kill('SIGKILL'), 15_000);
        await process.kill('SIGTERM');
        clearTimeout(killer);
      }
      await stripe.stop();
      await replicate.stop();
      await sendgrid.stop();
      await db.destroy().catch(() => {});
      await s3?.stop();
      await postgres?.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
  return system;
}

/** Waits until every order has reached one of `statuses`. */
export async function waitForOrders(
  system: ChaosSystem,
  orderIds: string[],
  statuses: string[],
  timeoutMs: number,
): Promise<void> {
  let last: Array<{ id: string; status: string }> = [];
  await waitFor(
    async () => {
      last = await system.db
        .selectFrom('orders')
        .select(['id', 'status'])
        .where('id', 'in', orderIds)
        .execute();
      return (
        last.length === orderIds.length && last.every((order) => statuses.includes(order.status))
      );
    },
    {
      timeout: timeoutMs,
      interval: 250,
      message: `${orderIds.length} orders to reach ${statuses.join('/')}`,
    },
  ).catch(async (error: unknown) => {
    throw new Error(
      `${String(error)}; now ${JSON.stringify(countBy(last.map((order) => order.status)))}\n${await system.describe()}`,
    );
  });
}

/** Waits until every email of these orders is sent (none queued, sending or failed). */
export async function waitForEmailsSent(
  system: ChaosSystem,
  orderIds: string[],
  timeoutMs: number,
): Promise<void> {
  let statuses: string[] = [];
  await waitFor(
    async () => {
      const rows = await system.db
        .selectFrom('email_messages')
        .select('status')
        .where('order_id', 'in', orderIds)
        .execute();
      statuses = rows.map((row) => row.status);
      return statuses.length > 0 && statuses.every((status) => status === 'sent');
    },
    { timeout: timeoutMs, interval: 250, message: 'every email to be sent' },
  ).catch(async (error: unknown) => {
    throw new Error(
      `${String(error)}; now ${JSON.stringify(countBy(statuses))}\n${await system.describe()}`,
    );
  });
}

/**
 * Asserts that each order has one confirmation and one completion email, and that SendGrid accepted each of
 * them exactly once; returns how many SendGrid accepted.
 */
export async function expectOneEmailOfEachKind(
  system: ChaosSystem,
  orderIds: string[],
): Promise<number> {
  const emails = await system.db
    .selectFrom('email_messages')
    .select(['id', 'order_id', 'kind'])
    .where('order_id', 'in', orderIds)
    .execute();
  expect(countBy(emails.map((email) => `${email.order_id}:${email.kind}`))).toEqual(
    Object.fromEntries(
      orderIds.flatMap((id) => [
        [`${id}:order_confirmation`, 1],
        [`${id}:restoration_complete`, 1],
      ]),
    ),
  );
  const accepted = system.sendgrid
    .messages()
    .filter((message) => message.status === 202)
    .map((message) => message.mail?.customArgs?.email_message_id ?? 'none');
  expect(countBy(accepted)).toEqual(Object.fromEntries(emails.map((email) => [email.id, 1])));
  return accepted.length;
}

/** A new upload session with these JPEGs posted to it; the answer is the caller's to read. */
export async function uploadToNewSession(
  apiUrl: string,
  files: ReadonlyArray<{ name: string; photo: Buffer }>,
): Promise<{ uploadSessionId: string; response: Response }> {
  const session = await callProcedure<{ uploadSessionId: string }>(
    apiUrl,
    'uploads.createSession',
    undefined,
    'mutation',
  );
  if (!session.ok) throw new Error(`uploads.createSession: ${session.error.message}`);
  const { uploadSessionId } = session.data;
  const form = new FormData();
  for (const file of files) {
    form.append('file', new Blob([new Uint8Array(file.photo)], { type: 'image/jpeg' }), file.name);
  }
  const response = await fetch(`${apiUrl}/uploads/${uploadSessionId}/files`, {
    method: 'POST',
    body: form,
  });
  return { uploadSessionId, response };
}

export function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
