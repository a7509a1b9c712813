/**
 * What operators see: queue metrics read from pg-boss's tables (depth, deferred, dead letters, timings, error
 * rate) and the worker's health endpoint, which answers 200 while the loop runs and 503 once it stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectQueueMetrics } from '@restoreclick/core';
import { type TestDatabase, waitFor } from '@restoreclick/devkit/testing';
import { startTestWorker, type TestWorker } from '../test/test-worker';
import { type HealthServer, startHealthServer } from './health-server';
import type { Worker } from './worker';

describe('queue metrics and the worker health endpoint', () => {
  let running: TestWorker;
  let testDb: TestDatabase;
  let worker: Worker;
  let health: HealthServer;

  beforeAll(async () => {
    running = await startTestWorker();
    ({ testDb, worker } = running);
    health = await startHealthServer({ port: 0, host: '127.0.0.1', worker, db: testDb.db });
  });
  afterAll(async () => {
    await health?.close();
    await running?.stop();
  });

  it('counts finished, deferred and dead-lettered jobs per queue', async () => {
    const requestedAt = new Date().toISOString();
    for (let index = 0; index < 3; index += 1) {
      await worker.boss.send('system.ping', { requestedAt });
    }
    await worker.boss.send('system.ping', { requestedAt: 'not a date' });
    await worker.boss.send(
      'system.ping',
      { requestedAt },
      { startAfter: new Date(Date.now() + 3_600_000) },
    );

    const ping = await waitFor(
      async () => {
        const metrics = await collectQueueMetrics(testDb.db, ['system.ping']);
        const found = metrics[0];
        return found &&
          found.lastHour.completed + found.lastHour.failed === 4 &&
          found.deadLetters === 1
          ? found
          : undefined;
      },
      { timeout: 15_000, message: 'the pings to finish' },
    );
    expect(ping).toMatchObject({
      name: 'system.ping',
      waiting: 0,
      deferred: 1,
      active: 0,
      deadLetters: 1,
      lastHour: { completed: 3, failed: 1, errorRate: 0.25 },
      lastDay: { completed: 3, failed: 1 },
    });
    expect(ping.lastHour.p50Seconds).toBeGreaterThanOrEqual(0);
    expect(ping.lastHour.p99Seconds).toBeGreaterThanOrEqual(ping.lastHour.p50Seconds ?? 0);
  });

  it('answers 200 with each queue while the loop runs', async () => {
    const response = await fetch(`http://127.0.0.1:${health.port}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ok: boolean;
      state: string;
      consuming: string[];
      queues: Array<{ name: string; deferred: number }>;
    };
    expect(body).toMatchObject({ ok: true, state: 'started', consuming: ['system.ping'] });
    expect(body.queues.find((queue) => queue.name === 'system.ping')?.deferred).toBe(1);
    expect(body.queues.map((queue) => queue.name)).toContain('restoration.run');
  });

  it('answers 503 once the worker has stopped', async () => {
    await worker.stop();
    const response = await fetch(`http://127.0.0.1:${health.port}/healthz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { state: string }).state).toBe('stopped');
  });
});
