/**
 * Memory while a 25 MB photo uploads: our route (multipart streamed to a spool file, checked, streamed to S3)
 * against a naive handler that buffers the whole body before checking and storing it. Both run in this process;
 * the figure is the peak RSS growth over the request, sampled every 5 ms after a garbage collection.
 */
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import sharp from 'sharp';
import { S3ObjectStore } from '@restoreclick/core';
import type { Benchmark, BenchContext } from '../harness';
import { startApi } from '../support';

const BOUNDARY = 'restoreclick-bench-boundary';

async function makePhoto(file: string): Promise<number> {
  // Noise defeats compression: a 3,400 × 2,550 JPEG at quality 100 comes out just under the 25 MB limit.
  const jpeg = await sharp({
    create: {
      width: 3400,
      height: 2550,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
      noise: { type: 'gaussian', mean: 128, sigma: 70 },
    },
  })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toBuffer();
  await writeFile(file, jpeg);
  return jpeg.length;
}

const PREFIX = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
);
const SUFFIX = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

function multipartBody(file: string): Readable {
  return Readable.from(
    (async function* () {
      yield PREFIX;
      yield* createReadStream(file, { highWaterMark: 64 * 1024 });
      yield SUFFIX;
    })(),
  );
}

async function peakRssGrowth(
  request: () => Promise<Response>,
): Promise<{ growthMiB: number; status: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const response = await request();
    await response.arrayBuffer();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { growthMiB: (peak - start) / 2 ** 20, status: response.status };
  } finally {
    clearInterval(sampler);
  }
}

export const uploadMemory: Benchmark = {
  name: 'upload-memory',
  description: 'peak RSS growth while one ~25 MB photo is uploaded, validated and stored',
  baseline: 'naive handler: buffer the whole multipart body, decode it, put it to S3 from memory',
  async run(context: BenchContext) {
    const directory = await mkdtemp(path.join(tmpdir(), 'restoreclick-bench-upload-'));
    await chmod(directory, 0o755);
    const photo = path.join(directory, 'scan.jpg');
    const bytes = await makePhoto(photo);
    context.log(`test photo: ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    const api = await startApi(context, 'bench_upload', path.join(directory, 's3'));

    const naive = new Hono();
    const store = new S3ObjectStore(api.s3, api.bucket);
    naive.post('/naive', async (c) => {
      const form = await c.req.formData();
      const file = form.get('file') as File;
      const buffer = Buffer.from(await file.arrayBuffer());
      await sharp(buffer).resize(256).raw().toBuffer();
      await store.put(`naive/${Date.now()}.jpg`, buffer);
      return c.json({ ok: true }, 201);
    });
    const naiveServer = serve({ fetch: naive.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => naiveServer.once('listening', resolve));
    const naiveUrl = `http://127.0.0.1:${(naiveServer.address() as AddressInfo).port}/naive`;

    const post = (url: string) => () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': String(PREFIX.length + bytes + SUFFIX.length),
        },
        body: multipartBody(photo) as unknown as ReadableStream,
        duplex: 'half',
      } as RequestInit);

    try {
      const session = (await (
        await fetch(`${api.url}/trpc/uploads.createSession`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).json()) as { result: { data: { uploadSessionId: string } } };
      // Warm both paths once so code loading does not count, then measure.
      const warmSession = session.result.data.uploadSessionId;
      await post(`${api.url}/uploads/${warmSession}/files`)().then((response) =>
        response.arrayBuffer(),
      );
      await post(naiveUrl)().then((response) => response.arrayBuffer());

      const ours = await peakRssGrowth(post(`${api.url}/uploads/${warmSession}/files`));
      const baseline = await peakRssGrowth(post(naiveUrl));
      context.log(
        `ours: +${ours.growthMiB.toFixed(1)} MiB (HTTP ${ours.status}); naive: +${baseline.growthMiB.toFixed(1)} MiB (HTTP ${baseline.status})`,
      );
      if (ours.status !== 201 || baseline.status !== 201)
        throw new Error('an upload failed during the benchmark');
      return {
        metrics: [
          {
            name: 'peak RSS growth',
            unit: 'MiB',
            ours: ours.growthMiB,
            baseline: baseline.growthMiB,
            higherIsBetter: false,
          },
        ],
        notes: [
          `photo of ${(bytes / 2 ** 20).toFixed(1)} MiB; ${(await stat(photo)).size} bytes on disk`,
        ],
      };
    } finally {
      await new Promise((resolve) => naiveServer.close(resolve));
      await api.close();
      await rm(directory, { recursive: true, force: true });
    }
  },
};
