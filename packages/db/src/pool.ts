/** Creates the Kysely handle every process uses, on a node-postgres pool. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export interface CreateDbOptions {
  connectionString: string;
  /** Upper bound of pooled connections for this process. */
  maxConnections?: number;
  applicationName?: string;
  /** Called when a pooled connection fails, idle or checked out (for example, Postgres restarted). */
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
  // Every connection reports its own failure, idle or checked out: a checked-out one has no listener of the
  // pool's, so one the server ends between two statements of a transaction would emit an unhandled 'error' and
  // end the process. That transaction fails on its next statement instead, and the pool drops the connection
  // when it is released; the next query gets a fresh one (or a clear error if Postgres is still down).
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onPoolError?.(error));
  });
  // The pool repeats an idle connection's failure here; it was reported above, but the event needs a listener.
  pool.on('error', () => {});
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
