/**
 * The one line the API prints when its startup database check fails. It tells "Postgres is not there" (a
 * network error) apart from "Postgres said no" (bad credentials, missing database), since the fixes differ.
 */

/** An error Postgres itself sent: pg's `DatabaseError` carries the server's severity, network errors do not. */
function isServerRefusal(error: unknown): error is Error & { severity: string } {
  return error instanceof Error && typeof (error as { severity?: unknown }).severity === 'string';
}

/** `target` is `describeDatabaseUrl(DATABASE_URL)`: host, port and database, never the password. */
export function describeDatabaseFailure(error: unknown, target: string): string {
  if (isServerRefusal(error)) {
    return `the database at ${target} refused the connection: ${error.message}. Check DATABASE_URL.`;
  }
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return `cannot reach the database at ${target} (${reason}). Is Postgres running? Check DATABASE_URL.`;
}
