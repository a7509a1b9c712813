/** Creates the Kysely handle every process uses, on a node-postgres pool. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export interface CreateDbOptions {
  connectionString: string;
  /** Upper bound of pooled connections for this process. */
  maxConnections?: number;
  applicationName?: string;
  /** Called when an idle pooled connection fails (for example, Postgres restarted). */
  onPoolError?: (error: Error) => void;
}

export interface DbHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
}

export function createDb(options: CreateDbOptions): DbHandle {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'restoreclick',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node would crash
  // the process. The next query gets a fresh connection (or a clear error if Postgres is still down).
  pool.on('error', (error) => options.onPoolError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** Checks that a connection string parses as a Postgres URL, with an error a person can act on. */
export function describeDatabaseUrl(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new Error(
      'DATABASE_URL is not a valid URL: expected postgres://user:password@host:port/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//)`,
    );
  }
  const database = url.pathname.replace(/^\//, '') || '(default database)';
  return `${url.hostname}:${url.port || '5432'}/${database}`;
}
