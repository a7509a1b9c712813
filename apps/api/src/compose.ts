/** Wires config and clients into the API's dependencies. Used by main.ts and by the tests, so both run the same graph. */
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { tmpdir } from 'node:os';
import {
  ACCEPTED_IMAGE_TYPES,
  checkoutReturnUrls,
  type ObjectStore,
  PgBossJobQueue,
  restorationProviderName,
  StripePaymentProvider,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { ApiDependencies } from './dependencies';
import type { ApiConfig } from './env';
import { createReadinessCheck } from './health/readiness';
import { createOrderChangeListener } from './order-changes';
import { createRateLimiter } from './rate-limits';

export type ComposeConfig = Pick<
  ApiConfig,
  | 'STRIPE_WEBHOOK_SECRET'
  | 'STOREFRONT_URL'
  | 'PRICE_TABLE'
  | 'CHECKOUT_TTL_MINUTES'
  | 'REPLICATE_API_TOKEN'
  | 'REPLICATE_WEBHOOK_SECRET'
  | 'RECONCILE_LOOKBACK_HOURS'
  | 'READINESS_TIMEOUT_MS'
  | 'WEBHOOK_MAX_BODY_BYTES'
  | 'ADMIN_API_TOKEN'
  | 'UPLOAD_MAX_FILE_BYTES'
  | 'UPLOAD_MAX_FILES'
  | 'UPLOAD_MAX_PIXELS'
  | 'UPLOAD_SESSION_TTL_HOURS'
  | 'PUBLIC_URL'
  | 'TRUST_PROXY'
  | 'RATE_LIMIT_RESENDS_PER_ORDER'
  | 'RATE_LIMIT_SHARES_PER_IP'
  | 'RATE_LIMIT_SHARES_PER_ORDER'
  | 'SHARE_MESSAGE_MAX_LENGTH'
  | 'DOWNLOAD_LINK_TTL_DAYS'
  | 'SIGNED_URL_EXPIRY_SECONDS'
>;

export function composeDependencies(input: {
  config: ComposeConfig;
  db: Kysely<Database>;
  objectStore: ObjectStore;
  boss: PgBoss;
  stripe: Stripe;
  logger: Logger;
  /** The pool under `db` (rate limits are counted through it). */
  pool: pg.Pool;
  /** Where live order updates are listened for. */
  databaseUrl: string;
  /** Where uploads are spooled while checked (default: the OS temp folder). */
  spoolDirectory?: string;
}): ApiDependencies {
  const { config, db, objectStore } = input;
  const payments = new StripePaymentProvider(input.stripe, config.STRIPE_WEBHOOK_SECRET);
  const jobs = new PgBossJobQueue(input.boss);
  const rateLimiter = createRateLimiter(input.pool, {
    sharesPerOrderPerDay: config.RATE_LIMIT_SHARES_PER_ORDER,
    sharesPerIpPerDay: config.RATE_LIMIT_SHARES_PER_IP,
    resendsPerOrderPerDay: config.RATE_LIMIT_RESENDS_PER_ORDER,
  });
  const fulfilment = {
    payments,
    storage: objectStore,
    jobs,
    restorationProvider: restorationProviderName(config),
    onWarning: (message: string, context: Record<string, unknown>) =>
      input.logger.warn(context, message),
  };
  return {
    db,
    objectStore,
    checkReadiness: createReadinessCheck({
      db,
      objectStore,
      timeoutMs: config.READINESS_TIMEOUT_MS,
    }),
    payments,
    jobs,
    fulfilment,
    checkout: {
      payments,
      prices: config.PRICE_TABLE,
      checkoutTtlMinutes: config.CHECKOUT_TTL_MINUTES,
      ...checkoutReturnUrls(config),
    },
    limits: { webhookMaxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES },
    uploads: {
      storage: objectStore,
      payments,
      spoolDirectory: input.spoolDirectory ?? tmpdir(),
      acceptedTypes: Object.keys(ACCEPTED_IMAGE_TYPES),
      limits: {
        maxFileBytes: config.UPLOAD_MAX_FILE_BYTES,
        maxFiles: config.UPLOAD_MAX_FILES,
        maxPixels: config.UPLOAD_MAX_PIXELS,
        sessionTtlHours: config.UPLOAD_SESSION_TTL_HOURS,
      },
    },
    customerOrders: { storage: objectStore, urlExpirySeconds: config.SIGNED_URL_EXPIRY_SECONDS },
    orderChanges: createOrderChangeListener({
      connectionString: input.databaseUrl,
      logger: input.logger,
    }),
    rateLimiter,
    share: {
      jobs,
      rateLimiter,
      linkTtlDays: config.DOWNLOAD_LINK_TTL_DAYS,
      apiUrl: config.PUBLIC_URL,
      messageMaxLength: config.SHARE_MESSAGE_MAX_LENGTH,
    },
    downloads: { ttlDays: config.DOWNLOAD_LINK_TTL_DAYS },
    trustProxy: config.TRUST_PROXY,
    ...(config.ADMIN_API_TOKEN ? { adminApiToken: config.ADMIN_API_TOKEN } : {}),
    ...(config.REPLICATE_WEBHOOK_SECRET
      ? { replicateWebhookSecret: config.REPLICATE_WEBHOOK_SECRET }
      : {}),
  };
}
