/** The job loop against a real Postgres: completion, invalid payloads, retries and the queue policies. */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureQueues, QUEUES } from '@restoreclick/core';
import { waitFor } from '@restoreclick/devkit/testing';
import { startTestWorker, type TestWorker } from '../test/test-worker';
import { handleSystemPing } from './handlers/system-ping';
import type { Worker } from './worker';

describe('worker loop', () => {
  let running: TestWorker;
  let worker: Worker;

  beforeAll(async () => {
    running = await startTestWorker({ pollingIntervalSeconds: 2 });
    ({ worker } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('runs a ping job to completion and keeps its answer', async () => {
    const requestedAt = new Date().toISOString();
    const id = await worker.boss.send('system.ping', { requestedAt });
    expect(id).toBeTruthy();

    const job = await waitFor(
      async () => {
        const found = await worker.boss.getJobById<{ requestedAt: string }>(
          'system.ping',
          String(id),
        );
        return found?.state === 'completed' ? found : undefined;
      },
      { timeout: 10_000, message: 'the ping job to complete' },
    );
    expect(job.output).toMatchObject({ pong: true, requestedAt });
  });

  it('sends a job with an invalid payload straight to its dead-letter queue, without retries', async () => {
    const id = await worker.boss.send('system.ping', { requestedAt: 'yesterday' });
    const job = await waitFor(
      async () => {
        const found = await worker.boss.getJobById('system.ping', String(id));
        return found?.state === 'failed' ? found : undefined;
      },
      { timeout: 10_000, message: 'the bad ping to fail' },
    );
    expect(job.retryCount).toBe(0);
    expect(JSON.stringify(job.output)).toMatch(/Invalid system\.ping job payload \(requestedAt: /);
    const dead = await waitFor(
      async () => {
        const [entry] = await worker.boss.findJobs('system.ping.dead', {});
        return entry;
      },
      { timeout: 10_000, message: 'the dead letter' },
    );
    expect(dead.data).toEqual({ requestedAt: 'yesterday' });
  });

  it('restores a queue policy that drifted, and creating the queues again changes nothing else', async () => {
    await worker.boss.updateQueue('system.ping', { retryLimit: 9, expireInSeconds: 5 });

    await ensureQueues(worker.boss);
    await ensureQueues(worker.boss);

    const queue = await worker.boss.getQueue('system.ping');
    expect(queue).toMatchObject({
      retryLimit: QUEUES['system.ping'].policy.retryLimit,
      expireInSeconds: QUEUES['system.ping'].policy.expireInSeconds,
      deadLetter: 'system.ping.dead',
    });
    // pg-boss keeps its own queues (for cron) under a `__pgboss__` prefix.
    const names = (await worker.boss.getQueues())
      .map((entry) => entry.name)
      .filter((name) => !name.startsWith('__pgboss__'))
      .sort();
    const expected = Object.keys(QUEUES).flatMap((name) => [name, `${name}.dead`]);
    expect(names).toEqual(expected.sort());
  });
});

describe('worker loop with a failing handler', () => {
  const POISON = '2000-01-01T00:00:00.000Z';
  const logLines: Array<{ msg: string; jobId?: string; retry?: number }> = [];
  let running: TestWorker;
  let worker: Worker;

  beforeAll(async () => {
    running = await startTestWorker({
      logger: pino(
        { level: 'error' },
        {
          write: (line: string) =>
            void logLines.push(JSON.parse(line) as (typeof logLines)[number]),
        },
      ),
      handlers: {
        'system.ping': async (data, context) => {
          if (data.requestedAt === POISON) throw new Error('the ping service is down');
          return handleSystemPing(data, context);
        },
      },
    });
    ({ worker } = running);
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('retries only the failing job of a batch, logs each failure with its id, then dead-letters it', async () => {
    const healthy = [randomUUID(), randomUUID()];
    const poisoned = randomUUID();
    const requestedAt = new Date().toISOString();
    await worker.boss.insert('system.ping', [
      { id: healthy[0], data: { requestedAt } },
      { id: poisoned, data: { requestedAt: POISON } },
      { id: healthy[1], data: { requestedAt } },
    ]);

    const failed = await waitFor(
      async () => {
        const job = await worker.boss.getJobById('system.ping', poisoned);
        return job?.state === 'failed' ? job : undefined;
      },
      { timeout: 30_000, message: 'the poisoned ping to exhaust its retries' },
    );
    const { retryLimit } = QUEUES['system.ping'].policy;
    expect(failed.retryCount).toBe(retryLimit);
    expect(failed.output).toMatchObject({ error: 'the ping service is down' });

    for (const id of healthy) {
      const job = await worker.boss.getJobById('system.ping', id);
      expect(job).toMatchObject({ state: 'completed', retryCount: 0 });
    }

    const failures = logLines.filter((line) => line.jobId === poisoned);
    expect(failures.map((line) => [line.msg, line.retry])).toEqual([
      ...Array.from({ length: retryLimit }, (_, retry) => ['job failed: will retry', retry]),
      ['job failed on its last attempt: dead-lettered', retryLimit],
    ]);

    const dead = await waitFor(
      async () => {
        const [entry] = await worker.boss.findJobs('system.ping.dead', {
          data: { requestedAt: POISON },
        });
        return entry;
      },
      { timeout: 10_000, message: 'the dead letter of the poisoned ping' },
    );
    expect(dead.data).toEqual({ requestedAt: POISON });
  });
});
