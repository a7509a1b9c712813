import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './env';

describe('worker configuration', () => {
  it('defaults to the embedded Postgres and a short grace period in development', () => {
    const config = loadWorkerConfig({});
    expect(config.DATABASE_URL).toContain('127.0.0.1:54329');
    expect(config.WORKER_CONCURRENCY).toBe(2);
    expect(config.SHUTDOWN_GRACE_SECONDS).toBe(30);
    expect(config.WORKER_POLLING_INTERVAL_SECONDS).toBe(2);
  });

  it('reads numbers from their string form in the environment', () => {
    const config = loadWorkerConfig({
      WORKER_CONCURRENCY: '8',
      SHUTDOWN_GRACE_SECONDS: '5',
      WORKER_POLLING_INTERVAL_SECONDS: '0.5',
    });
    expect(config).toMatchObject({
      WORKER_CONCURRENCY: 8,
      SHUTDOWN_GRACE_SECONDS: 5,
      WORKER_POLLING_INTERVAL_SECONDS: 0.5,
    });
  });

  it('rejects a concurrency of zero or a fraction', () => {
    expect(() => loadWorkerConfig({ WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadWorkerConfig({ WORKER_CONCURRENCY: '1.5' })).toThrow(/WORKER_CONCURRENCY/);
  });

  it('names the missing production settings on one line', () => {
    expect(() => loadWorkerConfig({ NODE_ENV: 'production' })).toThrow(
      /^restoreclick-worker configuration is invalid: DATABASE_URL is required;[^\n]*\.$/,
    );
  });

  it('rejects a polling interval pg-boss cannot honour', () => {
    expect(() => loadWorkerConfig({ WORKER_POLLING_INTERVAL_SECONDS: '0.1' })).toThrow(
      /WORKER_POLLING_INTERVAL_SECONDS/,
    );
  });
});
