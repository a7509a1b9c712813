/**
 * Webhook acknowledgement: our POST /webhooks/stripe (signature check on the raw body, event row + job in one
 * transaction) against a bare node:http server doing one `INSERT … ON CONFLICT DO NOTHING`, both fed signed
 * 2.3 KB events with unique ids by autocannon (10 connections, loopback).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { signPayload } from '@restoreclick/devkit';
import type { Benchmark, BenchContext } from '../harness';
import { startApi, WEBHOOK_SECRET } from '../support';

const DURATION_SECONDS = 10;
const CONNECTIONS = 10;

function eventBody(): string {
  const id = `evt_${randomUUID().replace(/-/g, '')}`;
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    type: 'customer.updated',
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: {
      object: {
        id: `cus_${id.slice(4, 18)}`,
        object: 'customer',
        email: 'bench@example.com',
        name: 'Bench Customer',
        metadata: { note: 'x'.repeat(1800) },
      },
    },
  });
}

async function load(
  url: string,
): Promise<{ requestsPerSecond: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        setupRequest: (request) => {
          const body = eventBody();
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'stripe-signature': signPayload(body, WEBHOOK_SECRET),
            },
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function startBareServer(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(
    'create table if not exists bare_events (id text primary key, payload jsonb not null, received_at timestamptz not null default now())',
  );
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = (JSON.parse(body) as { id: string }).id;
      pool
        .query('insert into bare_events (id, payload) values ($1, $2) on conflict do nothing', [
          id,
          body,
        ])
        .then(() =>
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
        )
        .catch(() => response.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

export const webhookAck: Benchmark = {
  name: 'webhook-ack',
  description: `POST /webhooks/stripe: verify, store event + job in one transaction, answer (${DURATION_SECONDS} s, c=${CONNECTIONS})`,
  baseline: 'bare node:http + one INSERT … ON CONFLICT DO NOTHING, same load',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-s3-'));
    await chmod(directory, 0o755);
    const api = await startApi(context, 'bench_webhook', directory);
    const bare = await startBareServer(api.databaseUrl);
    try {
      const ours = await load(`${api.url}/webhooks/stripe`);
      context.log(
        `ours: ${ours.requestsPerSecond.toFixed(0)} req/s, p99 ${ours.p99} ms, ${ours.errors} errors`,
      );
      const baseline = await load(bare.url);
      context.log(
        `bare: ${baseline.requestsPerSecond.toFixed(0)} req/s, p99 ${baseline.p99} ms, ${baseline.errors} errors`,
      );
      return {
        metrics: [
          {
            name: 'throughput',
            unit: 'req/s',
            ours: ours.requestsPerSecond,
            baseline: baseline.requestsPerSecond,
            higherIsBetter: true,
          },
          {
            name: 'p99 latency',
            unit: 'ms',
            ours: ours.p99,
            baseline: baseline.p99,
            higherIsBetter: false,
          },
        ],
        notes: [
          `errors: ours ${ours.errors}, baseline ${baseline.errors}`,
          'load generator runs in the same process as both servers, on the same 2 cores',
        ],
      };
    } finally {
      await bare.close();
      await api.close();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
