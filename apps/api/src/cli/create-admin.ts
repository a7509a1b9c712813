/**
 * `pnpm admin:create --email you@example.com [--name "Your Name"] [--role admin|viewer]`: creates an admin
 * user, or sets a new password (and the name and role when given) for an existing one and unlocks it. The
 * password comes from ADMIN_PASSWORD, or is asked for (twice, not shown) when run in a terminal. The database
 * is DATABASE_URL; without it (development only) the embedded one `npm start` uses, started if need be.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import {
  ADMIN_ROLES,
  type AdminRole,
  createDb,
  getMigrationStatus,
  migrateToLatest,
} from '@restoreclick/db';
import { AppError, describeWeakPassword, saveAdminUser } from '@restoreclick/core';
import { readHiddenLine } from './read-hidden-line';

const USAGE =
  'Usage: pnpm admin:create --email you@example.com [--name "Your Name"] [--role admin|viewer]\n' +
  'The password comes from ADMIN_PASSWORD, or is asked for when run in a terminal.';

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new UsageError('');
  if (!values.email) throw new UsageError('--email is required.');
  const role = values.role ?? 'admin';
  if (!ADMIN_ROLES.includes(role as AdminRole)) {
    throw new UsageError(`--role must be admin or viewer (got "${role}").`);
  }
  return { email: values.email, name: values.name, role: role as AdminRole };
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new UsageError('Set ADMIN_PASSWORD, or run this in a terminal to type the password.');
  }
  for (;;) {
    const password = await readHiddenLine('Password: ');
    const weakness = describeWeakPassword(password);
    if (weakness) {
      process.stdout.write(`${weakness}\n`);
      continue;
    }
    if ((await readHiddenLine('Password again: ')) === password) return password;
    process.stdout.write('The two passwords differ; once more.\n');
  }
}

/** DATABASE_URL, or in development the embedded database of `npm start`. */
async function openDatabase(): Promise<{
  url: string;
  embedded: boolean;
  close: () => Promise<void>;
}> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, close: async () => {} };
  }
  if (process.env.NODE_ENV === 'production') {
    throw new UsageError('DATABASE_URL is required in production.');
  }
  // Development tooling, loaded only here: production installs need not have it.
  const devkit = await import('@restoreclick/devkit');
  const dataDir = process.env.RESTORECLICK_DATA_DIR ?? devkit.dataDirectory();
  const port = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
  const database = await devkit.openDevDatabase({
    dataDir: path.resolve(dataDir),
    port,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  return { url: database.url, embedded: true, close: () => database.stop() };
}

async function main(): Promise<void> {
  const options = parseCommandLine(process.argv.slice(2));
  const password = await readPassword();
  const database = await openDatabase();
  const { db } = createDb({
    connectionString: database.url,
    maxConnections: 1,
    applicationName: 'admin-create',
  });
  try {
    if (database.embedded) {
      await migrateToLatest(db);
    } else {
      const status = await getMigrationStatus(db);
      if (!status.current) {
        throw new UsageError(
          `The database is missing migrations (${status.pending.join(', ')}); run pnpm db:migrate first.`,
        );
      }
    }
    const { user, created } = await saveAdminUser(db, {
      email: options.email,
      password,
      ...(options.name !== undefined ? { name: options.name } : {}),
      role: options.role,
    });
    process.stdout.write(
      created
        ? `Created ${user.role} ${user.email}. Sign in to the admin dashboard with it.\n`
        : `Set a new password for ${user.email} (${user.role}); its other sessions were signed out.\n`,
    );
  } finally {
    await db.destroy();
    await database.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(error.message ? `${error.message}\n${USAGE}\n` : `${USAGE}\n`);
    process.exit(2);
  }
  const message =
    error instanceof AppError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`admin:create failed: ${message}\n`);
  process.exit(1);
});
