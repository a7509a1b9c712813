/** Everything the API's routes and procedures need, built once in the composition root (main.ts). */
import type {
  CheckoutDeps,
  FulfilmentDeps,
  IngestDeps,
  JobQueue,
  ObjectStore,
  PaymentProvider,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { ReadinessReport } from './health/readiness';

export interface ApiDependencies {
  db: Kysely<Database>;
  objectStore: ObjectStore;
  checkReadiness: () => Promise<ReadinessReport>;
  payments: PaymentProvider;
  jobs: JobQueue;
  fulfilment: FulfilmentDeps;
  checkout: CheckoutDeps;
  limits: {
    webhookMaxBodyBytes: number;
  };
  uploads: IngestDeps & { acceptedTypes: string[] };
  /** Verifies Replicate's webhooks; undefined when Replicate is not used (the route then answers 404). */
  replicateWebhookSecret?: string;
  /** Operator endpoints (manual fulfilment retry) accept this bearer token; undefined disables them. */
  adminApiToken?: string;
}
