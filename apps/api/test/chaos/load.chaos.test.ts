/**
 * Load: a steady rate of mixed storefront traffic against the real api process for a fixed time (200
 * requests/s for 60 s at full size) — order pages, notifications, new upload sessions, photo lists, download
 * links, ZIPs and the health check, in the proportions of a shop's traffic — after an unmeasured warm-up in
 * which the rate climbs to it. Every request must succeed, in the warm-up too. The
 * latencies are measured, not asserted (the goal is a p99 under 100 ms on a 2-core machine): they go to the
 * figures and, at full size, to bench/results/storefront-load.json beside a baseline of GET /healthz at the
 * same rate.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepositoryRoot } from '@restoreclick/devkit';
import { callProcedure } from '../wire';
import {
  type ChaosSystem,
  type PlacedOrder,
  startChaosSystem,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';
import { type LoadReport, pacedLoad } from './paced-load';
import { chaosScale } from './scale';

const { requestsPerSecond: RATE, seconds: SECONDS } = chaosScale.load;
const ORDERS = 12;
const BASELINE_SECONDS = Math.min(SECONDS, 15);
/** Unmeasured: the rate climbs from a tenth of RATE to RATE first. */
const WARM_UP_SECONDS = Math.max(5, Math.round(SECONDS / 6));
const TIMEOUT_MS = 10_000;

/** What a shop's visitors ask for, and how often (weights out of 20). */
const MIX: Array<{ kind: string; weight: number }> = [
  { kind: 'orders.get', weight: 9 },
  { kind: 'notifications.list', weight: 3 },
  { kind: 'uploads.createSession', weight: 2 },
  { kind: 'uploads.list', weight: 2 },
  { kind: 'downloads.create', weight: 1 },
  { kind: 'download ZIP', weight: 1 },
  { kind: 'health', weight: 2 },
];
/** The mix as a sequence the requests walk through in turn, interleaved. */
const SEQUENCE = MIX.flatMap(({ kind, weight }) =>
  Array.from({ length: weight }, (_, index) => ({ kind, at: (index + 0.5) / weight })),
)
  .sort((a, b) => a.at - b.at)
  .map(({ kind }) => kind);

describe(`load: ${RATE} requests/s of storefront traffic for ${SECONDS} s`, () => {
  let system: ChaosSystem;
  let orders: PlacedOrder[];
  let downloadUrls: string[];

  beforeAll(async () => {
    // Quiet logs: at this rate the request lines would be most of the work.
    system = await startChaosSystem({ logLevel: 'warn' });
    const placing = pLimit(4);
    orders = await Promise.all(
      Array.from({ length: ORDERS }, () => placing(() => system.placeOrder({ photos: 2 }))),
    );
    for (const order of orders) system.pay(order);
    const orderIds = orders.map((order) => order.orderId);
    await waitForOrders(system, orderIds, ['completed'], 120_000);
    await waitForEmailsSent(system, orderIds, 60_000);
    downloadUrls = [];
    for (const order of orders.slice(0, 4)) {
      const link = await callProcedure<{ url: string }>(
        system.apiUrl,
        'downloads.create',
        { token: order.accessToken, kind: 'restored' },
        'mutation',
      );
      if (!link.ok) throw new Error(link.error.message);
      downloadUrls.push(`${system.apiUrl}${new URL(link.data.url).pathname}`);
    }
  });
  afterAll(async () => {
    await system?.stop();
  });

  const pick = <T>(items: T[]): T => {
    const item = items[Math.floor(Math.random() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  };
  const query = (procedure: string, input: unknown) =>
    fetch(`${system.apiUrl}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
  const mutate = (procedure: string, input: unknown) =>
    fetch(`${system.apiUrl}/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });

  /** One visitor's request of the given kind, for a random order. */
  function send(kind: string): Promise<Response> {
    const order = pick(orders);
    switch (kind) {
      case 'orders.get':
        return query('orders.get', { token: order.accessToken });
      case 'notifications.list':
        return query('notifications.list', { token: order.accessToken });
      case 'uploads.createSession':
        return mutate('uploads.createSession', {});
      case 'uploads.list':
        return query('uploads.list', { uploadSessionId: order.uploadSessionId });
      case 'downloads.create':
        return mutate('downloads.create', { token: order.accessToken, kind: 'restored' });
      case 'download ZIP':
        return fetch(pick(downloadUrls));
      default:
        return query('health', undefined);
    }
  }

  it('answers every request of the mix without an error, and its latencies are recorded', async () => {
    // Traffic builds up before it is measured, as a shop's does: the api's code paths are compiled and its
    // connection pool is full by the time the measured run starts. The warm-up must be error-free too.
    const kindOf = (index: number) => SEQUENCE[index % SEQUENCE.length] ?? 'health';
    const warmUp = await pacedLoad({
      rate: RATE,
      rampFromRate: RATE / 10,
      seconds: WARM_UP_SECONDS,
      kindOf,
      send,
      timeoutMs: TIMEOUT_MS,
    });
    const ours = await pacedLoad({
      rate: RATE,
      seconds: SECONDS,
      kindOf,
      send,
      timeoutMs: TIMEOUT_MS,
    });
    const baseline = await pacedLoad({
      rate: RATE,
      seconds: BASELINE_SECONDS,
      kindOf: () => 'GET /healthz',
      send: () => fetch(`${system.apiUrl}/healthz`),
      timeoutMs: TIMEOUT_MS,
    });

    expect(warmUp.failures).toEqual([]);
    expect(ours.failures).toEqual([]);
    expect(ours.succeeded).toBe(Math.round(RATE * SECONDS));
    expect(system.api().exited()).toBe(false);

    await recordFigures('load', {
      rate: RATE,
      seconds: SECONDS,
      mix: Object.fromEntries(MIX.map(({ kind, weight }) => [kind, `${weight * 5}%`])),
      warmUp: { seconds: WARM_UP_SECONDS, fromRate: RATE / 10, ...warmUp },
      ours,
      baselineHealthz: baseline,
      goalP99Ms: 100,
      goalMet: ours.overall.p99 < 100,
    });
    if (chaosScale.name === 'full') await writeBenchResult(warmUp, ours, baseline);
  });

  async function writeBenchResult(
    warmUp: LoadReport,
    ours: LoadReport,
    baseline: LoadReport,
  ): Promise<void> {
    const file = path.join(findRepositoryRoot(), 'bench', 'results', 'storefront-load.json');
    const body = {
      name: 'storefront-load',
      description: `${RATE} requests/s of mixed storefront traffic for ${SECONDS} s against the api process (pnpm test:chaos)`,
      baseline: `GET /healthz on the same process at the same rate for ${BASELINE_SECONDS} s`,
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: process.platform,
      },
      metrics: (['p50', 'p99', 'max'] as const).map((name) => ({
        name: `latency ${name}`,
        unit: 'ms',
        ours: ours.overall[name],
        baseline: baseline.overall[name],
        higherIsBetter: false,
        ratio: ours.overall[name] / Math.max(baseline.overall[name], 0.1),
      })),
      byKind: ours.byKind,
      errors: ours.requests - ours.succeeded,
      notes: [
        `mix: ${MIX.map(({ kind, weight }) => `${kind} ${weight * 5}%`).join(', ')}`,
        `${ours.requests} requests sent at ${ours.offeredRate}/s, evenly spaced (open loop); ${ours.requests - ours.succeeded} errors; latency counted from each request's due time`,
        `measured after an unmeasured ${WARM_UP_SECONDS} s warm-up climbing from ${RATE / 10} to ${RATE} requests/s (${warmUp.requests} requests, ${warmUp.requests - warmUp.succeeded} errors, p99 ${warmUp.overall.p99} ms)`,
        'api, worker, Postgres, S3 and the load generator on the same 2 cores',
        `goal: p99 under 100 ms — ${ours.overall.p99 < 100 ? 'met' : 'not met'}`,
      ],
    };
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  }
});
