/**
 * Every background queue in one place: its name, the payload it carries (ids only, validated with zod), its
 * retry/backoff/expiry policy and its dead-letter queue. The api enqueues and the worker consumes from this
 * same table, so the two can never disagree about a queue.
 */
import { z } from 'zod';

export interface QueuePolicy {
  /** Attempts after the first before the job is failed and moved to the dead-letter queue. */
  retryLimit: number;
  /** Seconds before the first retry; doubled each time when `retryBackoff` is on. */
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
  /** How long one attempt may run before it counts as failed. */
  expireInSeconds: number;
  /** Seconds between heartbeats a long handler must send; a missed one fails the attempt early. */
  heartbeatSeconds?: number;
  /** How long completed jobs stay queryable (admin views, tests). */
  deleteAfterSeconds: number;
}

export interface QueueWorkOptions {
  /** Jobs fetched per poll. */
  batchSize: number;
  /** Handlers running at once for this queue in one worker process. */
  concurrency: number;
}

export interface QueueDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: Schema;
  policy: QueuePolicy;
  work: QueueWorkOptions;
  /** A cron expression (UTC) for queues that run on a schedule. */
  schedule?: string;
}

function defineQueue<Schema extends z.ZodType>(definition: QueueDefinition<Schema>) {
  return definition;
}

const DAY = 24 * 60 * 60;

export const QUEUES = {
  'system.ping': defineQueue({
    name: 'system.ping',
    description: 'Proves the job loop works end to end; optionally holds the job for a while.',
    schema: z.object({
      requestedAt: z.iso.datetime(),
      holdMs: z.number().int().min(0).max(60_000).default(0),
    }),
    policy: {
      retryLimit: 2,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: 120,
      deleteAfterSeconds: DAY,
    },
    work: { batchSize: 50, concurrency: 2 },
  }),
  'stripe.event': defineQueue({
    name: 'stripe.event',
    description: 'Acts on a verified, stored Stripe webhook event (fulfil, expire, refund).',
    schema: z.object({ eventId: z.string().min(1).max(255) }),
    policy: {
      retryLimit: 8,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 15 * 60,
      expireInSeconds: 5 * 60,
      heartbeatSeconds: 10,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 10, concurrency: 4 },
  }),
  'restoration.run': defineQueue({
    name: 'restoration.run',
    description:
      'One restoration attempt of one photo: runs the local restorer, or starts a remote prediction.',
    schema: z.object({ restorationJobId: z.uuid() }),
    // These retries are for an unreachable provider or storage. A model that fails or returns an unusable
    // image ends the attempt instead, and the service queues the next attempt (MAX_RESTORATION_ATTEMPTS).
    policy: {
      retryLimit: 5,
      retryDelay: 15,
      retryBackoff: true,
      retryDelayMax: 10 * 60,
      expireInSeconds: 15 * 60,
      // A worker killed mid-restoration stops beating; the job is retried about 10 s later, not at expiry.
      heartbeatSeconds: 10,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 2, concurrency: 2 },
  }),
  'restoration.poll': defineQueue({
    name: 'restoration.poll',
    description:
      'Asks the provider how a prediction is doing (on schedule, or at once on its webhook) and acts on it.',
    schema: z.object({ restorationJobId: z.uuid() }),
    policy: {
      retryLimit: 8,
      retryDelay: 10,
      retryBackoff: true,
      retryDelayMax: 10 * 60,
      expireInSeconds: 5 * 60,
      heartbeatSeconds: 10,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 10, concurrency: 4 },
  }),
  'email.send': defineQueue({
    name: 'email.send',
    description: 'Renders and sends one stored email message.',
    schema: z.object({ emailMessageId: z.uuid() }),
    // A provider's 429/5xx is retried by the email service itself (EMAIL_RETRY_DELAY_MS, Retry-After);
    // these retries are for our own failures (database, storage).
    policy: {
      retryLimit: 6,
      retryDelay: 10,
      retryBackoff: true,
      retryDelayMax: 30 * 60,
      expireInSeconds: 2 * 60,
      heartbeatSeconds: 10,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 10, concurrency: 4 },
  }),
  'payments.reconcile': defineQueue({
    name: 'payments.reconcile',
    description: 'Lists recent paid checkout sessions and fulfils any order left unfulfilled.',
    schema: z.object({
      lookbackHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .optional(),
    }),
    policy: {
      retryLimit: 1,
      retryDelay: 60,
      retryBackoff: false,
      expireInSeconds: 5 * 60,
      deleteAfterSeconds: DAY,
    },
    work: { batchSize: 1, concurrency: 1 },
    schedule: '*/10 * * * *',
  }),
  'cleanup.expired': defineQueue({
    name: 'cleanup.expired',
    description:
      'Deletes expired upload sessions with their files, expired download links and old processed webhook events.',
    schema: z.object({}).loose(),
    policy: {
      retryLimit: 1,
      retryDelay: 60,
      retryBackoff: false,
      expireInSeconds: 10 * 60,
      deleteAfterSeconds: DAY,
    },
    work: { batchSize: 1, concurrency: 1 },
    schedule: '17 * * * *',
  }),
  'refunds.issue-automatic': defineQueue({
    name: 'refunds.issue-automatic',
    description:
      "Issues an order's automatic refunds of unrestorable photos once their grace period is over, then emails the customer.",
    schema: z.object({ orderId: z.uuid() }),
    // Each refund carries its own idempotency key and fixed amount, so retries never refund twice.
    policy: {
      retryLimit: 8,
      retryDelay: 30,
      retryBackoff: true,
      retryDelayMax: 30 * 60,
      expireInSeconds: 5 * 60,
      heartbeatSeconds: 10,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 5, concurrency: 2 },
  }),
  'privacy.purge-expired': defineQueue({
    name: 'privacy.purge-expired',
    description:
      "Deletes the photos' files whose retention period is over (ORIGINALS_RETENTION_DAYS, RESTORED_RETENTION_DAYS) and finishes interrupted deletions.",
    schema: z.object({}).loose(),
    policy: {
      retryLimit: 3,
      retryDelay: 5 * 60,
      retryBackoff: true,
      expireInSeconds: 30 * 60,
      heartbeatSeconds: 30,
      deleteAfterSeconds: 7 * DAY,
    },
    work: { batchSize: 1, concurrency: 1 },
    schedule: '41 3 * * *',
  }),
  'orders.sweep-stuck': defineQueue({
    name: 'orders.sweep-stuck',
    description:
      'Drives again paid orders that stopped making progress, re-polls overdue predictions and lost refund jobs.',
    schema: z.object({}).loose(),
    policy: {
      retryLimit: 1,
      retryDelay: 30,
      retryBackoff: false,
      expireInSeconds: 5 * 60,
      deleteAfterSeconds: DAY,
    },
    work: { batchSize: 1, concurrency: 1 },
    schedule: '* * * * *',
  }),
} as const;

export type QueueName = keyof typeof QUEUES;
export type QueuePayload<Name extends QueueName> = z.input<(typeof QUEUES)[Name]['schema']>;
export type QueueJobData<Name extends QueueName> = z.output<(typeof QUEUES)[Name]['schema']>;

export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function deadLetterQueueOf(name: QueueName): string {
  return `${name}.dead`;
}
