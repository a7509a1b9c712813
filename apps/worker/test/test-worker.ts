/** A real worker loop on a test database, quiet, with the settings worker tests share. */
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '@restoreclick/devkit/testing';
import { createWorker, type Worker, type WorkerOptions } from '../src/worker';
import { handleSystemPing } from '../src/handlers/system-ping';

export interface TestWorker {
  testDb: TestDatabase;
  worker: Worker;
  stop(): Promise<void>;
}

/** Starts a worker (only `system.ping` unless `handlers` says otherwise) on a fresh test database. */
export async function startTestWorker(
  options: Partial<Pick<WorkerOptions, 'handlers' | 'logger' | 'pollingIntervalSeconds'>> = {},
): Promise<TestWorker> {
  const testDb = await createTestDatabase();
  const worker = createWorker({
    connectionString: testDb.url,
    logger: options.logger ?? pino({ level: 'silent' }),
    handlers: options.handlers ?? { 'system.ping': handleSystemPing },
    concurrency: 2,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
    shutdownGraceSeconds: 5,
    maxConnections: 4,
  });
  await worker.start();
  return {
    testDb,
    worker,
    async stop() {
      await worker.stop();
      await testDb.destroy();
    },
  };
}
