/**
 * The worker loop: one pg-boss instance on our database, a `work` subscription per queue that has a handler,
 * settings from the queue registry. Each job's payload is validated before its handler runs; a handler's
 * failure is retried with the queue's backoff unless it is permanent, which sends the job to its dead-letter
 * queue at once. `stop()` stops fetching and lets running jobs finish within the grace period.
 */
import { type Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import {
  ensureQueues,
  parsePayload,
  type QueueDefinition,
  type QueueName,
  QUEUES,
} from '@restoreclick/core';
import { type JobHandler, type JobHandlers, PermanentJobError } from './job-handler';

export interface WorkerOptions {
  connectionString: string;
  logger: Logger;
  /** The handlers, or a function that builds them around this worker's pg-boss (to enqueue follow-up jobs). */
  handlers: JobHandlers | ((boss: PgBoss) => JobHandlers);
  /** Upper bound on handlers running at once per queue (the registry may ask for fewer). */
  concurrency: number;
  /** Exact handlers at once for these queues, overriding the bound above (`QUEUE_CONCURRENCY`). */
  queueConcurrency?: Partial<Record<QueueName, number>>;
  /** False: start pg-boss (schedules, maintenance) but consume no queue (`AUTO_START_WORKERS=false`). */
  consume?: boolean;
  pollingIntervalSeconds: number;
  shutdownGraceSeconds: number;
  /** Connections pg-boss may hold (its pool, plus one for LISTEN). */
  maxConnections?: number;
}

export interface Worker {
  readonly boss: PgBoss;
  /** The queues this process consumes (none when `consume` is false). */
  readonly queues: QueueName[];
  readonly state: () => 'created' | 'started' | 'stopping' | 'stopped';
  start(): Promise<void>;
  stop(): Promise<void>;
}

const SUPERVISE_INTERVAL_SECONDS = 10;

type JobResult = { id: string; status: 'completed' | 'failed' | 'deadletter'; output?: object };

function errorOutput(error: unknown): object {
  return {
    error: error instanceof Error ? error.message : String(error),
    type: error instanceof Error ? error.name : typeof error,
  };
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
async function runLimited<T>(items: T[], limit: number, run: (item: T) => Promise<JobResult>) {
  const results: JobResult[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      results[index] = await run(item);
    }
  });
  await Promise.all(lanes);
  return results;
}

export function createWorker(options: WorkerOptions): Worker {
  const { logger } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    application_name: 'restoreclick-worker',
    max: options.maxConnections ?? 10,
    useListenNotify: true,
    // How often jobs of a dead worker (missed heartbeats, expiry) are failed and retried: every 10 s rather
    // than pg-boss's 60 s, so a crash delays a customer's photos by seconds, not a minute.
    superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
  });
  let stopping = false;
  // Once stopping, lost connections are expected (in development Ctrl-C reaches Postgres too): keep them quiet.
  boss.on('error', (error) =>
    stopping
      ? logger.debug({ err: error }, 'pg-boss error while stopping')
      : logger.error({ err: error }, 'pg-boss error'),
  );
  boss.on('warning', (warning) => logger.warn({ warning }, 'pg-boss warning'));

  const handlers =
    typeof options.handlers === 'function' ? options.handlers(boss) : options.handlers;
  const handled = (Object.keys(handlers) as QueueName[]).filter(
    (name) => handlers[name] !== undefined,
  );
  const queues = options.consume === false ? [] : handled;
  let state: ReturnType<Worker['state']> = 'created';

  async function runJob(
    definition: QueueDefinition,
    handler: JobHandler<QueueName>,
    job: Job<unknown>,
  ): Promise<JobResult> {
    const jobLogger = logger.child({
      queue: definition.name,
      jobId: job.id,
      retry: job.retryCount,
    });
    let data;
    try {
      data = parsePayload(definition.name as QueueName, job.data);
    } catch (error) {
      jobLogger.error({ err: error }, 'invalid job payload: dead-lettered');
      return { id: job.id, status: 'deadletter', output: errorOutput(error) };
    }
    const started = performance.now();
    try {
      const output = await handler(data as never, {
        jobId: job.id,
        retryCount: job.retryCount,
        logger: jobLogger,
        signal: job.signal,
      });
      jobLogger.debug({ ms: Math.round(performance.now() - started) }, 'job completed');
      return { id: job.id, status: 'completed', ...(output ? { output } : {}) };
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      // Jobs carry their queue's policy (enqueue never overrides it), so the registry knows the last attempt.
      const lastAttempt = job.retryCount >= definition.policy.retryLimit;
      jobLogger.error(
        { err: error, ms: Math.round(performance.now() - started) },
        permanent
          ? 'job failed permanently: dead-lettered'
          : lastAttempt
            ? 'job failed on its last attempt: dead-lettered'
            : 'job failed: will retry',
      );
      return {
        id: job.id,
        status: permanent ? 'deadletter' : 'failed',
        output: errorOutput(error),
      };
    }
  }

  return {
    boss,
    queues,
    state: () => state,
    async start() {
      await boss.start();
      await ensureQueues(boss);
      for (const name of queues) {
        const definition: QueueDefinition = QUEUES[name];
        const handler = handlers[name] as JobHandler<QueueName>;
        const concurrency =
          options.queueConcurrency?.[name] ??
          Math.min(definition.work.concurrency, options.concurrency);
        await boss.work(
          name,
          {
            batchSize: Math.max(definition.work.batchSize, concurrency),
            pollingIntervalSeconds: options.pollingIntervalSeconds,
            // NOTIFY fires when a job is inserted, not when a retry or a delayed job falls due; those are
            // found by polling. pg-boss polls a notify queue only every 30 s by default, which turned a
            // 2 s retry delay into ~30 s. Our polling interval stays the backstop for every queue.
            notifyPollingIntervalSeconds: options.pollingIntervalSeconds,
            burstWhenBatchFull: true,
            perJobResults: true,
          },
          (jobs: Job<unknown>[]) =>
            runLimited(jobs, concurrency, (job) => runJob(definition, handler, job)),
        );
      }
      // Schedules live in the database: any worker process may keep them, consuming or not.
      for (const name of handled) {
        const { schedule } = QUEUES[name] as QueueDefinition;
        if (schedule) await boss.schedule(name, schedule, {}, { tz: 'UTC' });
      }
      state = 'started';
    },
    async stop() {
      stopping = true;
      state = 'stopping';
      await boss.stop({
        graceful: true,
        timeout: options.shutdownGraceSeconds * 1000,
        close: true,
      });
      state = 'stopped';
    },
  };
}
