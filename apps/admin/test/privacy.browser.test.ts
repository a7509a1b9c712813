/**
 * An access request and an erasure request on the dashboard's Privacy page, in a real browser against the whole
 * system: the admin finds the customer by email, saves their data as a JSON file, then erases them — the
 * confirmation waits for their email typed again — and the customer can no longer be found while their order
 * stays, without its photos.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  onFreshPage,
  type RunningSystem,
  samplePhoto,
  skipWithoutChromium,
  startSystem,
} from '@restoreclick/devkit/browser-testing';
import { waitFor } from '@restoreclick/devkit/testing';
import { placePaidOrder } from './place-order';

const ADMIN = { email: 'admin@restoreclick.local', password: 'privacy-journey-password-1' };
const CUSTOMER = { email: 'rose.smith@example.com', name: 'Rose Smith' };
const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results/admin',
);

describe.skipIf(skipWithoutChromium('admin'))('privacy requests on the dashboard', () => {
  let system: RunningSystem | undefined;
  let browser: Browser | undefined;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    system = await startSystem({
      frontEnds: [{ app: 'admin', readyPath: '/admin/trpc/auth.me' }],
      env: ({ frontEndUrls }) => ({
        ADMIN_SEED_EMAIL: ADMIN.email,
        ADMIN_SEED_PASSWORD: ADMIN.password,
        ADMIN_ORIGINS: frontEndUrls.admin ?? '',
      }),
    });
    browser = await launchChromium();
    db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await browser?.close();
    await system?.stop();
  }, 120_000);

  function running() {
    const adminUrl = system?.frontEndUrls.admin;
    if (!system || !browser || !db || !adminUrl) {
      throw new Error('The system did not start; see beforeAll.');
    }
    return { system, browser, db, adminUrl };
  }

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  it('exports a customer’s data, then erases them after a typed confirmation', async () => {
    const { system, browser, db, adminUrl } = running();
    const order = await placePaidOrder(system, CUSTOMER, [
      await samplePhoto('rose-1952.jpg', { width: 320, height: 240, hue: 20 }),
    ]);
    await waitFor(
      async () =>
        (
          await db.query<{ status: string }>('select status from orders where id = $1', [
            order.orderId,
          ])
        ).rows[0]?.status === 'completed',
      { timeout: 120_000, interval: 250, message: 'the order to be restored' },
    );

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    try {
      await onFreshPage(
        context,
        { name: 'privacy', screenshotDir, systemOutput: system.output },
        async (page) => {
          await page.goto(adminUrl);
          await page.getByLabel('Email').fill(ADMIN.email);
          await page.getByLabel('Password').fill(ADMIN.password);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('link', { name: 'Privacy' }).click();
          await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();

          await page.getByLabel('Customer email').fill(CUSTOMER.email.toUpperCase());
          await page.getByRole('button', { name: 'Look up' }).click();
          const panel = page.getByRole('region', { name: CUSTOMER.name });
          await panel.getByRole('row', { name: new RegExp(order.orderNumber) }).waitFor();
          await panel.getByRole('cell', { name: '1 of 1' }).waitFor();

          // The access request: everything we hold, as a file.
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            panel.getByRole('button', { name: 'Export data' }).click(),
          ]);
          expect(download.suggestedFilename()).toMatch(/^restoreclick-customer-.+\.json$/);
          const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
            customer: { email: string };
            orders: Array<{ orderNumber: string; photos: Array<{ filename: string }> }>;
          };
          expect(exported.customer.email).toBe(CUSTOMER.email);
          expect(exported.orders.map((exportedOrder) => exportedOrder.orderNumber)).toEqual([
            order.orderNumber,
          ]);
          expect(exported.orders[0]?.photos[0]?.filename).toBe('rose-1952.jpg');
          await panel
            .getByRole('status')
            .filter({ hasText: 'Saved restoreclick-customer-' })
            .waitFor();

          // The erasure request: nothing happens until the email is typed again.
          await panel.getByRole('button', { name: 'Erase customer…' }).click();
          const dialog = page.getByRole('dialog', { name: `Erase ${CUSTOMER.email}?` });
          await dialog.waitFor();
          const confirm = dialog.getByRole('button', { name: 'Erase for good' });
          expect(await confirm.isDisabled()).toBe(true);
          await dialog.getByLabel('Type the customer’s email to confirm').fill(CUSTOMER.email);
          await dialog
            .getByLabel('Reason (kept in the audit log, optional)')
            .fill('Erasure request by email');
          await shot(page, 'privacy-erase-confirm');
          expect(await confirm.isDisabled()).toBe(false);
          await confirm.click();
          await page
            .getByRole('status')
            .filter({ hasText: 'Erased: 1 photo deleted' })
            .waitFor({ timeout: 30_000 });
          await shot(page, 'privacy-erased');

          // Not to be found again; the order stays, without the person or the photo.
          await page.getByLabel('Customer email').fill(CUSTOMER.email);
          await page.getByRole('button', { name: 'Look up' }).click();
          await page
            .getByRole('alert')
            .filter({ hasText: `No customer has the email ${CUSTOMER.email}` })
            .waitFor();
          const kept = await db.query<{
            status: string;
            customer_email: string;
            total_amount: number;
          }>('select status, customer_email, total_amount from orders where id = $1', [
            order.orderId,
          ]);
          expect(kept.rows[0]).toMatchObject({
            status: 'completed',
            customer_email: expect.stringMatching(/^erased-.+@erased\.invalid$/),
            total_amount: order.totalAmount,
          });
          const photos = await db.query<{ status: string; original_key: string | null }>(
            'select status, original_key from order_images where order_id = $1',
            [order.orderId],
          );
          expect(photos.rows).toEqual([{ status: 'purged', original_key: null }]);
          const audit = await db.query<{ action: string }>(
            `select action from audit_logs where entity_type = 'customer' order by id`,
          );
          expect(audit.rows.map((row) => row.action)).toEqual([
            'customer.export',
            'customer.erase',
          ]);
        },
      );
    } finally {
      await context.close();
    }
  }, 300_000);
});
