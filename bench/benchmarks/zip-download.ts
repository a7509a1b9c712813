/**
 * A 1 GB ZIP download: the real API process (built, run as `pnpm -F @restoreclick/api start` runs it) streaming
 * `GET /download/:token` for an order of 200 restored photos of 5 MiB, against a bare node:http process
 * streaming the same S3 objects back to back with plain GetObject calls. Both read from the same embedded S3;
 * the client on this side discards the bytes. Figures: throughput at the client, and each server process's
 * peak RSS (VmHWM from /proc), the memory a download costs the process serving it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { createDownloadLink, generateToken, hashToken, S3ObjectStore } from '@restoreclick/core';
import { createDb } from '@restoreclick/db';
import { findFreePort, startEmbeddedS3 } from '@restoreclick/devkit';
import type { Benchmark, BenchContext } from '../harness';

const PHOTOS = 200;
const PHOTO_BYTES = 5 * 1024 * 1024;

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG's structure around random bytes: as incompressible as real photos (so store mode is what it would be),
 * and shaped like a PNG, which the download's metadata filter streams chunk by chunk.
 */
function incompressiblePng(bytes: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2048, 0);
  header.writeUInt32BE(2048, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', randomBytes(bytes - 57)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
const RSS_GOAL_MIB = 150;
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** VmHWM (the peak so far) or VmRSS (now) of a process, in MiB. */
async function rssMiB(
  pid: number | undefined,
  field: 'VmHWM' | 'VmRSS' = 'VmHWM',
): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  if (!match?.[1]) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) / 1024;
}

function startProcess(
  args: string[],
  options: { cwd: string; env: Record<string, string>; ready: RegExp },
): Promise<{ child: ChildProcess; output: RegExpExecArray }> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = options.ready.exec(log);
      if (match) resolve({ child, output: match });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${log}`)));
  });
}

async function download(url: string): Promise<{ bytes: number; seconds: number }> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

async function stop(child: ChildProcess): Promise<void> {
  // A child killed by a signal has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export const zipDownload: Benchmark = {
  name: 'zip-download',
  description: `GET /download/:token of ${PHOTOS} × 5 MiB restored photos (1,000 MiB), API process built`,
  baseline: 'a bare node:http process streaming the same S3 objects with plain GetObject, no ZIP',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-zip-'));
    await chmod(directory, 0o755);
    const databaseUrl = await context.migratedDatabase('bench_zip');
    const s3 = await startEmbeddedS3({ directory, port: await findFreePort(), buckets: ['bench'] });
    const { db } = createDb({ connectionString: databaseUrl, maxConnections: 4 });
    const children: ChildProcess[] = [];
    try {
      const store = new S3ObjectStore(
        new S3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        }),
        'bench',
      );
      const customer = await db
        .insertInto('customers')
        .values({ email: 'zip@example.com', email_normalized: 'zip@example.com' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const order = await db
        .insertInto('orders')
        .values({
          customer_id: customer.id,
          status: 'completed',
          currency: 'usd',
          unit_amount: 900,
          subtotal_amount: 900 * PHOTOS,
          total_amount: 900 * PHOTOS,
          access_token_hash: hashToken(generateToken()),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const keys: string[] = [];
      context.log(`storing ${PHOTOS} × 5 MiB in the embedded S3 …`);
      for (let index = 0; index < PHOTOS; index += 1) {
        const key = `uploads/restored/${order.id}/photo-${index}.png`;
        await store.put(key, incompressiblePng(PHOTO_BYTES), { contentType: 'image/png' });
        keys.push(key);
        await db
          .insertInto('order_images')
          .values({
            order_id: order.id,
            position: index,
            original_filename: `photo-${index}.jpg`,
            mime_type: 'image/jpeg',
            status: 'restored',
            restored_key: key,
            restored_mime_type: 'image/png',
            restored_bytes: PHOTO_BYTES,
          })
          .execute();
      }
      const link = await createDownloadLink(db, { order, kind: 'restored', ttlDays: 1 });
      const s3Env = {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'bench',
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };

      const apiPort = await findFreePort();
      const api = await startProcess(['--max-semi-space-size=2', 'apps/api/dist/main.js'], {
        cwd: repositoryRoot,
        env: {
          ...s3Env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          DATABASE_URL: databaseUrl,
          PORT: String(apiPort),
          HOST: '127.0.0.1',
          WORKER_HEALTH_PORT: '0',
          // As `pnpm -F @restoreclick/api start` runs it in production (see apps/api/package.json).
          MALLOC_ARENA_MAX: '2',
        },
        ready: /api listening/,
      }).catch(async () => {
        throw new Error('the API did not start: run `pnpm build` first');
      });
      children.push(api.child);
      await fetch(`http://127.0.0.1:${apiPort}/readyz`);
      const idleRss = await rssMiB(api.child.pid, 'VmRSS');
      const ours = await download(`http://127.0.0.1:${apiPort}/download/${link.token}`);
      const oursRss = await rssMiB(api.child.pid);
      await stop(api.child);

      const plain = await startProcess(['fixtures/plain-s3-stream-server.mjs'], {
        cwd: path.join(repositoryRoot, 'bench'),
        env: { ...s3Env, KEYS: JSON.stringify(keys) },
        ready: /listening (\d+)/,
      });
      children.push(plain.child);
      const baseline = await download(`http://127.0.0.1:${plain.output[1]}/`);
      const baselineRss = await rssMiB(plain.child.pid);
      await stop(plain.child);

      const mib = (bytes: number) => bytes / 1024 / 1024;
      context.log(
        `ours ${mib(ours.bytes).toFixed(0)} MiB in ${ours.seconds.toFixed(1)} s, RSS idle ${idleRss.toFixed(0)} MiB, peak ${oursRss.toFixed(0)} MiB (goal < ${RSS_GOAL_MIB})`,
      );
      return {
        metrics: [
          {
            name: 'throughput',
            unit: 'MiB/s',
            ours: mib(ours.bytes) / ours.seconds,
            baseline: mib(baseline.bytes) / baseline.seconds,
            higherIsBetter: true,
          },
          {
            name: 'server peak RSS',
            unit: 'MiB',
            ours: oursRss,
            baseline: baselineRss,
            higherIsBetter: false,
          },
        ],
        notes: [
          `ZIP of ${mib(ours.bytes).toFixed(0)} MiB; peak RSS of the whole API process ${oursRss.toFixed(0)} MiB (idle before the download: ${idleRss.toFixed(0)} MiB) against a goal of ${RSS_GOAL_MIB} MiB: ${oursRss < RSS_GOAL_MIB ? 'met' : 'NOT met'}.`,
        ],
      };
    } finally {
      for (const child of children) await stop(child);
      await db.destroy();
      await s3.stop();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
