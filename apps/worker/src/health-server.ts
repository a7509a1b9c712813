/**
 * The worker's small health endpoint (`WORKER_HEALTH_PORT`): `GET /healthz` answers 200 while the job loop
 * runs and the database answers, with pg-boss's state and each queue's depth; 503 otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectQueueMetrics } from '@restoreclick/core';
import type { Database, Kysely } from '@restoreclick/db';
import type { Worker } from './worker';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(input: {
  port: number;
  host: string;
  worker: Worker;
  db: Kysely<Database>;
}): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/healthz') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Try GET /healthz.' } }));
      return;
    }
    void (async () => {
      const state = input.worker.state();
      let body: Record<string, unknown>;
      let ok = state === 'started';
      try {
        const queues = await collectQueueMetrics(input.db);
        body = {
          state,
          consuming: input.worker.queues,
          queues: queues.map((queue) => ({
            name: queue.name,
            waiting: queue.waiting,
            deferred: queue.deferred,
            active: queue.active,
            deadLetters: queue.deadLetters,
            oldestWaitingSeconds: queue.oldestWaitingSeconds,
          })),
        };
      } catch (error) {
        ok = false;
        body = { state, error: error instanceof Error ? error.message : String(error) };
      }
      response.writeHead(ok ? 200 : 503, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify({ ok, ...body }));
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.port, input.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
