/**
 * Test wiring for the API: the real app and dependency graph over a test database, a test bucket, pg-boss on
 * that database and the local Stripe server, with a silent logger.
 */
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import Stripe from 'stripe';
import { DEFAULT_PRICE_TABLE, S3ObjectStore } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { LocalStripe } from '@restoreclick/devkit';
import type { TestBucket } from '@restoreclick/devkit/testing';
import { loadWorkerConfig } from '@restoreclick/worker';
import { createApp } from '../src/app';
import { type ComposeConfig, composeDependencies } from '../src/compose';

export const TEST_WEBHOOK_SECRET = 'whsec_test_restoreclick';
export const TEST_ADMIN_TOKEN = 'test-operator-token-0123456789';

export const testConfig: ComposeConfig = {
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  STOREFRONT_URL: 'http://shop.test',
  PRICE_TABLE: DEFAULT_PRICE_TABLE,
  CHECKOUT_TTL_MINUTES: 60,
  REPLICATE_API_TOKEN: undefined,
  REPLICATE_WEBHOOK_SECRET: undefined,
  RECONCILE_LOOKBACK_HOURS: 48,
  READINESS_TIMEOUT_MS: 2000,
  WEBHOOK_MAX_BODY_BYTES: 1024 * 1024,
  ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
  UPLOAD_MAX_FILE_BYTES: 25 * 1024 * 1024,
  UPLOAD_MAX_FILES: 20,
  UPLOAD_MAX_PIXELS: 50_000_000,
  UPLOAD_SESSION_TTL_HOURS: 24,
  SIGNED_URL_EXPIRY_SECONDS: 900,
  DOWNLOAD_LINK_TTL_DAYS: 7,
  SHARE_MESSAGE_MAX_LENGTH: 1000,
  RATE_LIMIT_SHARES_PER_ORDER: 5,
  RATE_LIMIT_SHARES_PER_IP: 5,
  RATE_LIMIT_RESENDS_PER_ORDER: 3,
  TRUST_PROXY: false,
  PUBLIC_URL: 'http://api.test',
};

/** The worker's configuration as the real env parser makes it, pointed at the test's local servers. */
export function testWorkerConfig(env: Record<string, string> = {}) {
  return loadWorkerConfig({
    NODE_ENV: 'test',
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STOREFRONT_URL: 'http://shop.test',
    WORKER_HEALTH_PORT: '0',
    ...env,
  });
}

export interface TestAppOptions {
  db: Kysely<Database>;
  bucket: TestBucket;
  bucketName?: string;
  stripe?: LocalStripe;
  boss?: PgBoss;
  /** The test database's pool and URL, for rate limits and live updates (unused ones otherwise). */
  pool?: pg.Pool;
  databaseUrl?: string;
}

const UNUSED_DATABASE = 'postgres://unused@127.0.0.1:1/unused';

/** A pg-boss instance that only enqueues (the test decides whether a worker runs). */
export async function startProducerBoss(databaseUrl: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 3,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  return boss;
}

export function createTestDependencies(options: TestAppOptions) {
  const objectStore = new S3ObjectStore(
    options.bucket.client,
    options.bucketName ?? options.bucket.bucket,
  );
  return composeDependencies({
    config: testConfig,
    db: options.db,
    pool: options.pool ?? new pg.Pool({ connectionString: options.databaseUrl ?? UNUSED_DATABASE }),
    databaseUrl: options.databaseUrl ?? UNUSED_DATABASE,
    objectStore,
    // Health-only tests get clients that are never called, so no server has to run for them.
    boss: options.boss ?? new PgBoss({ connectionString: UNUSED_DATABASE }),
    stripe: options.stripe?.client() ?? new Stripe('sk_test_unused'),
    logger: pino({ level: 'silent' }),
  });
}

export function createTestApp(options: TestAppOptions) {
  return createApp({
    deps: createTestDependencies(options),
    logger: pino({ level: 'silent' }),
    corsOrigins: ['http://localhost:5173'],
  });
}
