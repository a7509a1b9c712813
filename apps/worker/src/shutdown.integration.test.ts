/** The real worker process: it finishes the job in flight on SIGTERM, and explains a bad database URL. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  findFreePort,
  type TestDatabase,
  waitFor,
} from '@restoreclick/devkit/testing';

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: workerDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('worker process', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  it('finishes the job in flight before exiting 0 on SIGTERM', async () => {
    const worker = startWorker({ DATABASE_URL: testDb.url, SHUTDOWN_GRACE_SECONDS: '20' });
    const boss = new PgBoss({ connectionString: testDb.url, max: 2 });
    try {
      await waitFor(() => worker.stdout().includes('worker ready'), {
        timeout: 30_000,
        message: 'worker ready',
      });
      await boss.start();
      const id = String(
        await boss.send('system.ping', { requestedAt: new Date().toISOString(), holdMs: 1500 }),
      );
      await waitFor(async () => (await boss.getJobById('system.ping', id))?.state === 'active', {
        timeout: 10_000,
        message: 'the ping to be in flight',
      });

      worker.child.kill('SIGTERM');

      expect(await worker.exited).toBe(0);
      const job = await boss.getJobById('system.ping', id);
      expect(job?.state).toBe('completed');
      expect(job?.retryCount).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
      await boss.stop({ graceful: false });
    }
  });

  it('stops with one clear line when the database cannot be reached', async () => {
    const port = await findFreePort();
    const worker = startWorker({ DATABASE_URL: `postgres://jobs:hunter2@127.0.0.1:${port}/jobs` });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr().trim().split('\n')).toEqual([
      `restoreclick-worker: cannot reach the database at 127.0.0.1:${port}/jobs (ECONNREFUSED). Is Postgres running? Check DATABASE_URL.`,
    ]);
  });
});
