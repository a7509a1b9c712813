/**
 * Dead letters as rows: the jobs in a queue's dead-letter queue (`<queue>.dead`), read and removed inside
 * the caller's transaction, so sending one back and removing it happen together. Read straight from
 * pg-boss's job table, as `queue-metrics.ts` does.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '@restoreclick/db';
import { deadLetterQueueOf, type QueueName } from './queue-registry';

export interface DeadLetter {
  id: string;
  /** The payload of the job that died, plus `reason` when our own code dead-lettered it. */
  data: Record<string, unknown>;
  createdAt: Date;
}

/** The oldest waiting dead letters of `queue`, locked until the transaction ends (others skip them). */
export async function lockDeadLetters(
  db: Kysely<Database>,
  queue: QueueName,
  limit: number,
): Promise<DeadLetter[]> {
  const { rows } = await sql<{ id: string; data: unknown; created_on: Date }>`
    select id, data, created_on from pgboss.job
    where name = ${deadLetterQueueOf(queue)} and state in ('created', 'retry')
    order by created_on
    limit ${limit}
    for update skip locked
  `.execute(db);
  return rows.map((row) => ({
    id: row.id,
    data: (row.data ?? {}) as Record<string, unknown>,
    createdAt: row.created_on,
  }));
}

export async function deleteDeadLetters(
  db: Kysely<Database>,
  queue: QueueName,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    delete from pgboss.job where name = ${deadLetterQueueOf(queue)} and id = any(${[...ids]}::uuid[])
  `.execute(db);
}

/** Removes the dead letters whose payload field `field` is one of `values` (their work was sent again). */
export async function deleteDeadLettersWhere(
  db: Kysely<Database>,
  queue: QueueName,
  field: string,
  values: readonly string[],
): Promise<number> {
  if (values.length === 0) return 0;
  const result = await sql`
    delete from pgboss.job
    where name = ${deadLetterQueueOf(queue)} and data->>${field} = any(${[...values]}::text[])
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
