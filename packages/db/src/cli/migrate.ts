/** `pnpm db:migrate`: applies pending migrations to DATABASE_URL and prints what ran. */
import { createDb, describeDatabaseUrl } from '../pool';
import { migrateToLatest } from '../migrator';

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error(
      'DATABASE_URL is not set. Start the embedded services with `npm start`, or set DATABASE_URL.',
    );
  }
  const target = describeDatabaseUrl(connectionString);
  const { db } = createDb({ connectionString, maxConnections: 1, applicationName: 'migrate' });
  try {
    const results = await migrateToLatest(db);
    if (results.length === 0) console.log(`Database ${target} is up to date.`);
    for (const result of results) console.log(`${result.status}: ${result.migrationName}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
