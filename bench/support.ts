/** Shared pieces for benchmarks that need the real API: a migrated database, a bucket, the app on a port. */
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { serve, type ServerType } from '@hono/node-server';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import Stripe from 'stripe';
import { createApp } from '@restoreclick/api/app';
import { type ComposeConfig, composeDependencies } from '@restoreclick/api/compose';
import { DEFAULT_PRICE_TABLE, ensureQueues, S3ObjectStore } from '@restoreclick/core';
import { createDb, migrateToLatest } from '@restoreclick/db';
import { findFreePort, startEmbeddedS3 } from '@restoreclick/devkit';
import type { BenchContext, Metric } from './harness';

export const WEBHOOK_SECRET = 'whsec_bench';

export const benchConfig: ComposeConfig = {
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STOREFRONT_URL: 'http://shop.bench',
  PRICE_TABLE: DEFAULT_PRICE_TABLE,
  CHECKOUT_TTL_MINUTES: 60,
  REPLICATE_API_TOKEN: undefined,
  REPLICATE_WEBHOOK_SECRET: undefined,
  RECONCILE_LOOKBACK_HOURS: 48,
  READINESS_TIMEOUT_MS: 2000,
  WEBHOOK_MAX_BODY_BYTES: 1024 * 1024,
  ADMIN_API_TOKEN: undefined,
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
  PUBLIC_URL: 'http://api.bench',
};

export interface RunningApi {
  url: string;
  databaseUrl: string;
  s3: S3Client;
  bucket: string;
  close(): Promise<void>;
}

export async function startApi(
  context: BenchContext,
  database: string,
  directory: string,
): Promise<RunningApi> {
  const postgres = await context.postgres();
  await postgres.ensureDatabase(database);
  const databaseUrl = postgres.urlFor(database);
  const { db, pool } = createDb({ connectionString: databaseUrl, maxConnections: 10 });
  await migrateToLatest(db);
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
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' })).catch(() => {});
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 4,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  await ensureQueues(boss);
  const logger = pino({ level: 'silent' });
  const deps = composeDependencies({
    config: benchConfig,
    db,
    pool,
    databaseUrl,
    objectStore: new S3ObjectStore(s3, 'bench'),
    boss,
    stripe: new Stripe('sk_test_bench'),
    logger,
  });
  const app = createApp({ deps, logger, corsOrigins: [] });
  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    databaseUrl,
    s3,
    bucket: 'bench',
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await boss.stop({ graceful: false });
      await db.destroy();
      await s3Server.stop();
    },
  };
}

/** The value below which `fraction` of `values` fall (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  if (value === undefined) throw new Error('percentile of no values');
  return value;
}

/**
 * Latencies in ms of `measured` sequential calls, each with an argument picked at random from `inputs`, after
 * `warmup` calls that are not counted (JIT, connection pools, caches).
 */
export async function timeSequentialCalls<T>(
  inputs: readonly T[],
  call: (input: T) => Promise<unknown>,
  counts: { warmup: number; measured: number },
): Promise<number[]> {
  const pick = (): T => {
    const input = inputs[Math.floor(Math.random() * inputs.length)];
    if (input === undefined) throw new Error('timeSequentialCalls needs at least one input');
    return input;
  };
  for (let index = 0; index < counts.warmup; index += 1) await call(pick());
  const latencies: number[] = [];
  for (let index = 0; index < counts.measured; index += 1) {
    const input = pick();
    const started = performance.now();
    await call(input);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** p99 and p50 of two latency samples as benchmark metrics (lower is better). */
export function latencyMetrics(ours: number[], baseline: number[]): Metric[] {
  return [0.99, 0.5].map((fraction) => ({
    name: `latency p${Math.round(fraction * 100)}`,
    unit: 'ms',
    ours: percentile(ours, fraction),
    baseline: percentile(baseline, fraction),
    higherIsBetter: false,
  }));
}
