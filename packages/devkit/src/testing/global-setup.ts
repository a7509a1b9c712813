/**
 * Vitest global setup for integration tests: one embedded Postgres and one embedded S3 for the whole run,
 * throwaway data, and a migrated template database that each test file clones (see `createTestDatabase`).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PgBoss } from 'pg-boss';
import { ensureQueues } from '@restoreclick/core';
import { createDb, migrateToLatest } from '@restoreclick/db';
import { findFreePort, startEmbeddedPostgres } from '../embedded-postgres';
import { startEmbeddedS3 } from '../s3-server';
import type { TestServices } from './services';

const TEMPLATE_DATABASE = 'restoreclick_template';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Under /tmp (mode 1777) so the `postgres` user can reach it when tests run as root.
  const root = await mkdtemp(path.join(tmpdir(), 'restoreclick-test-'));
  await chmod(root, 0o755);
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(root, 'postgres'),
    port: await findFreePort(),
    persistent: false,
    fast: true,
    maxConnections: 400,
  });
  const s3 = await startEmbeddedS3({
    directory: path.join(root, 's3'),
    port: await findFreePort(),
    buckets: [],
  });

  await postgres.ensureDatabase(TEMPLATE_DATABASE);
  const { db } = createDb({
    connectionString: postgres.urlFor(TEMPLATE_DATABASE),
    maxConnections: 1,
  });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy(); // a template cannot be cloned while anyone is connected to it
  }
  // pg-boss's schema and our queues too, so no test file pays for creating them.
  const boss = new PgBoss({
    connectionString: postgres.urlFor(TEMPLATE_DATABASE),
    max: 1,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await ensureQueues(boss);
  await boss.stop({ graceful: false, close: true });

  const services: TestServices = {
    postgres: {
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      templateDatabase: TEMPLATE_DATABASE,
    },
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
  };
  project.provide('restoreclickServices', services);

  return async () => {
    await s3.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
  };
}
