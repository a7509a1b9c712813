/**
 * The development database for command-line tools: the one `npm start` is running, or, when it is not
 * running, the same embedded Postgres (same data folder and port) started for the command and stopped after.
 */
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

export const DEV_DATABASE = 'restoreclick';

export interface DevDatabase {
  url: string;
  /** Whether this call started Postgres (and `stop` stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/** True when a Postgres answers at `port` with our credentials; then the database is made if missing. */
async function useRunning(port: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    connectionTimeoutMillis: 2_000,
  });
  try {
    await client.connect();
  } catch {
    await client.end().catch(() => {});
    return false;
  }
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [
      DEV_DATABASE,
    ]);
    if (existing.rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(DEV_DATABASE)}`);
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function openDevDatabase(options: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<DevDatabase> {
  // Never start a second server on a running one's data: `npm start` may be up in another terminal.
  if (await useRunning(options.port)) {
    const url = `postgres://postgres:postgres@127.0.0.1:${options.port}/${DEV_DATABASE}`;
    return { url, started: false, stop: async () => {} };
  }
  options.log?.(`Starting embedded Postgres (data in ${path.join(options.dataDir, 'postgres')}) …`);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(options.dataDir, 'postgres'),
    port: options.port,
    persistent: true,
  });
  await server.ensureDatabase(DEV_DATABASE);
  return { url: server.urlFor(DEV_DATABASE), started: true, stop: () => server.stop() };
}
