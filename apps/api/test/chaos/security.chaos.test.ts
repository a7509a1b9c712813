/**
 * Security basics, on the real processes: the api's security headers on every kind of response (HSTS only in
 * production), the front ends' headers as `vite preview` serves their production builds and as `dist/_headers`
 * gives them to a static host, and a whole run at debug log level — upload, checkout, payment, restoration,
 * emails, order page, live updates, share, ZIP, admin sign-in and pages — whose logs hold none of the
 * configured secrets, passwords or tokens.
 */
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAdminUser } from '@restoreclick/core';
import { findFreePort } from '@restoreclick/devkit';
import { callProcedure, readEvents } from '../wire';
import {
  type ChaosSystem,
  type PlacedOrder,
  startChaosSystem,
  waitForEmailsSent,
  waitForOrders,
} from './chaos-system';
import { recordFigures } from './figures';
import { type ManagedProcess, startProcess } from './managed-process';

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ADMIN_PASSWORD = 'the chaos suite admin password';

function expectFrameAndSniffingRules(headers: Headers, label: string) {
  expect(headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(headers.get('x-frame-options'), label).toBe('DENY');
  expect(headers.get('referrer-policy'), label).toBe('no-referrer');
  expect(headers.get('content-security-policy'), label).toContain("frame-ancestors 'none'");
}

describe('security basics', () => {
  let system: ChaosSystem;
  let order: PlacedOrder;
  const previews: ManagedProcess[] = [];
  const buildDirs: string[] = [];

  beforeAll(async () => {
    // The most talkative level: whatever the code could log, it logs now.
    system = await startChaosSystem({ logLevel: 'debug' });
    order = await system.placeOrder({ photos: 2 });
    system.addSecret('order access token', order.accessToken);
    system.addSecret('admin password', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    for (const preview of previews) await preview.kill('SIGTERM');
    for (const directory of buildDirs) await rm(directory, { recursive: true, force: true });
    await system?.stop();
  });

  it('sends the api’s security headers on JSON, HTML, webhook and stream responses, without HSTS outside production', async () => {
    const { apiUrl } = system;
    const responses: Array<[string, Promise<Response>]> = [
      ['health', fetch(`${apiUrl}/healthz`)],
      [
        'procedure',
        fetch(`${apiUrl}/trpc/orders.get?input=${encodeURIComponent('{"token":"x"}')}`),
      ],
      ['HTML page', fetch(`${apiUrl}/download/${'x'.repeat(43)}`)],
      ['webhook', fetch(`${apiUrl}/webhooks/stripe`, { method: 'POST', body: '{}' })],
      ['unknown route', fetch(`${apiUrl}/nowhere`)],
    ];
    for (const [label, pending] of responses) {
      const response = await pending;
      expectFrameAndSniffingRules(response.headers, label);
      expect(response.headers.get('content-security-policy'), label).toContain(
        "default-src 'none'",
      );
      expect(response.headers.get('strict-transport-security'), label).toBeNull();
    }
  });

  it('adds HSTS when the api runs in production', async () => {
    const production = await system.startAnotherApi({ NODE_ENV: 'production' });
    try {
      const response = await fetch(`${production.url}/healthz`);
      expect(response.headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains',
      );
      expectFrameAndSniffingRules(response.headers, 'production');
    } finally {
      await production.process.kill('SIGTERM');
    }
  });

  it.each(['storefront', 'admin'])(
    'serves the %s’s production build with its policy, and writes the same headers to dist/_headers',
    async (app) => {
      const directory = await mkdtemp(path.join(tmpdir(), `restoreclick-${app}-dist-`));
      buildDirs.push(directory);
      const cwd = path.join(appsDir, app);
      const vite = path.join(cwd, 'node_modules/.bin/vite');
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
      const build = startProcess({
        name: `${app} build`,
        cwd,
        env,
        command: { file: vite, args: ['build', '--outDir', directory, '--emptyOutDir'] },
      });
      expect(await build.exit, build.output()).toBe(0);

      const port = await findFreePort();
      const preview = startProcess({
        name: `${app} preview`,
        cwd,
        env: { ...env, API_PROXY_TARGET: system.apiUrl },
        command: {
          file: vite,
          args: [
            'preview',
            '--outDir',
            directory,
            '--host',
            '127.0.0.1',
            '--port',
            String(port),
            '--strictPort',
          ],
        },
      });
      previews.push(preview);
      await preview.waitUntilServing(`http://127.0.0.1:${port}/`);

      const page = await fetch(`http://127.0.0.1:${port}/`);
      expectFrameAndSniffingRules(page.headers, `${app} page`);
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("object-src 'none'");
      const asset = (await page.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
      expect(asset, 'the page loads its script from our own origin').toBeDefined();
      expectFrameAndSniffingRules(
        (await fetch(`http://127.0.0.1:${port}${asset}`)).headers,
        `${app} script`,
      );

      const hosted = await readFile(path.join(directory, '_headers'), 'utf8');
      expect(hosted).toContain('Strict-Transport-Security: max-age=31536000; includeSubDomains');
      expect(hosted).toContain(`Content-Security-Policy: ${policy.replace(' http:', '')}`);
      expect(hosted.startsWith('/*\n')).toBe(true);
    },
    300_000,
  );

  it('writes none of the configured secrets, passwords or tokens to the logs of a whole run', async () => {
    const { apiUrl } = system;
    // A customer: pays, follows the order, shares it, downloads it, asks for an email again.
    system.pay(order);
    const live = readEvents(
      `${apiUrl}/trpc/orders.watch?input=${encodeURIComponent(JSON.stringify({ token: order.accessToken }))}`,
      (events) => events.some((event) => event.data.includes('"status":"completed"')),
      { timeoutMs: 120_000 },
    );
    await waitForOrders(system, [order.orderId], ['completed'], 120_000);
    await live;
    const shared = await callProcedure(
      apiUrl,
      'orders.share',
      { token: order.accessToken, to: 'grandpa@example.com', message: 'Look!' },
      'mutation',
    );
    expect(shared.ok).toBe(true);
    const link = await callProcedure<{ url: string }>(
      apiUrl,
      'downloads.create',
      { token: order.accessToken, kind: 'all' },
      'mutation',
    );
    if (!link.ok) throw new Error(link.error.message);
    const downloadPath = new URL(link.data.url).pathname;
    system.addSecret('download token', downloadPath.split('/').at(-1) ?? '');
    expect((await fetch(`${apiUrl}${downloadPath}`)).status).toBe(200);
    await callProcedure(
      apiUrl,
      'orders.resendEmail',
      { token: order.accessToken, kind: 'order_confirmation' },
      'mutation',
    );
    await waitForEmailsSent(system, [order.orderId], 60_000);

    // An admin: signs in, reads orders and emails, checks every service (each called with its key).
    await saveAdminUser(system.db, {
      email: 'security-admin@example.com',
      password: ADMIN_PASSWORD,
      role: 'admin',
    });
    const signedIn = await fetch(`${apiUrl}/admin/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: apiUrl },
      body: JSON.stringify({ email: 'security-admin@example.com', password: ADMIN_PASSWORD }),
    });
    const cookie = signedIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    system.addSecret('admin session', cookie.split('=')[1] ?? '');
    for (const procedure of ['orders.list', 'emails.list', 'operations.checks']) {
      const answer = await callProcedure(apiUrl, procedure, {}, 'query', {
        endpoint: '/admin/trpc',
        headers: { cookie },
      });
      expect(answer.ok, procedure).toBe(true);
    }
    // And someone guessing: a wrong password, a forged webhook.
    await fetch(`${apiUrl}/admin/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: apiUrl },
      body: JSON.stringify({ email: 'security-admin@example.com', password: `${ADMIN_PASSWORD}!` }),
    });
    await fetch(`${apiUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'stripe-signature': `t=1,v1=${'0'.repeat(64)}` },
      body: '{}',
    });

    const logged = system.output();
    // Debug lines are there: the run logged as much as it can.
    expect(logged).toContain('"level":20');
    expect(system.leakedSecrets()).toEqual([]);
    // The wrong password is a secret too, and so is the raw Stripe-Signature.
    expect(logged).not.toContain(`${ADMIN_PASSWORD}!`);
    expect(logged).not.toContain('0'.repeat(64));
    await recordFigures('secrets-in-logs', {
      logLevel: 'debug',
      logBytes: logged.length,
      secretsChecked: [...system.secrets.keys()],
      leaked: system.leakedSecrets(),
    });
  });
});
