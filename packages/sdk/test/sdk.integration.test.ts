/** The built SDK against a real storefront endpoint: the report comes back typed and intact. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  type TestDatabase,
} from '@restoreclick/devkit/testing';
import pino from 'pino';
import { createApp } from '../../../apps/api/src/app';
import { createTestDependencies } from '../../../apps/api/test/helpers';
import { createClient, isRestoreClickError } from '../dist/index.js';

describe('@restoreclick/sdk (built)', () => {
  let testDb: TestDatabase;
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const bucket = await createTestBucket();
    const deps = createTestDependencies({ db: testDb.db, bucket });
    // The smallest batch the API may be configured to accept (TRPC_MAX_BATCH_SIZE ≥ 10).
    deps.limits.trpcMaxBatchSize = 10;
    const app = createApp({ deps, logger: pino({ level: 'silent' }), corsOrigins: [] });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await testDb?.destroy();
  });

  it('reads the health report through the published client', async () => {
    const client = createClient({ url });
    const report = await client.health.query();
    expect(report.ok).toBe(true);
    expect(report.checks.db.ok).toBe(true);
    expect(report.checks.s3.ok).toBe(true);
    expect(report.checks.migrations.ok).toBe(true);
  });

  it('sends many calls at once in batches the API accepts', async () => {
    const client = createClient({ url });
    const reports = await Promise.all(Array.from({ length: 25 }, () => client.health.query()));
    expect(reports.every((report) => report.ok)).toBe(true);
  });

  it('turns an unknown procedure into a typed client error with the API’s code', async () => {
    const client = createClient({ url });
    const untyped = client as unknown as { missing: { query: () => Promise<unknown> } };
    const error = await untyped.missing.query().catch((caught: unknown) => caught);
    expect(isRestoreClickError(error)).toBe(true);
    if (isRestoreClickError(error)) expect(error.data?.code).toBe('NOT_FOUND');
  });
});
