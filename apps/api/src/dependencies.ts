/** Everything the API's routes and procedures need, built once in the composition root (main.ts). */
import type {
  AdminAuthDeps,
  AdminOrderDetailDeps,
  BusinessCosts,
  CustomerOrderDeps,
  RateLimiter,
  ShareDeps,
  CheckoutDeps,
  FulfilmentDeps,
  IngestDeps,
  JobQueue,
  ObjectStore,
  PaymentProvider,
  ServiceName,
  ServiceProbe,
} from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { ReadinessReport } from './health/readiness';
import type { OrderChanges } from './order-changes';

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
    /** Largest JSON body a tRPC call may send (TRPC_MAX_BODY_BYTES). */
    trpcMaxBodyBytes: number;
    /** Most procedures one batched tRPC request may call. */
    trpcMaxBatchSize: number;
  };
  uploads: IngestDeps & { acceptedTypes: string[] };
  customerOrders: CustomerOrderDeps;
  orderChanges: OrderChanges;
  rateLimiter: RateLimiter;
  share: ShareDeps & { messageMaxLength: number };
  downloads: { ttlDays: number };
  /** Take the client address from X-Forwarded-For (behind a trusted proxy). */
  trustProxy: boolean;
  /** Verifies Replicate's webhooks; undefined when Replicate is not used (the route then answers 404). */
  replicateWebhookSecret?: string;
  admin: AdminDependencies;
  /** Operator endpoints (manual fulfilment retry) accept this bearer token; undefined disables them. */
  adminApiToken?: string;
}

/** What the admin router needs besides the shared dependencies. */
export interface AdminDependencies {
  auth: AdminAuthDeps;
  /** Origins whose mutations the admin endpoint accepts (`ADMIN_ORIGINS`). */
  allowedOrigins: string[];
  /** The session cookie is `Secure` (production). */
  secureCookies: boolean;
  orderDetail: AdminOrderDetailDeps;
  /** An identical refund or email resend within this many seconds answers with the first one. */
  repeatWindowSeconds: number;
  costs: BusinessCosts;
  /** The shop's currency (business summary). */
  currency: string;
  probes: Record<ServiceName, ServiceProbe>;
  checkTimeoutMs: number;
}
