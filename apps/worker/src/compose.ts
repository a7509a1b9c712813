/** Wires config and clients into the worker's dependencies; used by main.ts and the tests alike. */
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import {
  automaticRefundPolicyFrom,
  type EmailTransport,
  type ObjectStore,
  parseEmailAddress,
  PgBossJobQueue,
  recoverySettingsFrom,
  restorationProviderName,
  restorationSettingsFrom,
  retentionPolicyFrom,
  StripePaymentProvider,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { WorkerDependencies } from './dependencies';
import type { WorkerConfig } from './env';
import { type ChosenRestorationProvider, emailTransportFromConfig } from './providers';

export type WorkerComposeConfig = WorkerConfig;

export function composeWorkerDependencies(input: {
  config: WorkerComposeConfig;
  db: Kysely<Database>;
  objectStore: ObjectStore;
  stripe: Stripe;
  boss: PgBoss;
  logger: Logger;
  /** Chosen once by the composition root (`restorationProviderFromConfig`), or a test's own. */
  restoration: ChosenRestorationProvider;
  emailTransport?: EmailTransport;
}): WorkerDependencies {
  const { config } = input;
  const jobs = new PgBossJobQueue(input.boss);
  const { restoration } = input;
  const payments = new StripePaymentProvider(input.stripe, config.STRIPE_WEBHOOK_SECRET);
  const automaticRefunds = automaticRefundPolicyFrom(config);
  const restorationSettings = restorationSettingsFrom(config, config.PUBLIC_URL);
  const retention = retentionPolicyFrom(config);
  return {
    db: input.db,
    reconcileLookbackHours: config.RECONCILE_LOOKBACK_HOURS,
    cleanupRetentionDays: config.CLEANUP_RETENTION_DAYS,
    fulfilment: {
      payments,
      storage: input.objectStore,
      jobs,
      restorationProvider: restorationProviderName(config),
      onWarning: (message, context) => input.logger.warn(context, message),
    },
    restoration: {
      provider: restoration.provider,
      ...(restoration.fallbackProviders
        ? { fallbackProviders: restoration.fallbackProviders }
        : {}),
      storage: input.objectStore,
      jobs,
      models: config.RESTORATION_MODELS,
      settings: restorationSettings,
      automaticRefunds,
    },
    refunds: { payments, jobs },
    sweeper: {
      jobs,
      settings: recoverySettingsFrom(config, restorationSettings),
      restorationProvider: restorationProviderName(config),
      automaticRefunds,
    },
    photoPurge: { storage: input.objectStore, retention },
    email: {
      transport: input.emailTransport ?? emailTransportFromConfig(config),
      storage: input.objectStore,
      jobs,
      from: parseEmailAddress(config.EMAIL_FROM),
      ...(config.EMAIL_REPLY_TO ? { replyTo: parseEmailAddress(config.EMAIL_REPLY_TO) } : {}),
      supportEmail: config.SUPPORT_EMAIL,
      storefrontUrl: config.STOREFRONT_URL,
      attachmentLimitBytes: Math.round(config.EMAIL_ATTACHMENT_LIMIT_MB * 1024 * 1024),
      retryDelayMs: config.EMAIL_RETRY_DELAY_MS,
      maxAttempts: config.EMAIL_MAX_ATTEMPTS,
      retention,
      providerTemplates: {
        ...(config.SENDGRID_ORDER_CONFIRMATION_TEMPLATE_ID
          ? { order_confirmation: config.SENDGRID_ORDER_CONFIRMATION_TEMPLATE_ID }
          : {}),
        ...(config.SENDGRID_RESTORATION_COMPLETE_TEMPLATE_ID
          ? { restoration_complete: config.SENDGRID_RESTORATION_COMPLETE_TEMPLATE_ID }
          : {}),
        ...(config.SENDGRID_SHARE_TEMPLATE_ID ? { share: config.SENDGRID_SHARE_TEMPLATE_ID } : {}),
      },
    },
    close: () => restoration.close(),
  };
}
