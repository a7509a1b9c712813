import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@restoreclick/devkit/testing';
import { getMigrationStatus, migrateToLatest, migrationNames } from './migrator';

describe('migrations', () => {
  let empty: TestDatabase;

  beforeAll(async () => {
    empty = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await empty?.destroy();
  });

  it('apply to an empty database and leave it current', async () => {
    expect(await getMigrationStatus(empty.db)).toMatchObject({ current: false, applied: [] });

    const results = await migrateToLatest(empty.db);

    expect(results.map((result) => [result.migrationName, result.status])).toEqual(
      migrationNames.map((name) => [name, 'Success']),
    );
    expect(await getMigrationStatus(empty.db)).toEqual({
      current: true,
      applied: migrationNames,
      pending: [],
    });
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1
    `.execute(empty.db);
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'admin_sessions',
        'admin_users',
        'audit_logs',
        'customers',
        'download_links',
        'email_messages',
        'notifications',
        'order_events',
        'order_images',
        'orders',
        'restoration_jobs',
        'stripe_events',
        'upload_sessions',
        'uploads',
      ]),
    );
  });

  it('running again applies nothing', async () => {
    expect(await migrateToLatest(empty.db)).toEqual([]);
  });
});
