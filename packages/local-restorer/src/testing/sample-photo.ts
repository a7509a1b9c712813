/**
 * Deterministic test photos: a clean synthetic 512² scene (gradients, hard edges, fine texture, handwriting-like
 * strokes) and the same scene degraded the way old prints are (smaller, soft, grainy, faded).
 */
import sharp from 'sharp';

/** A small seeded generator (mulberry32), so every run draws the same scene and the same grain. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function handwritingStrokes(
  random: () => number,
  top: number,
  left: number,
  width: number,
): string {
  const lines: string[] = [];
  for (let line = 0; line < 3; line += 1) {
    let x = left;
    const baseline = top + line * 22;
    while (x < left + width - 30) {
      const letters = 2 + Math.floor(random() * 5);
      const points: string[] = [`M ${x} ${baseline}`];
      for (let letter = 0; letter < letters; letter += 1) {
        const rise = 6 + random() * 10;
        points.push(`L ${x + 3} ${baseline - rise}`, `L ${x + 6} ${baseline}`);
        x += 6 + random() * 3;
      }
      lines.push(
        `<path d="${points.join(' ')}" fill="none" stroke="#1d1a17" stroke-width="1.6" stroke-linejoin="round"/>`,
      );
      x += 8 + random() * 6;
    }
  }
  return lines.join('');
}

/** The clean reference: 512×512 PNG, tones from deep shadow to bright highlight like a good print. */
export async function cleanSamplePhoto(size = 512): Promise<Buffer> {
  const random = seededRandom(20261122);
  const scale = size / 512;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#3a5f8f"/><stop offset="1" stop-color="#e8d9b5"/>
      </linearGradient>
      <radialGradient id="face" cx="0.45" cy="0.4" r="0.6">
        <stop offset="0" stop-color="#f1c7a5"/><stop offset="1" stop-color="#8a5a3c"/>
      </radialGradient>
      <pattern id="weave" width="10" height="10" patternUnits="userSpaceOnUse">
        <rect width="10" height="10" fill="#6b4f2a"/>
        <path d="M0 0 L10 10 M10 0 L0 10" stroke="#d8c08a" stroke-width="1.6"/>
      </pattern>
      <pattern id="stripes" width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" fill="#f4f1ea"/><rect width="3" height="8" fill="#20242a"/>
      </pattern>
    </defs>
    <rect width="512" height="512" fill="url(#sky)"/>
    <rect x="0" y="330" width="512" height="182" fill="#2f3b25"/>
    <rect x="30" y="350" width="200" height="130" fill="url(#weave)"/>
    <circle cx="360" cy="200" r="95" fill="url(#face)"/>
    <circle cx="330" cy="180" r="10" fill="#121212"/><circle cx="392" cy="180" r="10" fill="#121212"/>
    <rect x="260" y="360" width="220" height="120" fill="#f6f3ec" stroke="#0d0d0d" stroke-width="3"/>
    ${handwritingStrokes(random, 392, 272, 200)}
    <rect x="40" y="60" width="160" height="110" fill="url(#stripes)"/>
    <polygon points="60,300 140,200 220,300" fill="#0e1a2b"/>
    <rect x="245" y="40" width="4" height="270" fill="#fafafa"/>
  </svg>`;
  return sharp(Buffer.from(svg), { density: 72 * scale })
    .resize(size, size)
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

export interface DegradeOptions {
  /** Side of the degraded square; the clean photo is twice this. */
  size?: number;
  /** Gaussian blur sigma in degraded pixels: a soft lens or a soft print. */
  blurSigma?: number;
  /** Standard deviation of the added grain, in 8-bit levels. */
  grainSigma?: number;
  /** Fraction of the tonal range left after fading (1 keeps it, 0.6 fades blacks and whites towards grey). */
  contrast?: number;
}

/** The clean photo halved, blurred, faded and given grain; PNG so no codec losses add to the damage. */
export async function degradedSamplePhoto(
  clean: Buffer,
  options: DegradeOptions = {},
): Promise<Buffer> {
  const { size = 256, blurSigma = 0.8, grainSigma = 7, contrast = 0.65 } = options;
  const softened = await sharp(clean)
    .resize(size, size, { kernel: 'cubic' })
    .removeAlpha()
    .toBuffer()
    .then((small) => (blurSigma > 0 ? sharp(small).blur(blurSigma).toBuffer() : small));
  const offset = (128 * (1 - contrast)) | 0;
  const { data, info } = await sharp(softened)
    .linear(contrast, offset)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const random = seededRandom(7);
  for (let index = 0; index < data.length; index += 1) {
    // Box-Muller: one normal sample per channel value.
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    data[index] = Math.max(
      0,
      Math.min(255, Math.round((data[index] ?? 0) + gaussian * grainSigma)),
    );
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .png()
    .toBuffer();
}
