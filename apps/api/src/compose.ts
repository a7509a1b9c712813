/** Wires config and clients into the API's dependencies. Used by main.ts and by the tests, so both run the same graph. */
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { tmpdir } from 'node:os';
import {
  ACCEPTED_IMAGE_TYPES,
  checkoutReturnUrls,
  DEFAULT_RETENTION_POLICY,
  type ObjectStore,
  PgBossJobQueue,
  restorationProviderName,
  StripePaymentProvider,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { AdminDependencies, ApiDependencies } from './dependencies';
import {
  ADMIN_SETTING_DEFAULTS,
  type ApiConfig,
  DEV_ADMIN_ORIGINS,
  REQUEST_SETTING_DEFAULTS,
} from './env';
import { createReadinessCheck, shareReadinessCheck } from './health/readiness';
import { createOrderChangeListener } from './order-changes';
import { createLoginThrottle } from './login-throttle';
import { createRateLimiter } from './rate-limits';
import { createServiceProbes } from './service-probes';

/** Admin settings: optional here so tests and benchmarks may leave them out (the env.ts defaults apply). */
type AdminComposeConfig = Partial<
  Pick<
    ApiConfig,
    | 'NODE_ENV'
    | 'ADMIN_ORIGINS'
    | 'ADMIN_SESSION_TTL_HOURS'
    | 'ADMIN_MAX_FAILED_LOGINS'
    | 'ADMIN_LOCKOUT_MINUTES'
    | 'ADMIN_LOGIN_FAILURES_PER_IP'
    | 'ADMIN_LOGIN_IP_WINDOW_MINUTES'
    | 'ADMIN_REPEAT_WINDOW_SECONDS'
    | 'RESTORATION_COST_PER_SECOND_CENTS'
    | 'EMAIL_COST_CENTS'
    | 'STRIPE_SECRET_KEY'
    | 'STRIPE_API_URL'
    | 'REPLICATE_API_URL'
    | 'SENDGRID_API_KEY'
    | 'SENDGRID_API_URL'
    | 'TRPC_MAX_BODY_BYTES'
    | 'TRPC_MAX_BATCH_SIZE'
    | 'READINESS_CACHE_MS'
  >
>;

/** Retention periods: optional here too (the order page's deletion dates default to env.ts's 30 days). */
type PrivacyComposeConfig = Partial<
  Pick<ApiConfig, 'ORIGINALS_RETENTION_DAYS' | 'RESTORED_RETENTION_DAYS'>
>;

export type ComposeConfig = AdminComposeConfig &
  PrivacyComposeConfig &
  Pick<
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

/** The payment's page in Stripe's dashboard; none for a local Stripe-compatible server. */
function stripeDashboardUrl(config: ComposeConfig): string | null {
  if (config.STRIPE_API_URL || !config.STRIPE_SECRET_KEY) return null;
  const live = /^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY);
  return live ? 'https://dashboard.stripe.com' : 'https://dashboard.stripe.com/test';
}

function composeAdmin(
  input: Parameters<typeof composeDependencies>[0],
  fulfilmentCurrency: string,
): AdminDependencies {
  const { config } = input;
  const defaults = ADMIN_SETTING_DEFAULTS;
  return {
    auth: {
      throttle: createLoginThrottle(input.pool, {
        failuresPerIp: config.ADMIN_LOGIN_FAILURES_PER_IP ?? defaults.ADMIN_LOGIN_FAILURES_PER_IP,
        windowMinutes:
          config.ADMIN_LOGIN_IP_WINDOW_MINUTES ?? defaults.ADMIN_LOGIN_IP_WINDOW_MINUTES,
      }),
      sessionTtlHours: config.ADMIN_SESSION_TTL_HOURS ?? defaults.ADMIN_SESSION_TTL_HOURS,
      maxFailedLogins: config.ADMIN_MAX_FAILED_LOGINS ?? defaults.ADMIN_MAX_FAILED_LOGINS,
      lockoutMinutes: config.ADMIN_LOCKOUT_MINUTES ?? defaults.ADMIN_LOCKOUT_MINUTES,
    },
    allowedOrigins: config.ADMIN_ORIGINS ?? [
      new URL(config.PUBLIC_URL).origin,
      ...(config.NODE_ENV === 'production' ? [] : DEV_ADMIN_ORIGINS),
    ],
    secureCookies: config.NODE_ENV === 'production',
    orderDetail: {
      storage: input.objectStore,
      urlExpirySeconds: config.SIGNED_URL_EXPIRY_SECONDS,
      stripeDashboardUrl: stripeDashboardUrl(config),
    },
    repeatWindowSeconds: config.ADMIN_REPEAT_WINDOW_SECONDS ?? defaults.ADMIN_REPEAT_WINDOW_SECONDS,
    costs: {
      restorationCostPerSecondCents:
        config.RESTORATION_COST_PER_SECOND_CENTS ?? defaults.RESTORATION_COST_PER_SECOND_CENTS,
      emailCostCents: config.EMAIL_COST_CENTS ?? defaults.EMAIL_COST_CENTS,
    },
    currency: fulfilmentCurrency,
    probes: createServiceProbes({
      db: input.db,
      objectStore: input.objectStore,
      stripe: input.stripe,
      settings: config,
    }),
    checkTimeoutMs: config.READINESS_TIMEOUT_MS,
  };
}

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
    checkReadiness: shareReadinessCheck(
      createReadinessCheck({ db, objectStore, timeoutMs: config.READINESS_TIMEOUT_MS }),
      { cacheMs: config.READINESS_CACHE_MS ?? REQUEST_SETTING_DEFAULTS.READINESS_CACHE_MS },
    ),
    payments,
    jobs,
    fulfilment,
    checkout: {
      payments,
      prices: config.PRICE_TABLE,
      checkoutTtlMinutes: config.CHECKOUT_TTL_MINUTES,
      ...checkoutReturnUrls(config),
    },
    limits: {
      webhookMaxBodyBytes: config.WEBHOOK_MAX_BODY_BYTES,
      trpcMaxBodyBytes: config.TRPC_MAX_BODY_BYTES ?? REQUEST_SETTING_DEFAULTS.TRPC_MAX_BODY_BYTES,
      trpcMaxBatchSize: config.TRPC_MAX_BATCH_SIZE ?? REQUEST_SETTING_DEFAULTS.TRPC_MAX_BATCH_SIZE,
    },
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
    customerOrders: {
      storage: objectStore,
      urlExpirySeconds: config.SIGNED_URL_EXPIRY_SECONDS,
      retention: {
        originalsDays: config.ORIGINALS_RETENTION_DAYS ?? DEFAULT_RETENTION_POLICY.originalsDays,
        restoredDays: config.RESTORED_RETENTION_DAYS ?? DEFAULT_RETENTION_POLICY.restoredDays,
      },
    },
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
    admin: composeAdmin(input, config.PRICE_TABLE.currency),
    trustProxy: config.TRUST_PROXY,
    ...(config.ADMIN_API_TOKEN ? { adminApiToken: config.ADMIN_API_TOKEN } : {}),
    ...(config.REPLICATE_WEBHOOK_SECRET
      ? { replicateWebhookSecret: config.REPLICATE_WEBHOOK_SECRET }
      : {}),
  };
}
