/** Gives each integration test file its own database: a clone of the migrated template. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Database, type Kysely } from '@restoreclick/db';
import { postgresUrl } from './services';

export interface TestDatabase {
  name: string;
  url: string;
  db: Kysely<Database>;
  /** The pool under `db`, for libraries that take a node-postgres pool. */
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const services = inject('restoreclickServices');
  const client = new pg.Client({ connectionString: postgresUrl(services, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const services = inject('restoreclickServices');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : services.postgres.templateDatabase;
  await withAdminClient((client) =>
    client.query(
      `create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`,
    ),
  );
  const url = postgresUrl(services, name);
  const { db, pool } = createDb({
    connectionString: url,
    maxConnections: 20,
    applicationName: name,
  });
  return {
    name,
    url,
    db,
    pool,
    async destroy() {
      await db.destroy();
      await withAdminClient((client) =>
        client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`),
      );
    },
  };
}
