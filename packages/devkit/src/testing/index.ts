export { createTestDatabase, type TestDatabase } from './database';
export { createTestBucket, type TestBucket } from './s3';
export { waitFor } from './wait-for';
export { postgresUrl, type TestServices } from './services';
export { findFreePort, startEmbeddedPostgres } from '../embedded-postgres';
