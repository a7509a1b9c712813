/**
 * A connection the server ends while it is checked out of the pool (Postgres restarting while a transaction
 * waits between two statements) fails that transaction and nothing else. Found by the chaos suite: the
 * connection's 'error' event had no listener, which ends a Node process.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, waitFor } from '@restoreclick/devkit/testing';
import { createDb } from './pool';

describe('pooled connections ended by the server', () => {
  let testDb: TestDatabase;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    testDb = await createTestDatabase({ migrated: false });
    process.on('uncaughtException', record);
  });
  afterAll(async () => {
    process.off('uncaughtException', record);
    await testDb?.destroy();
  });

  it('fails the transaction whose connection the server ended, and keeps the pool serving', async () => {
    const poolErrors: Error[] = [];
    const { db } = createDb({
      connectionString: testDb.url,
      maxConnections: 2,
      onPoolError: (error) => poolErrors.push(error),
    });
    try {
      const transaction = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // Between two statements nothing is reading this connection: the server ends it now.
        await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(testDb.db);
        await waitFor(() => poolErrors.length > 0, {
          timeout: 5_000,
          message: 'the pool to report the ended connection',
        });
        await sql`select 1`.execute(trx);
      });
      await expect(transaction).rejects.toThrow();
      expect(poolErrors[0]?.message).toMatch(/terminating connection|terminated/);
      expect(uncaught).toEqual([]);

      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});
