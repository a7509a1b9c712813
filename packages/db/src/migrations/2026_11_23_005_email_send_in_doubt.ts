/**
 * When the current send attempt of an email began. A row left in `sending` by a process that died (or whose
 * request timed out) is in doubt: the provider may have accepted it. The worker asks the provider before it
 * sends again, and this tells it how long the provider's own records may still lag behind.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table email_messages add column sending_since timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table email_messages drop column if exists sending_since`.execute(db);
}
