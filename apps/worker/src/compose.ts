/** Wires config and clients into the worker's dependencies; used by main.ts and the tests alike. */
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import {
  type ObjectStore,
  PgBossJobQueue,
  restorationProviderName,
  StripePaymentProvider,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { WorkerDependencies } from './dependencies';
import type { WorkerConfig } from './env';

export type WorkerComposeConfig = Pick<
  WorkerConfig,
  'STRIPE_WEBHOOK_SECRET' | 'REPLICATE_API_TOKEN' | 'RECONCILE_LOOKBACK_HOURS'
>;

export function composeWorkerDependencies(input: {
  config: WorkerComposeConfig;
  db: Kysely<Database>;
  objectStore: ObjectStore;
  stripe: Stripe;
  boss: PgBoss;
  logger: Logger;
}): WorkerDependencies {
  return {
    db: input.db,
    reconcileLookbackHours: input.config.RECONCILE_LOOKBACK_HOURS,
    fulfilment: {
      payments: new StripePaymentProvider(input.stripe, input.config.STRIPE_WEBHOOK_SECRET),
      storage: input.objectStore,
      jobs: new PgBossJobQueue(input.boss),
      restorationProvider: restorationProviderName(input.config),
      onWarning: (message, context) => input.logger.warn(context, message),
    },
  };
}
