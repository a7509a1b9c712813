/**
 * Queue health for operators (the worker's health port now, the admin later): depth, running jobs, the oldest
 * waiting job, dead letters, and over the last hour and day the processing time percentiles and error rate.
 * Read straight from pg-boss's own tables, so it covers every worker process at once.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '@restoreclick/db';
import { deadLetterQueueOf, QUEUE_NAMES, type QueueName } from './queue-registry';

export interface QueueWindowMetrics {
  completed: number;
  failed: number;
  /** Failed ÷ (completed + failed); 0 with no finished job. */
  errorRate: number;
  /** Seconds from start to finish of finished jobs; null with no finished job. */
  p50Seconds: number | null;
  p95Seconds: number | null;
  p99Seconds: number | null;
}

export interface QueueMetrics {
  name: QueueName;
  /** Ready to run now. */
  waiting: number;
  /** Scheduled for later (retry backoff, delayed polls). */
  deferred: number;
  active: number;
  deadLetters: number;
  oldestWaitingSeconds: number | null;
  /** The longest-running active job, for "stuck" alerts. */
  longestActiveSeconds: number | null;
  lastHour: QueueWindowMetrics;
  lastDay: QueueWindowMetrics;
}

interface DepthRow {
  name: string;
  waiting: string;
  deferred: string;
  active: string;
  oldest_waiting_seconds: number | null;
  longest_active_seconds: number | null;
}

interface WindowRow {
  name: string;
  completed: string;
  failed: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

function emptyWindow(): QueueWindowMetrics {
  return {
    completed: 0,
    failed: 0,
    errorRate: 0,
    p50Seconds: null,
    p95Seconds: null,
    p99Seconds: null,
  };
}

async function windowMetrics(
  db: Kysely<Database>,
  names: readonly string[],
  hours: number,
): Promise<Map<string, QueueWindowMetrics>> {
  const { rows } = await sql<WindowRow>`
    select name,
      count(*) filter (where state = 'completed') as completed,
      count(*) filter (where state = 'failed') as failed,
      percentile_cont(0.5) within group (order by extract(epoch from completed_on - started_on)) as p50,
      percentile_cont(0.95) within group (order by extract(epoch from completed_on - started_on)) as p95,
      percentile_cont(0.99) within group (order by extract(epoch from completed_on - started_on)) as p99
    from pgboss.job
    where name = any(${names}::text[])
      and state in ('completed', 'failed')
      and started_on is not null
      and completed_on >= now() - make_interval(hours => ${hours})
    group by name
  `.execute(db);
  const result = new Map<string, QueueWindowMetrics>();
  for (const row of rows) {
    const completed = Number(row.completed);
    const failed = Number(row.failed);
    result.set(row.name, {
      completed,
      failed,
      errorRate: completed + failed === 0 ? 0 : failed / (completed + failed),
      p50Seconds: row.p50 === null ? null : Number(row.p50),
      p95Seconds: row.p95 === null ? null : Number(row.p95),
      p99Seconds: row.p99 === null ? null : Number(row.p99),
    });
  }
  return result;
}

export async function collectQueueMetrics(
  db: Kysely<Database>,
  names: readonly QueueName[] = QUEUE_NAMES,
): Promise<QueueMetrics[]> {
  const deadLetterNames = names.map((name) => deadLetterQueueOf(name));
  const { rows } = await sql<DepthRow>`
    select name,
      count(*) filter (where state in ('created', 'retry') and start_after <= now()) as waiting,
      count(*) filter (where state in ('created', 'retry') and start_after > now()) as deferred,
      count(*) filter (where state = 'active') as active,
      extract(epoch from now() - min(created_on) filter (
        where state in ('created', 'retry') and start_after <= now()
      ))::float8 as oldest_waiting_seconds,
      extract(epoch from now() - min(started_on) filter (where state = 'active'))::float8
        as longest_active_seconds
    from pgboss.job
    where name = any(${[...names, ...deadLetterNames]}::text[])
    group by name
  `.execute(db);
  const depth = new Map(rows.map((row) => [row.name, row]));
  const [hour, day] = await Promise.all([
    windowMetrics(db, names, 1),
    windowMetrics(db, names, 24),
  ]);
  return names.map((name) => {
    const row = depth.get(name);
    const dead = depth.get(deadLetterQueueOf(name));
    return {
      name,
      waiting: Number(row?.waiting ?? 0),
      deferred: Number(row?.deferred ?? 0),
      active: Number(row?.active ?? 0),
      deadLetters: Number(dead?.waiting ?? 0) + Number(dead?.deferred ?? 0),
      oldestWaitingSeconds: row?.oldest_waiting_seconds ?? null,
      longestActiveSeconds: row?.longest_active_seconds ?? null,
      lastHour: hour.get(name) ?? emptyWindow(),
      lastDay: day.get(name) ?? emptyWindow(),
    };
  });
}
