export {
  assertPortFree,
  assertTraversableByPostgres,
  EmbeddedPostgresError,
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
} from './embedded-postgres';
export { startEmbeddedS3, type EmbeddedS3Options, type EmbeddedS3Server } from './s3-server';
export { dataDirectory, findRepositoryRoot } from './paths';
export * from './stripe/index';
export * from './replicate/index';
export * from './sendgrid/index';
export { openDevDatabase, DEV_DATABASE, type DevDatabase } from './dev-database';
export { ensureDevAdmin, DEV_ADMIN_EMAIL, type DevAdminCredentials } from './dev-admin';
