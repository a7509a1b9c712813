/**
 * The invariants the worker relies on in the shared queue registry (`@restoreclick/core`): `ensureQueues`
 * and the work loop read every setting from it, so a queue that breaks one of these fails here, not in production.
 */
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  deadLetterQueueOf,
  PgBossJobQueue,
  QUEUE_NAMES,
  QUEUES,
  type QueueDefinition,
} from '@restoreclick/core';
import { createDb } from '@restoreclick/db';

const definitions: Array<[string, QueueDefinition]> = Object.entries(QUEUES);

describe('queue registry', () => {
  it.each(definitions)(
    '%s is named by its key, dotted, with a distinct dead-letter queue',
    (key, queue) => {
      expect(queue.name).toBe(key);
      expect(key).toMatch(/^[a-z]+(\.[a-z]+(-[a-z]+)*)+$/);
      const deadLetter = deadLetterQueueOf(queue.name as keyof typeof QUEUES);
      expect(deadLetter).toBe(`${key}.dead`);
      expect(QUEUE_NAMES).not.toContain(deadLetter);
    },
  );

  it.each(definitions)(
    '%s has a zod payload schema and a retry policy with backoff bounds',
    (_, queue) => {
      expect(queue.schema).toBeInstanceOf(z.ZodType);
      const { policy } = queue;
      expect(Number.isInteger(policy.retryLimit) && policy.retryLimit >= 1).toBe(true);
      expect(policy.retryDelay).toBeGreaterThan(0);
      expect(policy.expireInSeconds).toBeGreaterThan(0);
      expect(policy.deleteAfterSeconds).toBeGreaterThan(0);
      if (policy.retryDelayMax !== undefined) {
        expect(policy.retryBackoff).toBe(true);
        expect(policy.retryDelayMax).toBeGreaterThanOrEqual(policy.retryDelay);
      }
      if (policy.heartbeatSeconds !== undefined) {
        expect(policy.heartbeatSeconds).toBeLessThan(policy.expireInSeconds);
      }
    },
  );

  it.each(definitions)('%s runs at most as many handlers at once as it fetches', (_, queue) => {
    // The worker's concurrency lanes work inside one fetched batch: more lanes than jobs would never be used.
    expect(queue.work.batchSize).toBeGreaterThanOrEqual(1);
    expect(queue.work.concurrency).toBeGreaterThanOrEqual(1);
    expect(queue.work.concurrency).toBeLessThanOrEqual(queue.work.batchSize);
  });

  it.each(definitions.filter(([, queue]) => queue.schedule !== undefined))(
    '%s accepts the empty payload its cron schedule sends',
    (_, queue) => {
      expect(queue.schema.safeParse({}).success).toBe(true);
    },
  );
});

describe('enqueue', () => {
  // Never started and pointing nowhere: a payload that passed validation would fail to connect instead.
  const boss = new PgBoss({ connectionString: 'postgres://nobody@127.0.0.1:9/nowhere' });
  const { db } = createDb({ connectionString: 'postgres://nobody@127.0.0.1:9/nowhere' });
  const jobs = new PgBossJobQueue(boss);
  afterAll(async () => {
    await db.destroy();
  });

  it('rejects an invalid payload before touching the database, naming the queue and the field', async () => {
    const attempt = jobs.enqueue(db, 'system.ping', { requestedAt: 'yesterday' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^Invalid system\.ping job payload \(requestedAt: /),
    });
  });

  it('rejects a hold longer than a minute', async () => {
    await expect(
      jobs.enqueue(db, 'system.ping', { requestedAt: new Date().toISOString(), holdMs: 60_001 }),
    ).rejects.toThrow(/Invalid system\.ping job payload \(holdMs: /);
  });
});
