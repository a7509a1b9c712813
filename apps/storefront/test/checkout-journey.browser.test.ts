/**
 * The customer journey in a real browser (Debian's Chromium through playwright-core), against the whole system:
 * upload photos, pay on the local checkout page, watch the order complete live, download the ZIP and share it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  onFreshPage,
  type PhotoFile,
  skipWithoutChromium,
} from '@restoreclick/devkit/browser-testing';
import { waitFor } from '@restoreclick/devkit/testing';
import { readZipEntries } from '../../api/test/wire';
import { type RunningSystem, startSystem } from './running-system';

const PHONE = { width: 390, height: 844 };
const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results/storefront',
);

/** A faded "old photo" drawn by the browser itself: a dull gradient, a figure, and scratches. */
async function drawPhoto(
  page: Page,
  name: string,
  size: { width: number; height: number; hue: number },
): Promise<PhotoFile> {
  const dataUrl = await page.evaluate(({ width, height, hue }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser has no 2D canvas.');
    const gradient = context.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, `hsl(${hue} 25% 72%)`);
    gradient.addColorStop(1, `hsl(${hue + 25} 20% 45%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, width, height);
    context.fillStyle = `hsl(${hue} 18% 36%)`;
    context.beginPath();
    context.arc(width / 2, height * 0.42, Math.min(width, height) / 6, 0, Math.PI * 2);
    context.fill();
    context.fillRect(width * 0.32, height * 0.6, width * 0.36, height * 0.4);
    context.strokeStyle = 'rgb(255 255 255 / 70%)';
    for (let line = 0; line < 9; line += 1) {
      context.beginPath();
      context.moveTo((line * 47) % width, 0);
      context.lineTo((line * 83 + 20) % width, height);
      context.stroke();
    }
    return canvas.toDataURL('image/jpeg', 0.9);
  }, size);
  const base64 = dataUrl.split(',')[1];
  if (!base64) throw new Error('The canvas gave no JPEG.');
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

/** Saves a full-page screenshot; storefront pages must also fit the viewport's width (no sideways scrolling). */
async function screenshot(page: Page, name: string, options: { mustFit: boolean }) {
  // Photos load from storage after the page renders: capture them, not their placeholders.
  await page.waitForFunction(() =>
    [...document.images].every((image) => image.complete && image.naturalWidth > 0),
  );
  if (options.mustFit) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  }
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Adds the files on the upload page and waits until the API has answered for every one. */
async function addPhotos(page: Page, files: PhotoFile[], expectedStatus: RegExp) {
  await page.getByLabel('Choose photos').setInputFiles(files);
  await page.getByRole('status').filter({ hasText: expectedStatus }).waitFor();
}

async function fillDetailsAndPay(page: Page, total: string) {
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Your name').fill('Ada Lovelace');
  await page.getByRole('button', { name: `Pay ${total}` }).click();
}

describe.skipIf(skipWithoutChromium('storefront'))('the storefront in a browser', () => {
  let system: RunningSystem | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    system = await startSystem();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
    db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await system?.stop();
  }, 120_000);

  function running() {
    if (!system || !context || !db) throw new Error('The system did not start; see beforeAll.');
    return { system, context, db };
  }

  /** Runs a step on a fresh page; on failure, keeps a screenshot and the system's log tail with the error. */
  function onPage(name: string, step: (page: Page) => Promise<void>) {
    const { system, context } = running();
    return onFreshPage(context, { name, screenshotDir, systemOutput: system.output }, step);
  }

  it('uploads three photos, pays, follows the order to completion live, downloads the ZIP and shares it', async () => {
    const { system, db } = running();
    await onPage('journey', async (page) => {
      // 1. Upload: three photos and a file that is not a photo, which the API refuses beside its name.
      await page.goto(system.storefrontUrl);
      await page.getByRole('heading', { name: 'Bring your old photos back' }).waitFor();
      await screenshot(page, '01-upload-empty', { mustFit: true });
      await addPhotos(
        page,
        [
          await drawPhoto(page, 'grandma.jpg', { width: 480, height: 360, hue: 30 }),
          await drawPhoto(page, 'wedding.jpg', { width: 360, height: 480, hue: 200 }),
          await drawPhoto(page, 'harbour.jpg', { width: 480, height: 320, hue: 110 }),
          { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
        ],
        /^3 photos ready · 1 not accepted/,
      );
      const photoList = page.getByRole('list', { name: 'Your photos' });
      const refused = photoList.getByRole('listitem').filter({ hasText: 'notes.txt' });
      await refused.getByRole('alert').filter({ hasText: 'not a photo' }).waitFor();
      await screenshot(page, '02-upload-photos-and-refusal', { mustFit: true });

      await page.getByRole('button', { name: 'Remove notes.txt' }).click();
      await refused.waitFor({ state: 'detached' });
      expect(await photoList.getByRole('listitem').count()).toBe(3);
      await page.getByRole('radio', { name: /Standard restoration/ }).check();

      // 2. Pay on the local Stripe checkout page.
      await fillDetailsAndPay(page, '$27.00');
      await page.waitForURL(`${system.stripeUrl}/checkout/**`);
      expect(await page.getByLabel('Email').inputValue()).toBe('ada@example.com');
      await screenshot(page, '03-checkout-page', { mustFit: false }); // devkit's page, not ours
      await page.getByRole('button', { name: /^Pay \$27\.00$/ }).click();

      // 3. The success page confirms and opens the order; from here on the page must never reload.
      await page.waitForURL(`${system.storefrontUrl}/orders/**`);
      await page.getByRole('heading', { name: /^Order / }).waitFor();
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));
      const orderReads: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('orders.get')) orderReads.push(request.url());
      });
      await page.getByText('Live: this page updates by itself').waitFor();
      await screenshot(page, '04-order-live', { mustFit: true });

      const status = page.getByRole('status', { name: 'Order status' });
      await status.filter({ hasText: /^Completed$/ }).waitFor({ timeout: 120_000 });
      expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
      expect(orderReads).toEqual([]); // the progress came over the subscription, not by polling
      const progress = page.getByRole('progressbar', { name: 'Restoration progress' });
      expect(await progress.getAttribute('value')).toBe('100');
      const restored = page.getByRole('img', { name: /after restoration$/ });
      await restored.nth(2).waitFor();
      expect(await restored.count()).toBe(3);
      // The before/after divider moves with the keyboard, five points per arrow press.
      const slider = page.getByRole('slider', { name: 'Compare before and after: grandma.jpg' });
      await slider.focus();
      for (let press = 0; press < 5; press += 1) await page.keyboard.press('ArrowLeft');
      expect(await slider.inputValue()).toBe('25');
      await screenshot(page, '05-order-completed', { mustFit: true });

      // 4. Download the restored photos: a ZIP with three restored images.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download restored photos' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.zip$/);
      const entries = readZipEntries(await readFile(await download.path())).map(
        (entry) => entry.name,
      );
      expect(entries).toHaveLength(3);
      for (const name of entries) expect(name).toMatch(/^restored\/.+\.(jpg|png)$/);
      await page
        .getByRole('status')
        .filter({ hasText: /Your download .+ has started/ })
        .waitFor();

      // 5. Share: the email goes through the queue to the outbox.
      await page.getByLabel('Their email').fill('grandpa@example.com');
      await page.getByLabel('Message (optional)').fill('Look at these!');
      await page.getByRole('button', { name: 'Send the photos' }).click();
      await page.getByRole('status').filter({ hasText: 'Sent to grandpa@example.com' }).waitFor();

      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
      await screenshot(page, '06-order-shared', { mustFit: true });

      const shareEmail = await waitFor(
        async () => {
          const result = await db.query<{
            status: string;
            provider: string | null;
            text: string | null;
          }>(
            `select status, provider, text from email_messages where kind = 'share' and to_address = $1`,
            ['grandpa@example.com'],
          );
          return result.rows.find((row) => row.status === 'sent');
        },
        { timeout: 60_000, interval: 250, message: 'the share email to be sent' },
      );
      expect(shareEmail.provider).toBe('outbox');
      expect(shareEmail.text).toContain('Look at these!');

      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, '07-order-desktop', { mustFit: true });
    });
  }, 300_000);

  it('waits for a bank transfer, then follows the order by itself once the bank confirms', async () => {
    const { system } = running();
    await onPage('bank-transfer', async (page) => {
      await page.goto(system.storefrontUrl);
      await addPhotos(
        page,
        [await drawPhoto(page, 'attic.jpg', { width: 400, height: 300, hue: 45 })],
        /^1 photo ready$/,
      );
      await page.getByRole('radio', { name: /Premium restoration/ }).check();
      await fillDetailsAndPay(page, '$19.00');
      await page.waitForURL(`${system.stripeUrl}/checkout/**`);
      await page.getByRole('button', { name: 'Pay with bank transfer — succeeds later' }).click();

      await page.getByRole('heading', { name: 'Your bank transfer is on its way' }).waitFor();
      await screenshot(page, '08-bank-transfer-waiting', { mustFit: true });
      await page.getByRole('link', { name: 'Follow your order' }).click();
      const status = page.getByRole('status', { name: 'Order status' });
      await status.filter({ hasText: /^Waiting for payment$/ }).waitFor();
      // The local bank answers after ten seconds; the page moves on without a reload.
      await status.filter({ hasText: /^Completed$/ }).waitFor({ timeout: 120_000 });
    });
  }, 180_000);

  it('answers an unknown order link and a cancelled payment with friendly pages', async () => {
    const { system } = running();
    await onPage('friendly-pages', async (page) => {
      await page.goto(`${system.storefrontUrl}/orders/not-a-real-token`);
      await page.getByRole('heading', { name: 'No order matches this link' }).waitFor();
      await screenshot(page, '09-order-not-found', { mustFit: true });

      await page.goto(`${system.storefrontUrl}/checkout/cancelled`);
      await page.getByRole('heading', { name: 'No problem, nothing was charged' }).waitFor();
      await screenshot(page, '10-checkout-cancelled', { mustFit: true });
      await page.getByRole('link', { name: 'Back to your photos' }).click();
      await page.getByRole('heading', { name: 'Bring your old photos back' }).waitFor();
    });
  }, 60_000);
});
