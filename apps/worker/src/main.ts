/** The worker process: the composition root. Reads config once, starts the job loop, stops it gracefully. */
import { sql } from 'kysely';
import { S3Client } from '@aws-sdk/client-s3';
import Stripe from 'stripe';
import {
  ConfigError,
  S3ObjectStore,
  s3ClientOptions,
  stripeClientOptions,
} from '@restoreclick/core';
import { createDb, describeDatabaseUrl } from '@restoreclick/db';
import { composeWorkerDependencies } from './compose';
import type { WorkerDependencies } from './dependencies';
import { loadWorkerConfig } from './env';
import { createHandlers } from './handlers/index';
import { startHealthServer } from './health-server';
import { createLogger } from './logger';
import { restorationProviderFromConfig } from './providers';
import { createWorker } from './worker';

const PROCESS_NAME = 'restoreclick-worker';

function fail(message: string): never {
  process.stderr.write(`${PROCESS_NAME}: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message.replace(/^restoreclick-worker /, ''));
    throw error;
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development',
  });

  const target = describeDatabaseUrl(config.DATABASE_URL);
  const { db } = createDb({
    connectionString: config.DATABASE_URL,
    maxConnections: config.DATABASE_POOL_MAX,
  });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    const code = (error as { code?: string }).code;
    await db.destroy().catch(() => {});
    fail(
      `cannot reach the database at ${target} (${code ?? (error instanceof Error ? error.message : String(error))}). ` +
        'Is Postgres running? Check DATABASE_URL.',
    );
  }

  const restoration = await restorationProviderFromConfig(config);
  let dependencies: WorkerDependencies | undefined;
  const worker = createWorker({
    connectionString: config.DATABASE_URL,
    logger,
    handlers: (boss) => {
      dependencies = composeWorkerDependencies({
        config,
        db,
        objectStore: new S3ObjectStore(new S3Client(s3ClientOptions(config)), config.S3_BUCKET),
        stripe: new Stripe(config.STRIPE_SECRET_KEY, stripeClientOptions(config)),
        boss,
        logger,
        restoration,
      });
      return createHandlers(dependencies);
    },
    concurrency: config.WORKER_CONCURRENCY,
    queueConcurrency: config.QUEUE_CONCURRENCY,
    consume: config.AUTO_START_WORKERS,
    pollingIntervalSeconds: config.WORKER_POLLING_INTERVAL_SECONDS,
    shutdownGraceSeconds: config.SHUTDOWN_GRACE_SECONDS,
    maxConnections: config.DATABASE_POOL_MAX,
  });
  await worker.start();
  const health =
    config.WORKER_HEALTH_PORT > 0
      ? await startHealthServer({
          port: config.WORKER_HEALTH_PORT,
          host: config.WORKER_HEALTH_HOST,
          worker,
          db,
        }).catch((error: NodeJS.ErrnoException) =>
          fail(
            error.code === 'EADDRINUSE'
              ? `port ${config.WORKER_HEALTH_PORT} is already in use. Stop the other process or set WORKER_HEALTH_PORT (0 turns it off).`
              : `cannot serve health on ${config.WORKER_HEALTH_HOST}:${config.WORKER_HEALTH_PORT}: ${error.message}`,
          ),
        )
      : undefined;
  logger.info(
    {
      queues: worker.queues,
      database: target,
      restoration: dependencies?.restoration.provider.name,
      email: dependencies?.email.transport.name,
      ...(health ? { health: `http://${config.WORKER_HEALTH_HOST}:${health.port}/healthz` } : {}),
    },
    config.AUTO_START_WORKERS
      ? 'worker ready'
      : 'worker ready (AUTO_START_WORKERS=false: consuming no queue)',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info(
      { signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS },
      'stopping: finishing jobs in flight',
    );
    try {
      await worker.stop();
      await health?.close();
      await dependencies?.close();
      await db.destroy();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
