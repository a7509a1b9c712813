/** Applies the frozen migrations and reports whether a database is current. */
import { type Kysely, type MigrationResult, Migrator } from 'kysely';
import { migrations } from './migrations/index';

// Migrations run on any schema type: they are written against the raw database.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      migrationName
        ? `Migration ${migrationName} failed: ${reason}`
        : `Migrations could not run: ${reason}`,
    );
    this.name = 'MigrationError';
  }
}

/** Brings the database to the latest migration. Safe to call from many processes at once (Kysely takes a lock). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
  const { error, results = [] } = await createMigrator(db).migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, error);
  }
  return results;
}

export interface MigrationStatus {
  current: boolean;
  applied: string[];
  pending: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function getMigrationStatus(db: Kysely<any>): Promise<MigrationStatus> {
  const infos = await createMigrator(db).getMigrations();
  const applied = infos.filter((info) => info.executedAt !== undefined).map((info) => info.name);
  const pending = infos.filter((info) => info.executedAt === undefined).map((info) => info.name);
  return { current: pending.length === 0, applied, pending };
}

export const migrationNames = Object.keys(migrations).sort();
