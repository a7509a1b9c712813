/**
 * The local restorer's cost: time to restore a grainy, faded 1024² JPEG (lanczos3 path, above the ESRGAN limit)
 * and a 256² one (ESRGAN path), against a plain sharp 2× lanczos3 resize of the same photo with the same
 * decode and JPEG encode. Rounds alternate which side goes first; we report the median. The restorer's first
 * call, which starts the ESRGAN thread and loads the model, is timed apart as a note.
 */
import sharp from 'sharp';
// Relative until bench/package.json lists @restoreclick/local-restorer (built package: run its build first).
import { createLocalRestorer } from '../../packages/local-restorer/dist/index.js';
import type { Benchmark, BenchContext } from '../harness';

const ROUNDS = 5;

/** A scene with gradients, hard edges and fine stripes, then film grain and a faded tonal range, as JPEG. */
async function fadedGrainyPhoto(side: number): Promise<Buffer> {
  const scene = await sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}" viewBox="0 0 512 512">
      <defs>
        <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#3a5f8f"/><stop offset="1" stop-color="#e8d9b5"/>
        </linearGradient>
        <pattern id="stripes" width="8" height="8" patternUnits="userSpaceOnUse">
          <rect width="8" height="8" fill="#f4f1ea"/><rect width="3" height="8" fill="#20242a"/>
        </pattern>
      </defs>
      <rect width="512" height="512" fill="url(#sky)"/>
      <rect y="330" width="512" height="182" fill="#2f3b25"/>
      <circle cx="360" cy="200" r="95" fill="#c89474"/>
      <rect x="40" y="60" width="160" height="110" fill="url(#stripes)"/>
      <polygon points="60,300 140,200 220,300" fill="#0e1a2b"/>
    </svg>`),
  )
    .png()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: side,
      height: side,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
      noise: { type: 'gaussian', mean: 128, sigma: 24 },
    },
  })
    .png()
    .toBuffer();
  const grainy = await sharp(scene)
    .composite([{ input: grain, blend: 'soft-light' }])
    .png()
    .toBuffer();
  return sharp(grainy).linear(0.65, 45).jpeg({ quality: 90 }).toBuffer();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)];
  const lower = sorted[Math.ceil(sorted.length / 2) - 1];
  if (upper === undefined || lower === undefined) throw new Error('median of no values');
  return (upper + lower) / 2;
}

async function millisecondsOf(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function plainResize(photo: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  return sharp(photo)
    .resize(width * 2, height * 2, { kernel: 'lanczos3' })
    .jpeg({ quality: 92, mozjpeg: false })
    .toBuffer();
}

export const localRestorer: Benchmark = {
  name: 'local-restorer',
  description: 'time to restore one grainy, faded photo to twice its size on this machine',
  baseline: 'plain sharp 2× lanczos3 resize of the same JPEG, decoded and re-encoded the same way',
  async run(context: BenchContext) {
    const restorer = createLocalRestorer();
    try {
      const large = await fadedGrainyPhoto(1024);
      const small = await fadedGrainyPhoto(256);
      const firstCallMs = await millisecondsOf(() => restorer.restore(small));
      context.log(
        `first ESRGAN call (thread start + model load + restore): ${firstCallMs.toFixed(0)} ms`,
      );
      const largeSteps = (await restorer.restore(large)).steps;
      const smallSteps = (await restorer.restore(small)).steps;

      const timings: Record<'largeOurs' | 'largePlain' | 'smallOurs' | 'smallPlain', number[]> = {
        largeOurs: [],
        largePlain: [],
        smallOurs: [],
        smallPlain: [],
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        const oursFirst = round % 2 === 0;
        for (const side of oursFirst ? ['ours', 'plain'] : ['plain', 'ours']) {
          if (side === 'ours') {
            timings.largeOurs.push(await millisecondsOf(() => restorer.restore(large)));
            timings.smallOurs.push(await millisecondsOf(() => restorer.restore(small)));
          } else {
            timings.largePlain.push(await millisecondsOf(() => plainResize(large)));
            timings.smallPlain.push(await millisecondsOf(() => plainResize(small)));
          }
        }
        context.log(
          `round ${round + 1}: 1024² ours ${timings.largeOurs.at(-1)?.toFixed(0)} ms, plain ${timings.largePlain.at(-1)?.toFixed(0)} ms; 256² ours ${timings.smallOurs.at(-1)?.toFixed(0)} ms, plain ${timings.smallPlain.at(-1)?.toFixed(0)} ms`,
        );
      }
      return {
        metrics: [
          {
            name: `restore 1024² → 2048², lanczos3 path (median of ${ROUNDS})`,
            unit: 'ms',
            ours: median(timings.largeOurs),
            baseline: median(timings.largePlain),
            higherIsBetter: false,
          },
          {
            name: `restore 256² → 512², ESRGAN path (median of ${ROUNDS})`,
            unit: 'ms',
            ours: median(timings.smallOurs),
            baseline: median(timings.smallPlain),
            higherIsBetter: false,
          },
        ],
        notes: [
          `1024² steps: ${largeSteps.join(', ')}`,
          `256² steps: ${smallSteps.join(', ')}`,
          `first call, including the ESRGAN thread start and model load: ${firstCallMs.toFixed(0)} ms`,
          'sharp at its default concurrency (1 libvips thread here); ESRGAN on the single-threaded WebAssembly backend',
          'quality is measured in the package tests (PSNR and SSIM against a clean original), not here',
        ],
      };
    } finally {
      await restorer.close();
    }
  },
};
