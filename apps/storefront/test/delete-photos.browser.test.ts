/**
 * A customer deletes their photos from the order page in a real browser (Debian's Chromium through
 * playwright-core), against the whole system: the page gives the deletion date, asks for confirmation (and
 * keeps the photos when told to), then shows the deleted state live; the ZIP link made before answers with the
 * 410 page.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  onFreshPage,
  samplePhoto,
  skipWithoutChromium,
} from '@restoreclick/devkit/browser-testing';
import { waitFor } from '@restoreclick/devkit/testing';
import { type RunningSystem, startSystem } from './running-system';

const PHONE = { width: 390, height: 844 };
const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results/storefront',
);

async function screenshot(page: Page, name: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

describe.skipIf(skipWithoutChromium('storefront'))('deleting photos in a browser', () => {
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

  it('deletes the photos of a finished order after a confirmation, then shows them deleted', async () => {
    const { system, context, db } = running();
    await onFreshPage(
      context,
      { name: 'delete-photos', screenshotDir, systemOutput: system.output },
      async (page) => {
        // A finished order of one photo.
        await page.goto(system.storefrontUrl);
        await page
          .getByLabel('Choose photos')
          .setInputFiles([await samplePhoto('attic.jpg', { width: 400, height: 300, hue: 40 })]);
        await page
          .getByRole('status')
          .filter({ hasText: /^1 photo ready$/ })
          .waitFor();
        await page.getByRole('radio', { name: /Standard restoration/ }).check();
        await page.getByLabel('Email').fill('ada@example.com');
        await page.getByLabel('Your name').fill('Ada Lovelace');
        await page.getByRole('button', { name: /^Pay / }).click();
        await page.waitForURL(`${system.stripeUrl}/checkout/**`);
        await page.getByRole('button', { name: /^Pay \$/ }).click();
        await page.waitForURL(`${system.storefrontUrl}/orders/**`);
        const status = page.getByRole('status', { name: 'Order status' });
        await status.filter({ hasText: /^Completed$/ }).waitFor({ timeout: 120_000 });
        await page.getByRole('img', { name: 'attic.jpg after restoration' }).waitFor();

        // The page says when the photos go.
        const privacy = page.getByRole('region', { name: 'Your privacy' });
        await privacy.getByText(/we delete your photos from our servers on .+\d{4}/).waitFor();

        // A ZIP link made now, to try once the photos are gone.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: 'Download restored photos' }).click(),
        ]);
        const zipUrl = download.url();
        expect(zipUrl).toMatch(/\/download\/[A-Za-z0-9_-]{43}$/);

        // Changing one's mind keeps everything.
        await page.getByRole('button', { name: 'Delete my photos' }).click();
        const dialog = page.getByRole('dialog', { name: 'Delete the photo of this order?' });
        await dialog.waitFor();
        await dialog.getByText('This cannot be undone.', { exact: false }).waitFor();
        await screenshot(page, '11-delete-photos-confirm');
        await dialog.getByRole('button', { name: 'Keep my photos' }).click();
        await dialog.waitFor({ state: 'hidden' });
        expect(await page.getByRole('img', { name: 'attic.jpg after restoration' }).count()).toBe(
          1,
        );

        // Confirming deletes them; the page follows by itself.
        await page.getByRole('button', { name: 'Delete my photos' }).click();
        await dialog.getByRole('button', { name: 'Yes, delete them' }).click();
        await dialog.waitFor({ state: 'hidden' });
        const deleted = page.getByRole('status', { name: 'Photos deleted' });
        await deleted.filter({ hasText: 'at your request' }).waitFor();
        await page.getByText('Photo deleted', { exact: true }).waitFor();
        await page.getByText('Deleted', { exact: true }).waitFor();
        expect(await page.getByRole('img', { name: /attic\.jpg/ }).count()).toBe(0);
        await page.getByText('You deleted your photos').waitFor();
        expect(
          await page.getByRole('button', { name: 'Download restored photos' }).isDisabled(),
        ).toBe(true);
        await page
          .getByText('Your photos have been deleted, so there is nothing left to download.')
          .waitFor();
        await page
          .getByText('Your photos have been deleted, so there is nothing left to share.')
          .waitFor();
        expect(
          await page.getByRole('button', { name: 'Resend the restored photos email' }).isDisabled(),
        ).toBe(true);
        await screenshot(page, '12-photos-deleted');

        // The files are gone for the system too, not only on the page.
        await waitFor(async () => {
          const result = await db.query<{ status: string; original_key: string | null }>(
            `select status, original_key from order_images where original_filename = 'attic.jpg'
             order by created_at desc limit 1`,
          );
          return result.rows[0]?.status === 'purged' && result.rows[0].original_key === null;
        });

        // The link made before now answers with a page that says why.
        const gone = await page.goto(zipUrl);
        expect(gone?.status()).toBe(410);
        await page.getByRole('heading', { name: 'These photos have been deleted' }).waitFor();
        await screenshot(page, '13-download-link-deleted');
      },
    );
  }, 300_000);
});
