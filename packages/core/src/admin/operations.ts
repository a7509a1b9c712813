/**
 * The operations page: is every service we depend on answering (and how fast), how the background queues are
 * doing (with alerts), and the levers: send dead letters back to their queue, run reconciliation or cleanup now.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '@restoreclick/db';
import { AppError } from '../errors/app-error';
import { deleteDeadLetters, lockDeadLetters } from '../jobs/dead-letters';
import { type JobQueue, parsePayload } from '../jobs/job-queue';
import { collectQueueMetrics, type QueueWindowMetrics } from '../jobs/queue-metrics';
import { QUEUE_NAMES, type QueueName } from '../jobs/queue-registry';
import { adminActorOf, type AdminActor, recordAudit } from './audit-log';
import { RETRYABLE_ORDER_STATUSES } from './order-statuses';
import { type RetryPhotosDeps, retryFailedPhotos } from './retry-failed-photos';

export const SERVICE_NAMES = ['database', 'storage', 'stripe', 'replicate', 'sendgrid'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * How to check one service: a cheap request that resolves with what it reached (and throws when it fails),
 * or, for a service that is not configured, the words that say what stands in for it.
 */
export type ServiceProbe = { check: () => Promise<string> } | { notConfigured: string };

export interface ServiceCheck {
  name: ServiceName;
  ok: boolean;
  latencyMs: number | null;
  detail: string;
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const message = error.message || error.name;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

export async function checkServices(
  probes: Record<ServiceName, ServiceProbe>,
  options: { timeoutMs: number },
): Promise<ServiceCheck[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceCheck> => {
      const probe = probes[name];
      if ('notConfigured' in probe) {
        return { name, ok: true, latencyMs: null, detail: probe.notConfigured };
      }
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const detail = await Promise.race([
          probe.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${options.timeoutMs} ms`)),
              options.timeoutMs,
            );
          }),
        ]);
        return { name, ok: true, latencyMs: Math.round(performance.now() - started), detail };
      } catch (error) {
        return {
          name,
          ok: false,
          latencyMs: Math.round(performance.now() - started),
          detail: describeError(error),
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

export interface QueueAlertThresholds {
  waitingJobs: number;
  activeSeconds: number;
  /** Failed ÷ finished over the last hour. */
  errorRate: number;
}

export const DEFAULT_QUEUE_ALERT_THRESHOLDS: QueueAlertThresholds = {
  waitingJobs: 100,
  activeSeconds: 5 * 60,
  errorRate: 0.05,
};

export interface QueueWindowStats {
  completed: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  errorRate: number;
}

export interface AdminQueueStats {
  name: QueueName;
  /** Waiting to run, now or later (retry backoff, scheduled polls). */
  queued: number;
  active: number;
  /** Jobs whose last attempt failed, still kept by pg-boss. */
  failed: number;
  deadLetter: number;
  oldestWaitingSeconds: number | null;
  longestActiveSeconds: number | null;
  lastHour: QueueWindowStats;
  lastDay: QueueWindowStats;
  alerts: string[];
}

function windowStats(metrics: QueueWindowMetrics): QueueWindowStats {
  const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000));
  return {
    completed: metrics.completed,
    failed: metrics.failed,
    p50Ms: ms(metrics.p50Seconds),
    p95Ms: ms(metrics.p95Seconds),
    errorRate: metrics.errorRate,
  };
}

export async function collectAdminQueueStats(
  db: Kysely<Database>,
  thresholds: QueueAlertThresholds = DEFAULT_QUEUE_ALERT_THRESHOLDS,
): Promise<AdminQueueStats[]> {
  const [metrics, failedRows] = await Promise.all([
    collectQueueMetrics(db),
    sql<{ name: string; failed: string }>`
      select name, count(*) as failed from pgboss.job
      where name = any(${QUEUE_NAMES}::text[]) and state = 'failed'
      group by name
    `.execute(db),
  ]);
  const failedOf = new Map(failedRows.rows.map((row) => [row.name, Number(row.failed)]));
  return metrics.map((queue) => {
    const alerts: string[] = [];
    if (queue.waiting > thresholds.waitingJobs) {
      alerts.push(`${queue.waiting} jobs are waiting (more than ${thresholds.waitingJobs}).`);
    }
    if ((queue.longestActiveSeconds ?? 0) > thresholds.activeSeconds) {
      alerts.push(
        `A job has been running for ${Math.round((queue.longestActiveSeconds ?? 0) / 60)} minutes.`,
      );
    }
    if (queue.lastHour.errorRate > thresholds.errorRate) {
      alerts.push(
        `${(queue.lastHour.errorRate * 100).toFixed(1)} % of the jobs of the last hour failed.`,
      );
    }
    return {
      name: queue.name,
      queued: queue.waiting + queue.deferred,
      active: queue.active,
      failed: failedOf.get(queue.name) ?? 0,
      deadLetter: queue.deadLetters,
      oldestWaitingSeconds: queue.oldestWaitingSeconds,
      longestActiveSeconds: queue.longestActiveSeconds,
      lastHour: windowStats(queue.lastHour),
      lastDay: windowStats(queue.lastDay),
      alerts,
    };
  });
}

/** Most dead letters sent back by one click; more need another click. */
export const DEAD_LETTER_BATCH = 500;

/**
 * Sends a queue's dead letters back. Most go back to their queue as they were (their handlers are safe to run
 * again). A dead `restoration.run` is a photo that failed every attempt, and its old attempt would only be
 * skipped: the photo gets a new attempt instead, as "retry" on the order does.
 */
export async function retryDeadLetters(
  db: Kysely<Database>,
  deps: RetryPhotosDeps,
  input: { admin: AdminActor; queue: QueueName },
): Promise<{ retried: number }> {
  return db.transaction().execute(async (trx) => {
    const letters = await lockDeadLetters(trx, input.queue, DEAD_LETTER_BATCH);
    const handled: string[] = [];
    let retried = 0;
    if (input.queue === 'restoration.run') {
      retried = await retryFailedPhotosOf(trx, deps, input.admin, letters, handled);
    } else {
      for (const letter of letters) {
        const { reason: _reason, ...payload } = letter.data;
        let parsed;
        try {
          parsed = parsePayload(input.queue, payload);
        } catch {
          continue; // a payload no handler would take stays where it is, for a person to read
        }
        await deps.jobs.enqueue(trx, input.queue, parsed as never);
        handled.push(letter.id);
        retried += 1;
      }
    }
    await deleteDeadLetters(trx, input.queue, handled);
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'queue.retry_dead_letters',
      entityType: 'queue',
      entityId: input.queue,
      before: { deadLetters: letters.length },
      after: { retried, removed: handled.length },
      ip: input.admin.ip,
    });
    return { retried };
  });
}

async function retryFailedPhotosOf(
  trx: Kysely<Database>,
  deps: RetryPhotosDeps,
  admin: AdminActor,
  letters: Awaited<ReturnType<typeof lockDeadLetters>>,
  handled: string[],
): Promise<number> {
  const jobIds = letters
    .map((letter) => letter.data.restorationJobId)
    .filter((id): id is string => typeof id === 'string');
  const attempts = jobIds.length
    ? await trx
        .selectFrom('restoration_jobs as j')
        .innerJoin('order_images as i', 'i.id', 'j.order_image_id')
        .innerJoin('orders as o', 'o.id', 'j.order_id')
        .select([
          'j.id as jobId',
          'j.order_id',
          'i.id as imageId',
          'i.status',
          'o.status as orderStatus',
        ])
        .where('j.id', 'in', jobIds)
        .execute()
    : [];
  const byJob = new Map(attempts.map((attempt) => [attempt.jobId, attempt]));
  const photosByOrder = new Map<string, Set<string>>();
  for (const letter of letters) {
    const attempt = byJob.get(String(letter.data.restorationJobId));
    if (!attempt || attempt.status !== 'failed') {
      handled.push(letter.id); // the photo was retried or settled since: nothing left to do
      continue;
    }
    if (!RETRYABLE_ORDER_STATUSES.includes(attempt.orderStatus)) {
      continue; // refunded or closed meanwhile: left for a person to look at
    }
    const photos = photosByOrder.get(attempt.order_id) ?? new Set<string>();
    photos.add(attempt.imageId);
    photosByOrder.set(attempt.order_id, photos);
    handled.push(letter.id);
  }
  let retried = 0;
  for (const [orderId, imageIds] of photosByOrder) {
    const result = await retryFailedPhotos(trx, deps, {
      orderId,
      imageIds: [...imageIds],
      actor: adminActorOf(admin),
    });
    retried += result.photos.length;
  }
  return retried;
}

/** Runs a scheduled job now: `payments.reconcile` or `cleanup.expired`. */
export async function runScheduledJobNow(
  db: Kysely<Database>,
  deps: { jobs: JobQueue },
  input: { admin: AdminActor; queue: 'payments.reconcile' | 'cleanup.expired' },
): Promise<{ jobId: string }> {
  return db.transaction().execute(async (trx) => {
    const jobId = await deps.jobs.enqueue(trx, input.queue, {});
    if (!jobId) {
      throw new AppError('CONFLICT', `A ${input.queue} job is already waiting to run.`);
    }
    await recordAudit(trx, {
      adminUserId: input.admin.id,
      action: 'queue.run_now',
      entityType: 'queue',
      entityId: input.queue,
      after: { jobId },
      ip: input.admin.ip,
    });
    return { jobId };
  });
}
