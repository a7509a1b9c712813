/** The ESRGAN thread pool's failure handling, driven by a stand-in thread script that can crash on demand. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EsrganThreadError } from './errors';
import { EsrganPool } from './esrgan-pool';
import type { RawImage } from './raw-image';

// Speaks the real protocol: doubles the image by repeating pixels, unless the first byte asks it to fail.
const STAND_IN_THREAD = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (request) => {
  const input = new Uint8Array(request.pixels);
  if (input[0] === 255) throw new Error('simulated crash');
  if (input[0] === 254) process.exit(7);
  if (input[0] === 253) {
    parentPort.postMessage({ id: request.id, ok: false, message: 'simulated model failure' });
    return;
  }
  const width = request.width * 2;
  const height = request.height * 2;
  const output = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1)
      for (let c = 0; c < 3; c += 1)
        output[(y * width + x) * 3 + c] = input[((y >> 1) * request.width + (x >> 1)) * 3 + c];
  parentPort.postMessage({ id: request.id, ok: true, width, height, pixels: output.buffer }, [output.buffer]);
});
`;

function image(firstByte: number): RawImage {
  const data = Buffer.alloc(4 * 3 * 3, 10);
  data[0] = firstByte;
  return { data, width: 4, height: 3, channels: 3 };
}

describe('ESRGAN thread pool', () => {
  let directory: string;
  let script: URL;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'esrgan-pool-'));
    const file = path.join(directory, 'stand-in-thread.mjs');
    await writeFile(file, STAND_IN_THREAD);
    script = pathToFileURL(file);
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reuses one thread for calls made one after another', async () => {
    const pool = new EsrganPool(script);
    try {
      const first = await pool.upscale(image(1));
      const second = await pool.upscale(image(2));
      expect([first.width, first.height, second.width, second.height]).toEqual([8, 6, 8, 6]);
      expect(first.data[0]).toBe(1);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('rejects the pending call when the thread crashes, and starts a fresh thread for the next call', async () => {
    const pool = new EsrganPool(script);
    try {
      await pool.upscale(image(1));
      const crash = pool.upscale(image(255));
      await expect(crash).rejects.toThrow(EsrganThreadError);
      await expect(crash).rejects.toThrow('The ESRGAN thread crashed: simulated crash');
      expect(pool.size).toBe(0);
      const after = await pool.upscale(image(3));
      expect(after.data[0]).toBe(3);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('rejects the pending call when the thread exits, and recovers', async () => {
    const pool = new EsrganPool(script);
    try {
      await expect(pool.upscale(image(254))).rejects.toThrow(
        'The ESRGAN thread exited unexpectedly (exit code 7)',
      );
      expect((await pool.upscale(image(4))).data[0]).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('rejects a call the thread reports as failed and replaces that thread', async () => {
    const pool = new EsrganPool(script);
    try {
      await expect(pool.upscale(image(253))).rejects.toThrow(
        'ESRGAN failed: simulated model failure',
      );
      expect(pool.size).toBe(0);
      expect((await pool.upscale(image(5))).data[0]).toBe(5);
    } finally {
      await pool.close();
    }
  });

  it('runs calls made at once on separate threads, one per call', async () => {
    const pool = new EsrganPool(script);
    try {
      const results = await Promise.all([pool.upscale(image(6)), pool.upscale(image(7))]);
      expect(results.map((result) => result.data[0])).toEqual([6, 7]);
      expect(pool.size).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
