export * from './schema';
export { createDb, describeDatabaseUrl, type CreateDbOptions, type DbHandle } from './pool';
export {
  getMigrationStatus,
  migrateToLatest,
  migrationNames,
  MigrationError,
  type MigrationStatus,
} from './migrator';
export type { Kysely, Transaction } from 'kysely';
