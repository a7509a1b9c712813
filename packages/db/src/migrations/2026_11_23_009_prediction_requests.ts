/**
 * When an attempt asked its provider for a prediction, and a fingerprint of the photo URL it sent (SHA-256 of
 * the presigned URL, unique to that request). An attempt that stops between the provider's answer and saving
 * the prediction's id leaves these behind; its retry finds that prediction among the provider's recent ones by
 * the fingerprint instead of paying for a second one.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table restoration_jobs
      add column prediction_requested_at timestamptz,
      add column prediction_input_sha256 text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table restoration_jobs
      drop column if exists prediction_requested_at,
      drop column if exists prediction_input_sha256;
  `.execute(db);
}
