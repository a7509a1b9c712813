import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest } from '@restoreclick/db';
import {
  createTestBucket,
  createTestDatabase,
  findFreePort,
  startEmbeddedPostgres,
  type TestBucket,
} from '@restoreclick/devkit/testing';
import { createTestApp } from '../test/helpers';

interface Report {
  ok: boolean;
  checks: Record<'db' | 's3' | 'migrations', { ok: boolean; latencyMs: number; error?: string }>;
}

describe('GET /readyz', () => {
  let bucket: TestBucket;
  let root: string;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let port: number;
  let handle: ReturnType<typeof createDb>;

  beforeAll(async () => {
    bucket = await createTestBucket();
    // A Postgres of its own, so this test can stop it without disturbing the other test files.
    root = await mkdtemp(path.join(tmpdir(), 'restoreclick-readyz-'));
    await chmod(root, 0o755);
    port = await findFreePort();
    postgres = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      port,
      persistent: true,
      fast: true,
    });
    await postgres.ensureDatabase('app');
    handle = createDb({ connectionString: postgres.urlFor('app'), maxConnections: 4 });
    await migrateToLatest(handle.db);
  });

  afterAll(async () => {
    await handle?.db.destroy();
    await postgres?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('answers 200 with each dependency ok and its latency', async () => {
    const app = createTestApp({ db: handle.db, bucket });
    const response = await app.request('/readyz');
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    expect(report.ok).toBe(true);
    for (const name of ['db', 's3', 'migrations'] as const) {
      expect(report.checks[name].ok).toBe(true);
      expect(report.checks[name].latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('answers 503 naming the database while Postgres is stopped, and recovers by itself', async () => {
    const app = createTestApp({ db: handle.db, bucket });
    await postgres.stop();

    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    const report = (await down.json()) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.db.ok).toBe(false);
    expect(report.checks.db.error).toMatch(/ECONNREFUSED|terminat|connect/i);
    expect(report.checks.s3.ok).toBe(true);

    postgres = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      port,
      persistent: true,
      fast: true,
    });
    const up = await app.request('/readyz');
    expect(up.status).toBe(200);
  });

  it('answers 503 when migrations are pending', async () => {
    const empty = await createTestDatabase({ migrated: false });
    try {
      const app = createTestApp({ db: empty.db, bucket });
      const response = await app.request('/readyz');
      expect(response.status).toBe(503);
      const report = (await response.json()) as Report;
      expect(report.checks.db.ok).toBe(true);
      expect(report.checks.migrations).toMatchObject({ ok: false });
      expect(report.checks.migrations.error).toMatch(/^pending: 2026_11_23_001_initial_schema/);
    } finally {
      await empty.destroy();
    }
  });

  it('answers 503 when the bucket does not exist', async () => {
    const app = createTestApp({ db: handle.db, bucket, bucketName: 'no-such-bucket' });
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    const report = (await response.json()) as Report;
    expect(report.checks.s3).toMatchObject({
      ok: false,
      error: 'bucket "no-such-bucket" does not exist',
    });
  });
});
