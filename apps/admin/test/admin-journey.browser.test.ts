/**
 * An operator's day in a real browser (Debian's Chromium through playwright-core) against the whole system:
 * sign in, find an order by the customer's email, read its timeline, retry a photo that the model failed on,
 * resend an email, refund the order; a viewer can look but not act; a photo that every model of its fallback
 * chain failed on waits for its automatic refund, which an admin stops and then issues at once. Restoration runs
 * on the local Replicate-compatible server, which the test tells to fail predictions — the same failure a real
 * model reports.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalReplicate, startLocalReplicate } from '@restoreclick/devkit';
import {
  launchChromium,
  onFreshPage,
  type RunningSystem,
  samplePhoto,
  skipWithoutChromium,
  startSystem,
} from '@restoreclick/devkit/browser-testing';
import { waitFor } from '@restoreclick/devkit/testing';
import { type PlacedOrder, placePaidOrder, placeUnpaidOrder } from './place-order';

interface Credentials {
  email: string;
  password: string;
}

const DESKTOP = { width: 1280, height: 900 };
const MODEL = 'restoreclick/test-restorer';
const MODEL_FAILURE = 'CUDA out of memory: the model could not finish this photo';
/** The premium option's fallback chain: a face model first, a general one if it fails. */
const FACE_MODEL = 'restoreclick/face-restorer';
const GENERAL_MODEL = 'restoreclick/general-restorer';
/** The grace period of automatic refunds: long enough that none is issued by itself during the test. */
const AUTO_REFUND_GRACE_HOURS = 10;
/** The development admin that `up.ts` seeds, here with a password the test chooses. */
const ADMIN: Credentials = {
  email: 'admin@restoreclick.local',
  password: 'admin-journey-password-1',
};
const VIEWER: Credentials = {
  email: 'vera.viewer@restoreclick.local',
  password: 'viewer-journey-password-1',
};
const GUESSED: Credentials = {
  email: 'gus.guesser@restoreclick.local',
  password: 'guesser-journey-password-1',
};
const GRACE = { email: 'grace.hopper@example.com', name: 'Grace Hopper' };
const ADA = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };
const LIN = { email: 'lin.unpaid@example.com', name: 'Lin Unpaid' };
const KATHERINE = { email: 'katherine.johnson@example.com', name: 'Katherine Johnson' };
const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../api');
const screenshotDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results/admin',
);

const execFileAsync = promisify(execFile);

/** Another user, made the way an operator would: with `pnpm admin:create` against the system's database. */
async function createAdminUser(
  databaseUrl: string,
  user: Credentials & { name: string; role: 'admin' | 'viewer' },
) {
  await execFileAsync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/create-admin.ts',
      '--email',
      user.email,
      '--name',
      user.name,
      '--role',
      user.role,
    ],
    {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: databaseUrl, ADMIN_PASSWORD: user.password },
    },
  );
}

/** Saves a full-page screenshot once the page's photos have loaded. */
async function screenshot(page: Page, name: string) {
  await page.waitForFunction(() =>
    [...document.images].every((image) => image.complete && image.naturalWidth > 0),
  );
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, adminUrl: string, user: { email: string; password: string }) {
  await page.goto(adminUrl);
  await page.getByRole('heading', { name: 'Sign in to the admin' }).waitFor();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openOrderOf(page: Page, customerEmail: string, orderNumber: string) {
  await page.getByRole('link', { name: 'Orders', exact: true }).click();
  await page.getByLabel('Search orders').fill(customerEmail);
  const list = page.getByRole('region', { name: 'Order list' });
  await list.getByRole('row', { name: new RegExp(orderNumber) }).waitFor();
  await list.getByRole('link', { name: orderNumber }).click();
  await page.getByRole('heading', { name: `Order ${orderNumber}` }).waitFor();
}

describe.skipIf(skipWithoutChromium('admin'))('the admin dashboard in a browser', () => {
  let replicate: LocalReplicate | undefined;
  let system: RunningSystem | undefined;
  let browser: Browser | undefined;
  let db: pg.Client | undefined;

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    replicate = await startLocalReplicate();
    const model = replicate;
    system = await startSystem({
      frontEnds: [{ app: 'admin', readyPath: '/admin/trpc/auth.me' }],
      env: ({ frontEndUrls }) => ({
        ADMIN_SEED_EMAIL: ADMIN.email,
        ADMIN_SEED_PASSWORD: ADMIN.password,
        ADMIN_ORIGINS: frontEndUrls.admin ?? '',
        // Restoration through the local Replicate server, one attempt per model: for the standard option a
        // failed prediction fails the photo for good, until an admin retries it; the premium option falls back
        // to a second model first.
        REPLICATE_API_TOKEN: model.apiToken,
        REPLICATE_API_URL: model.baseUrl,
        REPLICATE_WEBHOOK_SECRET: model.webhookSecret,
        RESTORATION_MODELS: JSON.stringify({
          default: { model: MODEL },
          premium: [{ model: FACE_MODEL }, { model: GENERAL_MODEL }],
        }),
        MAX_RESTORATION_ATTEMPTS: '1',
        AUTO_REFUND_GRACE_MINUTES: String(AUTO_REFUND_GRACE_HOURS * 60),
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
    await replicate?.stop();
  }, 120_000);

  function running() {
    if (!system || !browser || !db || !replicate) {
      throw new Error('The system did not start; see beforeAll.');
    }
    const adminUrl = system.frontEndUrls.admin;
    if (!adminUrl) throw new Error('The admin app was not served.');
    return { system, browser, db, replicate, adminUrl };
  }

  async function onPage(name: string, step: (page: Page) => Promise<void>) {
    const { system, browser } = running();
    const context: BrowserContext = await browser.newContext({ viewport: DESKTOP });
    try {
      await onFreshPage(context, { name, screenshotDir, systemOutput: system.output }, step);
    } finally {
      await context.close();
    }
  }

  async function orderStatus(orderId: string): Promise<string | undefined> {
    const { db } = running();
    const result = await db.query<{ status: string }>('select status from orders where id = $1', [
      orderId,
    ]);
    return result.rows[0]?.status;
  }

  async function waitForOrderStatus(orderId: string, status: string) {
    await waitFor(async () => (await orderStatus(orderId)) === status, {
      timeout: 120_000,
      interval: 250,
      message: `order ${orderId} to become ${status}`,
    });
  }

  /** Ada's order of one photo, restored; Grace's of two, where the model fails on the first one it is given. */
  let placed: { ada: PlacedOrder; grace: PlacedOrder } | undefined;

  async function ordersPlaced(): Promise<{ ada: PlacedOrder; grace: PlacedOrder }> {
    if (placed) return placed;
    const { system, replicate } = running();
    const adaOrder = await placePaidOrder(system, ADA, [
      await samplePhoto('attic.jpg', { width: 320, height: 240, hue: 40 }),
    ]);
    await waitForOrderStatus(adaOrder.orderId, 'completed');

    replicate.queueOutcome({ kind: 'fail', error: MODEL_FAILURE }, { times: 1 });
    const graceOrder = await placePaidOrder(system, GRACE, [
      await samplePhoto('wedding.jpg', { width: 320, height: 240, hue: 200 }),
      await samplePhoto('harbour.jpg', { width: 240, height: 320, hue: 110 }),
    ]);
    await waitForOrderStatus(graceOrder.orderId, 'completed_with_errors');
    placed = { ada: adaOrder, grace: graceOrder };
    return placed;
  }

  it('signs in, finds an order by email, retries its failed photo, resends an email and refunds it', async () => {
    const { system, adminUrl } = running();
    const order = (await ordersPlaced()).grace;
    await onPage('admin-journey', async (page) => {
      // 1. The start-up banner names the seeded admin. A signed-out visitor is sent to sign in; a wrong
      // password gets the server's answer.
      expect(system.output()).toContain(`Admin login  ${ADMIN.email} / ${ADMIN.password}`);
      await page.goto(`${adminUrl}/orders`);
      await page.waitForURL(/\/sign-in\?next=%2Forders$/);
      await screenshot(page, '01-sign-in');
      await signIn(page, adminUrl, { email: ADMIN.email, password: 'not-the-password' });
      await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
      const list = page.getByRole('region', { name: 'Order list' });
      await list.getByRole('link', { name: order.orderNumber }).waitFor();
      await screenshot(page, '02-orders');

      // 2. Find the order by the customer's email; the filter is kept in the address.
      await page.getByLabel('Search orders').fill(GRACE.email);
      await page.waitForURL(/[?&]q=grace\.hopper%40example\.com/);
      await list.getByText(ADA.email).waitFor({ state: 'detached' });
      const rows = list.getByRole('row').filter({ hasText: GRACE.email });
      expect(await rows.count()).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain('1 failed');
      await page.reload();
      expect(await page.getByLabel('Search orders').inputValue()).toBe(GRACE.email);
      await list.getByRole('link', { name: order.orderNumber }).click();

      // 3. The order: its timeline, and the photo the model failed on, with the model's own error.
      await page.getByRole('heading', { name: `Order ${order.orderNumber}` }).waitFor();
      const status = page.getByRole('status', { name: 'Order status' });
      await status.filter({ hasText: 'Completed with errors' }).waitFor();
      const timeline = page.getByRole('list', { name: 'Order timeline' });
      await timeline.getByRole('listitem').nth(2).waitFor();
      await page.getByText(MODEL_FAILURE).first().waitFor();
      await screenshot(page, '03-order-with-failed-photo');

      // 4. Retry the failed photo; the page follows it until it is restored and the order completed.
      const retry = page.getByRole('button', { name: /^Retry \w+\.jpg$/ });
      await retry.click();
      await status.filter({ hasText: /^Completed$/ }).waitFor({ timeout: 120_000 });
      await retry.waitFor({ state: 'detached' });
      expect(await page.getByRole('img', { name: /, restored$/ }).count()).toBe(2);
      await timeline.getByText('Admin action').first().waitFor();

      // 5. Resend the confirmation email: a new message joins the order's emails.
      const emails = page.getByRole('region', { name: /^Emails/ }).getByRole('listitem');
      const emailsBefore = await emails.count();
      await page
        .getByRole('button', { name: new RegExp(`^Resend Order confirmation to ${GRACE.email}`) })
        .first()
        .click();
      await page.getByRole('status').filter({ hasText: 'queued again' }).waitFor();
      await waitFor(async () => (await emails.count()) === emailsBefore + 1, {
        timeout: 30_000,
        message: 'the resent email to appear on the order',
      });

      // 6. Refund everything: confirm in the dialog; Stripe's webhook makes the order refunded.
      await page.getByRole('button', { name: 'Refund…' }).click();
      const dialog = page.getByRole('dialog', { name: `Refund order ${order.orderNumber}` });
      await dialog.getByRole('button', { name: /^Refund \$18\.00$/ }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Refund of \$18\.00 sent to Stripe/ })
        .waitFor();
      await status.filter({ hasText: /^Refunded$/ }).waitFor({ timeout: 60_000 });
      expect(await orderStatus(order.orderId)).toBe('refunded');
      await screenshot(page, '04-order-refunded');

      // 7. The emails, the outbox among them, and one email as the customer got it.
      await page.getByRole('link', { name: 'Emails', exact: true }).click();
      await page.getByRole('heading', { name: 'Emails', exact: true }).waitFor();
      await page.getByLabel('Delivered through').selectOption('outbox');
      await page.getByLabel('Search emails').fill(GRACE.email);
      await page.waitForURL(/provider=outbox.*q=grace|q=grace.*provider=outbox/);
      const emailList = page.getByRole('region', { name: 'Email list' });
      // Only Grace's emails: the unfiltered list, which has Ada's too, is gone.
      await waitFor(
        async () =>
          (await emailList.getByText(ADA.email).count()) === 0 &&
          (await emailList.getByText(GRACE.email).count()) > 0,
        { timeout: 30_000, message: "the list to show Grace's emails only" },
      );
      await screenshot(page, '05-emails');
      await emailList
        .getByRole('row')
        .filter({ hasText: GRACE.email })
        .getByRole('link')
        .first()
        .click();
      await page.getByRole('heading', { name: 'As the customer sees it' }).waitFor();
      const frame = page.getByTitle(/^HTML of /);
      expect(await frame.getAttribute('sandbox')).toBe('');
      await page.frameLocator('iframe[title^="HTML of"]').locator('body').waitFor();
      await page.getByRole('heading', { name: 'Text version' }).waitFor();
      await screenshot(page, '06-email');

      // 8. Operations and business.
      await page.getByRole('link', { name: 'Operations', exact: true }).click();
      const checks = page.getByRole('region', { name: 'Dependencies' });
      await checks
        .getByRole('row', { name: /Database/ })
        .getByText('OK')
        .waitFor();
      await page.getByRole('region', { name: 'Queues' }).getByText('restoration.run').waitFor();
      await screenshot(page, '07-operations');

      await page.getByRole('link', { name: 'Business', exact: true }).click();
      await page.getByRole('heading', { name: 'Orders per day' }).waitFor();
      const totals = page.getByRole('definition').first();
      expect(await totals.textContent()).toBe('2');
      await screenshot(page, '08-business');

      // 9. Sign out: the dashboard is closed again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to the admin' }).waitFor();
      await page.goto(`${adminUrl}/operations`);
      await page.getByRole('heading', { name: 'Sign in to the admin' }).waitFor();
    });
  }, 300_000);

  it('shows a viewer every order but no way to change one, and the API refuses them too', async () => {
    const { system, adminUrl } = running();
    const order = (await ordersPlaced()).grace;
    await createAdminUser(system.databaseUrl, { ...VIEWER, name: 'Vera Viewer', role: 'viewer' });
    await onPage('viewer', async (page) => {
      await signIn(page, adminUrl, VIEWER);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
      await page.getByText('Viewer · read only').waitFor();
      await openOrderOf(page, GRACE.email, order.orderNumber);

      const refund = page.getByRole('button', { name: 'Refund…' });
      expect(await refund.getAttribute('title')).toBe('Viewers cannot change orders');
      await page
        .getByRole('region', { name: 'Actions' })
        .getByText('Viewers cannot change orders: you are signed in as a viewer.')
        .waitFor();
      // Every button of the order (refund, resend of each email, …) is there, and none can be pressed.
      const buttons = await page.getByRole('main').getByRole('button').all();
      expect(buttons.length).toBeGreaterThan(3);
      for (const button of buttons) expect(await button.isDisabled()).toBe(true);
      await screenshot(page, '09-viewer-order');

      // A hand-made request with the viewer's session gets the server's refusal, not a refund.
      const answer = await page.evaluate(async (orderId) => {
        const response = await fetch('/admin/trpc/orders.refund', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: orderId }),
        });
        return { status: response.status, body: await response.text() };
      }, order.orderId);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatch(/FORBIDDEN/);

      // An order that does not exist: the page says so with the server's words.
      await page.goto(`${adminUrl}/orders/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('heading', { name: 'Order not found' }).waitFor();
      await page
        .getByRole('alert')
        .filter({ hasText: 'There is no order with id 00000000-0000-4000-8000-000000000000.' })
        .waitFor();

      await page.getByRole('link', { name: 'Operations', exact: true }).click();
      const retryDeadLetters = page
        .getByRole('button', { name: /^Retry dead letters of / })
        .first();
      await retryDeadLetters.waitFor();
      expect(await retryDeadLetters.isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Run reconciliation now' }).isDisabled()).toBe(
        true,
      );
    });
  }, 180_000);

  it('tells someone who keeps guessing a password to wait, even once they find it', async () => {
    const { system, adminUrl } = running();
    await createAdminUser(system.databaseUrl, { ...GUESSED, name: 'Gus Guesser', role: 'admin' });
    await onPage('lockout', async (page) => {
      await signIn(page, adminUrl, { email: GUESSED.email, password: 'wrong-guess-0' });
      const alert = page.getByRole('alert');
      await alert.filter({ hasText: 'Email or password is wrong.' }).waitFor();
      const signInButton = page.getByRole('button', { name: 'Sign in' });
      for (let guess = 1; guess < 10; guess += 1) {
        await page.getByLabel('Password').fill(`wrong-guess-${guess}`);
        await Promise.all([
          page.waitForResponse((response) => response.url().includes('auth.login')),
          signInButton.click(),
        ]);
      }
      await alert.filter({ hasText: /^Too many failed sign-ins\. Try again in .+\.$/ }).waitFor();
      // The right password now is refused as well: the account stays locked for a while.
      await page.getByLabel('Password').fill(GUESSED.password);
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url().includes('auth.login')),
        signInButton.click(),
      ]);
      expect(answer.status()).toBe(429);
      await alert.filter({ hasText: /^Too many failed sign-ins/ }).waitFor();
      expect(page.url()).toContain('/sign-in');
      await screenshot(page, '10-sign-in-locked');
    });
  }, 120_000);

  it('filters orders, refunds part of one, cancels one that was never paid and runs reconciliation', async () => {
    const { system, adminUrl } = running();
    const { ada } = await ordersPlaced();
    const unpaid = await placeUnpaidOrder(system, LIN, [
      await samplePhoto('letter.jpg', { width: 300, height: 200, hue: 20 }),
    ]);
    await onPage('money', async (page) => {
      await signIn(page, adminUrl, ADMIN);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
      const list = page.getByRole('region', { name: 'Order list' });

      // A day without orders shows the empty state; clearing the filters brings the orders back.
      const dayAfterTomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Created from').fill(dayAfterTomorrow);
      await list.getByText('No order matches these filters.').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await list.getByRole('link', { name: unpaid.orderNumber }).waitFor();

      // The status chip counts the unpaid order and shows it alone.
      const chips = page.getByRole('group', { name: 'Order status' });
      await chips.getByRole('button', { name: 'Awaiting payment 1', exact: true }).click();
      await chips
        .getByRole('button', { name: 'Awaiting payment 1', exact: true, pressed: true })
        .waitFor();
      await page.waitForURL(/[?&]status=pending_payment/);
      await list.getByText(GRACE.email).waitFor({ state: 'detached' });
      expect(await list.getByRole('row').filter({ hasText: LIN.email }).count()).toBe(1);
      await list.getByRole('link', { name: unpaid.orderNumber }).click();

      // Fulfilment finds no payment at Stripe; then the order is cancelled with a note.
      const status = page.getByRole('status', { name: 'Order status' });
      await status.filter({ hasText: 'Awaiting payment' }).waitFor();
      await page.getByRole('button', { name: 'Re-run fulfilment' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Stripe has no payment for this order yet' })
        .waitFor();
      await page.getByRole('button', { name: 'Cancel order…' }).click();
      const cancelDialog = page.getByRole('dialog', {
        name: `Cancel order ${unpaid.orderNumber}?`,
      });
      await cancelDialog.getByLabel('Note (optional)').fill('The customer asked us by phone.');
      await cancelDialog.getByRole('button', { name: 'Cancel order' }).click();
      await status.filter({ hasText: /^Cancelled$/ }).waitFor();
      expect(await orderStatus(unpaid.orderId)).toBe('cancelled');
      await page
        .getByRole('list', { name: 'Order timeline' })
        .getByText('Admin action')
        .first()
        .waitFor();

      // Ada's order: too much is refused in the dialog, then four dollars are refunded.
      await openOrderOf(page, ADA.email, ada.orderNumber);
      await page.getByRole('button', { name: 'Refund…' }).click();
      const refundDialog = page.getByRole('dialog', { name: /^Refund order / });
      await refundDialog.getByRole('radio', { name: 'Part of it' }).check();
      await refundDialog.getByLabel('Amount to refund (USD)').fill('100');
      await refundDialog.getByRole('button', { name: 'Refund $100.00' }).click();
      await refundDialog
        .getByRole('alert')
        .filter({ hasText: 'At most $9.00 can be refunded.' })
        .waitFor();
      await refundDialog.getByLabel('Amount to refund (USD)').fill('4');
      await refundDialog.getByRole('button', { name: 'Refund $4.00' }).click();
      await status.filter({ hasText: /^Partially refunded$/ }).waitFor({ timeout: 60_000 });
      const payment = page.getByRole('region', { name: 'Payment' });
      await payment.getByText('$5.00').waitFor(); // what is left to refund

      // Operations: reconciliation runs on demand.
      await page.getByRole('link', { name: 'Operations', exact: true }).click();
      await page.getByRole('button', { name: 'Run reconciliation now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Reconciliation queued \(job .+\)\.$/ })
        .waitFor();
    });
  }, 180_000);
  it('shows the fallback model and the automatic refund of a photo no model restored; an admin stops it, then refunds it now', async () => {
    const { system, replicate, db, adminUrl } = running();
    // Both photos go to the face model first and fail; of the two general-model predictions that follow, the
    // first fails too. Whichever photo that is failed on every model; the other is restored by the fallback.
    replicate.queueOutcome({ kind: 'fail', error: MODEL_FAILURE }, { times: 3 });
    const order = await placePaidOrder(
      system,
      KATHERINE,
      [
        await samplePhoto('portrait.jpg', { width: 320, height: 240, hue: 300 }),
        await samplePhoto('garden.jpg', { width: 240, height: 320, hue: 80 }),
      ],
      { product: 'premium' },
    );
    await waitForOrderStatus(order.orderId, 'completed_with_errors');
    const photos = await db.query<{ original_filename: string; status: string }>(
      'select original_filename, status from order_images where order_id = $1',
      [order.orderId],
    );
    const failedPhoto = photos.rows.find((photo) => photo.status === 'failed')?.original_filename;
    const restoredPhoto = photos.rows.find(
      (photo) => photo.status === 'restored',
    )?.original_filename;
    if (!failedPhoto || !restoredPhoto) {
      throw new Error(`Expected one failed and one restored photo: ${JSON.stringify(photos.rows)}`);
    }
    const refundRowOf = (page: Page) =>
      page
        .getByRole('region', { name: /^Automatic refunds/ })
        .getByRole('row')
        .filter({ hasText: failedPhoto });

    // A viewer sees the pending refund, and the buttons that would change it disabled.
    await createAdminUser(system.databaseUrl, { ...VIEWER, name: 'Vera Viewer', role: 'viewer' });
    await onPage('viewer-automatic-refund', async (page) => {
      await signIn(page, adminUrl, VIEWER);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
      await openOrderOf(page, KATHERINE.email, order.orderNumber);
      const row = refundRowOf(page);
      await row.getByText('Pending', { exact: true }).waitFor();
      for (const name of [`Stop refund of ${failedPhoto}`, `Refund ${failedPhoto} now`]) {
        const button = row.getByRole('button', { name });
        expect(await button.isDisabled()).toBe(true);
        expect(await button.getAttribute('title')).toBe('Viewers cannot change orders');
      }
    });

    await onPage('automatic-refund', async (page) => {
      await signIn(page, adminUrl, ADMIN);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
      await openOrderOf(page, KATHERINE.email, order.orderNumber);
      const status = page.getByRole('status', { name: 'Order status' });
      await status.filter({ hasText: 'Completed with errors' }).waitFor();

      // 1. Each photo's way through the chain: the fallback restored one, and failed on the other.
      const photoCard = (filename: string) =>
        page
          .getByRole('listitem')
          .filter({ has: page.getByRole('heading', { name: new RegExp(`${filename}$`) }) });
      await photoCard(restoredPhoto)
        .getByText('face-restorer failed → general-restorer restored')
        .waitFor();
      const failedCard = photoCard(failedPhoto);
      await failedCard.getByText('face-restorer failed → general-restorer failed').waitFor();
      await failedCard.getByText('1st choice · replicate').waitFor();
      await failedCard.getByText('fallback 1 · replicate').waitFor();

      // 2. Its automatic refund: half of the $38.00 paid, due at the end of the grace period.
      const row = refundRowOf(page);
      await row.getByText('Pending', { exact: true }).waitFor();
      await row.getByText('$19.00').waitFor();
      await row.getByText(`due in ${AUTO_REFUND_GRACE_HOURS} hours`).waitFor();
      expect(await row.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
      await screenshot(page, '11-automatic-refund-pending');

      // 3. Stop it: the reason is required, then it shows on the refund.
      await row.getByRole('button', { name: `Stop refund of ${failedPhoto}` }).click();
      const stopDialog = page.getByRole('dialog', {
        name: `Stop the automatic refund of ${failedPhoto}?`,
      });
      await stopDialog.getByRole('button', { name: 'Stop refund' }).click();
      await stopDialog
        .getByRole('alert')
        .filter({ hasText: 'Say why the refund is stopped' })
        .waitFor();
      await stopDialog
        .getByLabel('Reason (required)')
        .fill('The customer will send a better scan of this photo.');
      await stopDialog.getByRole('button', { name: 'Stop refund' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `The automatic refund of ${failedPhoto} is stopped.` })
        .waitFor();
      await row.getByText('Stopped', { exact: true }).waitFor();
      await row.getByText('The customer will send a better scan of this photo.').waitFor();
      expect(await row.getByRole('button', { name: `Stop refund of ${failedPhoto}` }).count()).toBe(
        0,
      );
      const refundStatus = async () =>
        (
          await db.query<{ status: string }>(
            'select status from automatic_refunds where order_id = $1',
            [order.orderId],
          )
        ).rows.map((refund) => refund.status);
      expect(await refundStatus()).toEqual(['cancelled']);
      await page
        .getByRole('list', { name: 'Order timeline' })
        .getByText('Admin action')
        .first()
        .waitFor();

      // 4. Refund it now after all: Stripe refunds it at once, and the customer is told by email.
      await row.getByRole('button', { name: `Refund ${failedPhoto} now` }).click();
      const refundDialog = page.getByRole('dialog', { name: `Refund ${failedPhoto} now?` });
      await refundDialog.getByRole('button', { name: 'Refund now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Refunded $19.00 for ${failedPhoto} through Stripe.` })
        .waitFor();
      await row.getByText('Issued', { exact: true }).waitFor();
      await row.getByText(/^re_/).waitFor();
      expect(await refundStatus()).toEqual(['issued']);
      expect(await row.getByRole('button').count()).toBe(0);
      // Stripe's webhook records the money; one photo of two refunded leaves the order as it was.
      const refunded = page
        .getByRole('region', { name: 'Payment' })
        .locator('dt', { hasText: /^Refunded$/ })
        .locator('xpath=following-sibling::dd[1]');
      await waitFor(async () => (await refunded.textContent()) === '$19.00', {
        timeout: 60_000,
        message: 'the order to show $19.00 refunded',
      });
      await page
        .getByRole('region', { name: /^Emails/ })
        .getByText('Photos refunded')
        .waitFor({ timeout: 60_000 });
      await status.filter({ hasText: 'Completed with errors' }).waitFor();
      await screenshot(page, '12-automatic-refund-issued');
    });
  }, 240_000);
});
