/** The API process: the composition root. Reads config once, builds the dependencies, serves, shuts down cleanly. */
import { type ServerType, serve } from '@hono/node-server';
import { S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import { PgBoss } from 'pg-boss';
import Replicate from 'replicate';
import Stripe from 'stripe';
import {
  ConfigError,
  ensureQueues,
  S3ObjectStore,
  s3ClientOptions,
  stripeClientOptions,
} from '@restoreclick/core';
import { createDb, describeDatabaseUrl } from '@restoreclick/db';
import { createApp } from './app';
import { describeDatabaseFailure } from './describe-database-failure';
import { type ApiConfig, loadApiConfig } from './env';
import { composeDependencies } from './compose';
import { createLogger } from './logger';

const PROCESS_NAME = 'restoreclick-api';

function fail(message: string): never {
  process.stderr.write(`${PROCESS_NAME}: ${message}\n`);
  process.exit(1);
}

/** The configured secret, or Replicate's own when only the API token is given (one call at start). */
async function resolveReplicateWebhookSecret(config: ApiConfig): Promise<string | undefined> {
  if (config.REPLICATE_WEBHOOK_SECRET || !config.REPLICATE_API_TOKEN) {
    return config.REPLICATE_WEBHOOK_SECRET;
  }
  const replicate = new Replicate({
    auth: config.REPLICATE_API_TOKEN,
    ...(config.REPLICATE_API_URL ? { baseUrl: config.REPLICATE_API_URL } : {}),
  });
  return (await replicate.webhooks.default.secret.get()).key;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message.replace(/^restoreclick-api /, ''));
    throw error;
  }

  const logger = createLogger({
    name: 'api',
    level: config.LOG_LEVEL,
    // pino-pretty is a dev dependency: only a developer's terminal gets it; pipes and files get JSON.
    pretty: config.NODE_ENV === 'development' && process.stdout.isTTY,
  });
  const { db, pool } = createDb({
    connectionString: config.DATABASE_URL,
    maxConnections: config.DATABASE_POOL_MAX,
    applicationName: 'restoreclick-api',
    onPoolError: (error) => logger.warn({ err: error }, 'a pooled database connection failed'),
  });

  const target = describeDatabaseUrl(config.DATABASE_URL);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    fail(describeDatabaseFailure(error, target));
  }

  const objectStore = new S3ObjectStore(new S3Client(s3ClientOptions(config)), config.S3_BUCKET);
  // The api only enqueues: no maintenance, no cron; the worker does those.
  const boss = new PgBoss({
    connectionString: config.DATABASE_URL,
    max: 2,
    supervise: false,
    schedule: false,
    application_name: 'restoreclick-api',
  });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
  await boss.start();
  await ensureQueues(boss);
  const stripe = new Stripe(config.STRIPE_SECRET_KEY, stripeClientOptions(config));
  const replicateWebhookSecret = await resolveReplicateWebhookSecret(config).catch(
    (error: unknown) =>
      fail(
        `cannot fetch Replicate's webhook signing secret (${error instanceof Error ? error.message : String(error)}). Set REPLICATE_WEBHOOK_SECRET.`,
      ),
  );
  const deps = composeDependencies({
    config: { ...config, REPLICATE_WEBHOOK_SECRET: replicateWebhookSecret },
    db,
    pool,
    databaseUrl: config.DATABASE_URL,
    objectStore,
    boss,
    stripe,
    logger,
  });
  const app = createApp({
    deps,
    logger,
    corsOrigins: config.CORS_ORIGINS,
    hsts: config.NODE_ENV === 'production',
  });

  const server: ServerType = serve(
    { fetch: app.fetch, port: config.PORT, hostname: config.HOST },
    (info) => {
      logger.info(
        {
          port: info.port,
          publicUrl: config.PUBLIC_URL,
          database: target,
          bucket: config.S3_BUCKET,
        },
        `api listening on http://${config.HOST}:${info.port}`,
      );
    },
  );
  server.on('error', (error: NodeJS.ErrnoException) => {
    fail(
      error.code === 'EADDRINUSE'
        ? `port ${config.PORT} is already in use. Stop the other process or set PORT.`
        : `cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`,
    );
  });

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal, graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutting down');
    const force = setTimeout(() => {
      logger.warn('grace period over: closing remaining connections');
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    force.unref();
    // Stop accepting. A keep-alive socket would otherwise hold close() open until the client drops it, so idle
    // sockets are closed now and again every 100 ms: busy ones go as soon as their response is done.
    const closeIdle = () => {
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    };
    const sweep = setInterval(closeIdle, 100);
    sweep.unref();
    server.close(async () => {
      clearTimeout(force);
      clearInterval(sweep);
      await deps.orderChanges.close();
      await boss.stop({ graceful: false, close: true }).catch(() => {});
      await db.destroy().catch(() => {});
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    });
    closeIdle();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
