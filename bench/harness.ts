/** The benchmark harness: shared infrastructure, result shape, table printing and result files. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrateToLatest } from '@restoreclick/db';
import {
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedPostgresServer,
} from '@restoreclick/devkit';

export interface Metric {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  /** Whether a larger number is better (throughput) or worse (latency, memory). */
  higherIsBetter: boolean;
}

export interface BenchResult {
  metrics: Metric[];
  notes: string[];
}

export interface BenchContext {
  /** A real Postgres for this run (embedded, throwaway data); started on first use. */
  postgres(): Promise<EmbeddedPostgresServer>;
  /** A fresh database on that Postgres with our migrations applied, as production has it; returns its URL. */
  migratedDatabase(name: string): Promise<string>;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  baseline: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export const resultsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export async function createContext(): Promise<BenchContext & { close(): Promise<void> }> {
  let server: EmbeddedPostgresServer | undefined;
  let root: string | undefined;
  async function postgres(): Promise<EmbeddedPostgresServer> {
    if (!server) {
      root = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-'));
      // As root, Postgres runs as the `postgres` user, which must be able to enter this folder.
      await chmod(root, 0o755);
      server = await startEmbeddedPostgres({
        dataDir: path.join(root, 'pg'),
        port: await findFreePort(),
        persistent: false,
        // Durable commits (fsync, synchronous_commit) as in production: the tests' fast mode would flatter
        // every write-heavy number.
        fast: false,
      });
    }
    return server;
  }
  return {
    postgres,
    async migratedDatabase(name) {
      const running = await postgres();
      await running.ensureDatabase(name);
      const url = running.urlFor(name);
      const { db } = createDb({ connectionString: url, maxConnections: 1 });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
      return url;
    },
    log: (message) => console.log(`  ${message}`),
    async close() {
      await server?.stop();
      if (root) await rm(root, { recursive: true, force: true });
    },
  };
}

/** ours ÷ baseline, oriented so that > 1 means ours is better. */
export function advantage(metric: Metric): number {
  return metric.higherIsBetter ? metric.ours / metric.baseline : metric.baseline / metric.ours;
}

export function printTable(benchmark: Benchmark, result: BenchResult): void {
  const rows = result.metrics.map((metric) => ({
    metric: `${metric.name} (${metric.unit})`,
    ours: metric.ours.toFixed(metric.ours < 100 ? 2 : 0),
    baseline: metric.baseline.toFixed(metric.baseline < 100 ? 2 : 0),
    'ours / baseline': (metric.ours / metric.baseline).toFixed(2),
  }));
  console.log(`\n${benchmark.name}: ${benchmark.description}`);
  console.log(`baseline: ${benchmark.baseline}`);
  console.table(rows);
  for (const note of result.notes) console.log(`  note: ${note}`);
}

export async function writeResult(benchmark: Benchmark, result: BenchResult): Promise<string> {
  await mkdir(resultsDirectory, { recursive: true });
  const file = path.join(resultsDirectory, `${benchmark.name}.json`);
  const body = {
    name: benchmark.name,
    description: benchmark.description,
    baseline: benchmark.baseline,
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: process.platform,
    },
    metrics: result.metrics.map((metric) => ({
      ...metric,
      ratio: metric.ours / metric.baseline,
    })),
    notes: result.notes,
  };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
