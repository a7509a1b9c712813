/**
 * Compile-time checks against the BUILT package (dist), as a storefront developer would use it. Type-checked by
 * `tsc -p tsconfig.dist-test.json`; each `@ts-expect-error` fails the build if the error it expects goes away.
 */
import { createClient, type HealthReport } from '../../dist/index.js';

const client = createClient({ url: 'http://localhost:3000' });

export async function typedHealth(): Promise<boolean> {
  const report: HealthReport = await client.health.query();
  const database: boolean = report.checks.db.ok;
  return database && report.ok;
}

export async function misspelledProcedure(): Promise<void> {
  // @ts-expect-error `helth` is not a procedure of the storefront API
  await client.helth.query();
}

export async function adminProceduresAreNotInTheSdk(): Promise<void> {
  // @ts-expect-error the storefront client carries no admin procedures
  await client.admin.health.query();
}

export function wrongOutputType(report: HealthReport): void {
  // @ts-expect-error `ok` is a boolean, not a string
  const status: string = report.ok;
  void status;
}
