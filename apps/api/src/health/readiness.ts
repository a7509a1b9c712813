/**
 * Readiness: each dependency the API needs, checked in parallel with a timeout, with its latency. Anyone can
 * ask (`/readyz`, the storefront's `health`), so callers share one check: those that arrive while it runs wait
 * for it, and a healthy report answers for `cacheMs` after it finished.
 */
import { sql } from 'kysely';
import type { ObjectStore } from '@restoreclick/core';
import { type Database, getMigrationStatus, type Kysely } from '@restoreclick/db';

export type DependencyName = 'db' | 's3' | 'migrations';

export interface DependencyStatus {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  ok: boolean;
  checks: Record<DependencyName, DependencyStatus>;
}

async function timed(check: () => Promise<void>, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: describeError(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const message = error.message || error.name;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

export function createReadinessCheck(deps: {
  db: Kysely<Database>;
  objectStore: ObjectStore;
  timeoutMs: number;
}): () => Promise<ReadinessReport> {
  return async () => {
    const [db, s3, migrations] = await Promise.all([
      timed(async () => {
        await sql`select 1`.execute(deps.db);
      }, deps.timeoutMs),
      timed(() => deps.objectStore.checkBucket(), deps.timeoutMs),
      timed(async () => {
        const status = await getMigrationStatus(deps.db);
        if (!status.current) throw new Error(`pending: ${status.pending.join(', ')}`);
      }, deps.timeoutMs),
    ]);
    return { ok: db.ok && s3.ok && migrations.ok, checks: { db, s3, migrations } };
  };
}

/**
 * One check at a time, a healthy report reused for `cacheMs`: a burst of health requests costs one probe of
 * each dependency, not one per request. A failing report is not reused, so recovery shows on the next request;
 * `cacheMs` 0 shares only the check in flight.
 */
export function shareReadinessCheck(
  check: () => Promise<ReadinessReport>,
  options: { cacheMs: number; now?: () => number },
): () => Promise<ReadinessReport> {
  const now = options.now ?? (() => performance.now());
  let inFlight: Promise<ReadinessReport> | undefined;
  let last: { report: ReadinessReport; at: number } | undefined;
  return () => {
    if (last && now() - last.at < options.cacheMs) return Promise.resolve(last.report);
    inFlight ??= check()
      .then((report) => {
        last = report.ok ? { report, at: now() } : undefined;
        return report;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
