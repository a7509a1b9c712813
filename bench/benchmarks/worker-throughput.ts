/**
 * Our worker's job loop (registry policy, payload validation, per-job results, concurrency lanes, logging)
 * against bare pg-boss with the same fetch settings, each draining 5,000 no-op jobs from a fresh database.
 *
 * Both sides: jobs inserted first in one batch, then the clock runs from starting the consumer until the
 * job table shows every job completed. Ours runs the real `system.ping` handler (holdMs 0) through
 * `createWorker`, and its start includes `ensureQueues` for the whole registry, as in production; bare
 * pg-boss gets one `work()` call with an empty handler. Rounds alternate which side goes first, each side
 * on its own freshly migrated database; the run is noisy on two cores, so we report the median and the best.
 */
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import pino from 'pino';
import { QUEUES } from '@restoreclick/core';
import { createWorker, handleSystemPing } from '@restoreclick/worker';
import type { Benchmark, BenchContext } from '../harness';

const JOBS = 5_000;
const ROUNDS = 3;
const POLLING_SECONDS = 2;
const DRAIN_TIMEOUT_MS = 120_000;
const QUEUE = 'system.ping';

/** Polls the job table directly (pg-boss's own queue counts are cached) until every job has completed. */
async function waitUntilDrained(url: string, queue: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const result = await client.query<{ completed: string }>(
        `select count(*) as completed from pgboss.job where name = $1 and state = 'completed'`,
        [queue],
      );
      if (Number(result.rows[0]?.completed) >= JOBS) return;
      if (Date.now() > deadline) {
        throw new Error(`${queue} did not drain within ${DRAIN_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

function noOpJobs(): Array<{ data: object }> {
  const requestedAt = new Date().toISOString();
  return Array.from({ length: JOBS }, () => ({ data: { requestedAt, holdMs: 0 } }));
}

/** Creates the queues the way the worker does, fills the queue, then times a fresh worker draining it. */
async function measureOurs(url: string): Promise<number> {
  const options = {
    connectionString: url,
    logger: pino({ level: 'silent' }),
    handlers: { [QUEUE]: handleSystemPing },
    concurrency: QUEUES[QUEUE].work.concurrency,
    pollingIntervalSeconds: POLLING_SECONDS,
    shutdownGraceSeconds: 5,
  };
  const setup = createWorker(options);
  await setup.start();
  await setup.boss.offWork(QUEUE);
  await setup.boss.insert(QUEUE, noOpJobs());
  await setup.stop();

  const worker = createWorker(options);
  try {
    const started = performance.now();
    await worker.start();
    await waitUntilDrained(url, QUEUE);
    return JOBS / ((performance.now() - started) / 1000);
  } finally {
    await worker.stop();
  }
}

/** The same queue policy and fetch settings, straight on pg-boss. */
async function measureBare(url: string): Promise<number> {
  const { policy, work } = QUEUES[QUEUE];
  const setup = new PgBoss({ connectionString: url, useListenNotify: true });
  setup.on('error', () => {});
  await setup.start();
  await setup.createQueue(`${QUEUE}.dead`);
  await setup.createQueue(QUEUE, { ...policy, deadLetter: `${QUEUE}.dead`, notify: true });
  await setup.insert(QUEUE, noOpJobs());
  await setup.stop({ graceful: false });

  const boss = new PgBoss({ connectionString: url, max: 10, useListenNotify: true });
  boss.on('error', () => {});
  try {
    const started = performance.now();
    await boss.start();
    await boss.work(
      QUEUE,
      {
        batchSize: work.batchSize,
        pollingIntervalSeconds: POLLING_SECONDS,
        notifyPollingIntervalSeconds: POLLING_SECONDS,
        burstWhenBatchFull: true,
      },
      async () => {},
    );
    await waitUntilDrained(url, QUEUE);
    return JOBS / ((performance.now() - started) / 1000);
  } finally {
    await boss.stop({ graceful: true, timeout: 5_000 });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  const lower = sorted[sorted.length % 2 ? middle : middle - 1];
  if (upper === undefined || lower === undefined) throw new Error('median of no values');
  return (upper + lower) / 2;
}

export const workerThroughput: Benchmark = {
  name: 'worker-throughput',
  description: `our worker loop draining ${JOBS.toLocaleString('en')} no-op system.ping jobs`,
  baseline:
    'bare pg-boss, same queue policy, batch size, polling, LISTEN/NOTIFY and burst settings',
  async run(context: BenchContext) {
    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const side of round % 2 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const)) {
        const url = await context.migratedDatabase(`bench_worker_${side}_${round}`);
        const rate = side === 'ours' ? await measureOurs(url) : await measureBare(url);
        (side === 'ours' ? ours : bare).push(rate);
        context.log(`round ${round} ${side}: ${rate.toFixed(0)} jobs/s`);
      }
    }
    return {
      metrics: [
        {
          name: `throughput (median of ${ROUNDS})`,
          unit: 'jobs/s',
          ours: median(ours),
          baseline: median(bare),
          higherIsBetter: true,
        },
        {
          name: `throughput (best of ${ROUNDS})`,
          unit: 'jobs/s',
          ours: Math.max(...ours),
          baseline: Math.max(...bare),
          higherIsBetter: true,
        },
      ],
      notes: [
        `${ROUNDS} rounds, alternating which side goes first, each on its own freshly migrated database`,
        `clock: consumer start (ours includes pg-boss start + ensureQueues for ${Object.keys(QUEUES).length} queues; bare includes pg-boss start) until all ${JOBS} jobs are completed in the job table, polled every 20 ms`,
        `per round, ours: ${ours.map((rate) => rate.toFixed(0)).join(', ')}; bare: ${bare.map((rate) => rate.toFixed(0)).join(', ')} jobs/s`,
        'Postgres durable (fsync on, synchronous_commit on), batchSize ' +
          `${QUEUES[QUEUE].work.batchSize}, burstWhenBatchFull, polling ${POLLING_SECONDS} s (also while NOTIFY is active)`,
      ],
    };
  },
};
