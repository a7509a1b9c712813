/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core, sample photos to upload, and
 * a step runner that keeps a screenshot and the system's log tail when a step fails.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';

export const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags, Chromium's own connections are refused in our sandboxes.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
export const hasChromium = existsSync(CHROMIUM);

/** True when the browser tests of `what` must be skipped (no Chromium outside CI); says how to get it. */
export function skipWithoutChromium(what: string): boolean {
  if (hasChromium || inCi) return false;
  console.warn(
    `Skipping the ${what} browser test: ${CHROMIUM} is missing. Install it with ` +
      '`apt-get install -y chromium` (CI installs it and never skips).',
  );
  return true;
}

export interface PhotoFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing; CI must install it (see .ci/run).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A JPEG with some structure (a gradient, a face-like disc, scratches) for a restorer to work on. */
export async function samplePhoto(
  name: string,
  size: { width: number; height: number; hue: number },
): Promise<PhotoFile> {
  const { width, height, hue } = size;
  const scratches = Array.from(
    { length: 9 },
    (_, line) =>
      `<line x1="${(line * 47) % width}" y1="0" x2="${(line * 83 + 20) % width}" y2="${height}" ` +
      'stroke="rgb(255,255,255)" stroke-opacity="0.7"/>',
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue}, 25%, 72%)"/><stop offset="1" stop-color="hsl(${hue + 25}, 20%, 45%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height * 0.42}" r="${Math.min(width, height) / 6}" fill="hsl(${hue}, 18%, 36%)"/>
    <rect x="${width * 0.32}" y="${height * 0.6}" width="${width * 0.36}" height="${height * 0.4}" fill="hsl(${hue}, 18%, 36%)"/>
    ${scratches}</svg>`;
  const buffer = await sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
  return { name, mimeType: 'image/jpeg', buffer };
}

/**
 * Runs `step` on a fresh page of `context`; on failure keeps `failed-<name>.png` in `screenshotDir` and adds
 * the tail of the system's output to the error.
 */
export async function onFreshPage(
  context: BrowserContext,
  options: { name: string; screenshotDir: string; systemOutput: () => string },
  step: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await context.newPage();
  try {
    await step(page);
  } catch (error) {
    await page
      .screenshot({
        path: path.join(options.screenshotDir, `failed-${options.name}.png`),
        fullPage: true,
      })
      .catch(() => {});
    throw new Error(
      `${String(error)}\n--- system output (tail) ---\n${options.systemOutput().slice(-3000)}`,
      { cause: error },
    );
  } finally {
    await page.close();
  }
}
