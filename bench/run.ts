/**
 * `pnpm bench [name…]`: runs the named benchmarks (all by default). Each measures its own baseline in the same
 * run, prints ours vs baseline with the ratio, and writes bench/results/<name>.json.
 */
import { advantage, type Benchmark, createContext, printTable, writeResult } from './harness';
import { adminOrdersList } from './benchmarks/admin-orders-list';
import { completionLatency } from './benchmarks/completion-latency';
import { localRestorer } from './benchmarks/local-restorer';
import { ordersGet } from './benchmarks/orders-get';
import { uploadMemory } from './benchmarks/upload-memory';
import { zipDownload } from './benchmarks/zip-download';
import { webhookAck } from './benchmarks/webhook-ack';
import { workerThroughput } from './benchmarks/worker-throughput';

const BENCHMARKS: Benchmark[] = [
  workerThroughput,
  webhookAck,
  uploadMemory,
  completionLatency,
  zipDownload,
  ordersGet,
  adminOrdersList,
  localRestorer,
];

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter(
    (name) => !BENCHMARKS.some((benchmark) => benchmark.name === name),
  );
  if (unknown.length) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Available: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = requested.length
    ? BENCHMARKS.filter((benchmark) => requested.includes(benchmark.name))
    : BENCHMARKS;

  const context = await createContext();
  try {
    for (const benchmark of selected) {
      console.log(`\n▶ ${benchmark.name}`);
      const result = await benchmark.run(context);
      printTable(benchmark, result);
      const file = await writeResult(benchmark, result);
      for (const metric of result.metrics) {
        console.log(
          `  ${metric.name}: ours is ${advantage(metric).toFixed(2)}× the baseline (higher is better)`,
        );
      }
      console.log(`  written to ${file}`);
    }
  } finally {
    await context.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
